using System.Numerics;
using System.Numerics.Tensors;

namespace Descent.Kernels;

/// <summary>
/// General matrix multiply over row-major spans: C = alpha·op(A)·op(B) + beta·C, where op transposes when asked.
/// A row of C is accumulated as a sequence of vectorised axpy's over rows of B, which keeps the inner loop
/// contiguous; a transposed B is packed once so that loop stays contiguous.
/// </summary>
public static class Gemm
{
    /// <summary>C[m×n] = alpha·op(A)[m×k]·op(B)[k×n] + beta·C.</summary>
    public static void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Nothing to write; and the row slices below would start past the end of empty operands.
        if (m == 0 || n == 0) return;
        T[]? packed = null;
        if (transB && k > 0)
        {
            // Pack op(B) = Bᵀ as k×n row-major.
            packed = new T[k * n];
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
}
