using System.Numerics;
using System.Numerics.Tensors;

namespace Descent.Kernels;

/// <summary>
/// General matrix multiply over row-major spans: C = alpha·op(A)·op(B) + beta·C, where op transposes when asked.
/// float32 products large enough to pay for packing run on <see cref="PackedSgemm"/>; small ones (the tutorial's
/// 32×20 layers) and float64 accumulate each row of C as vectorised axpy's over rows of B.
/// </summary>
public static class Gemm
{
    /// <summary>Below this many multiply-adds, packing costs more than it saves.</summary>
    private const long PackedThreshold = 48L * 48 * 48;

    /// <summary>Largest number of threads a float32 multiply may use (all cores by default).</summary>
    public static int MaxThreads
    {
        get => PackedSgemm.MaxThreads;
        set => PackedSgemm.MaxThreads = Math.Max(1, value);
    }

    /// <summary>C[m×n] = alpha·op(A)[m×k]·op(B)[k×n] + beta·C.</summary>
    public static void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Nothing to write; and the row slices below would start past the end of empty operands.
        if (m == 0 || n == 0) return;
        if (typeof(T) == typeof(float) && (long)m * n * k >= PackedThreshold)
        {
            RunPacked(transA, transB, m, n, k, System.Runtime.CompilerServices.Unsafe.As<T, float>(ref alpha),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(a), lda,
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(b), ldb, System.Runtime.CompilerServices.Unsafe.As<T, float>(ref beta),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(c), ldc);
            return;
        }
        T[]? packed = null;
        try
        {
            RunSmall(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ref packed);
        }
        finally
        {
            if (packed is not null) System.Buffers.ArrayPool<T>.Shared.Return(packed);
        }
    }

    private static void RunSmall<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, ref T[]? packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (transB && k > 0)
        {
            // Pack op(B) = Bᵀ as k×n row-major, in a pooled buffer: Linear's forward takes this path every call.
            packed = System.Buffers.ArrayPool<T>.Shared.Rent(k * n);
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++) packed[p * n + j] = b[j * ldb + p];
            b = packed;
            ldb = n;
        }
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else if (beta != T.One) TensorPrimitives.Multiply(row, beta, row);
            for (int p = 0; p < k; p++)
            {
                // No skipping of zero aip: 0·inf must give nan in C, as BLAS (and so PyTorch) computes it.
                T aip = transA ? a[p * lda + i] : a[i * lda + p];
                TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), alpha * aip, row, row);
            }
        }
    }

    private static unsafe void RunPacked(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        fixed (float* pa = a, pb = b, pc = c)
            PackedSgemm.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }
}
