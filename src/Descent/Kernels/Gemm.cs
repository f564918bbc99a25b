using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Kernels;

/// <summary>
/// General matrix multiply over row-major spans: C = alpha·op(A)·op(B) + beta·C, where op transposes when asked.
/// float32 products large enough to pay for packing run on <see cref="PackedSgemm"/>; small ones (the tutorial's
/// 32×20 layers) and float64 accumulate each row of C as vectorised axpy's over rows of B.
/// </summary>
internal static class Gemm
{
    /// <summary>Below this many multiply-adds, packing costs more than it saves.</summary>
    internal const long PackedThreshold = 48L * 48 * 48;

    /// <summary>C[m×n] = alpha·op(A)[m×k]·op(B)[k×n] + beta·C.</summary>
    public static void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Nothing to write; and the row slices below would start past the end of empty operands.
        if (m == 0 || n == 0) return;
        // The kernels read and write through unchecked references: every operand must hold its whole extent.
        CheckExtent("a", a.Length, transA ? k : m, transA ? m : k, lda);
        CheckExtent("b", b.Length, transB ? n : k, transB ? k : n, ldb);
        CheckExtent("c", c.Length, m, n, ldc);
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

    private static void CheckExtent(string name, int length, int rows, int cols, int ld)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < 1 || (long)(rows - 1) * ld + cols > length)
            throw new ArgumentException($"GEMM operand {name} ({rows}×{cols} with leading dimension {ld}) needs more than its {length} elements.", name);
    }

    /// <summary>Below this many columns, C is computed as dot products (rows in parallel) rather than row axpy's.</summary>
    private const int DotColumns = 8;

    private static void RunSmall<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, ref T[]? packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n < DotColumns)
        {
            RunDots(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        if (transB && k == 1 && ldb == 1)
        {
            // op(B) is one row, Bᵀ's single column, already contiguous: the tutorial's hidden layer.
            transB = false;
            ldb = n;
        }
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
            else if (beta != T.One) ScaleInPlace(row, beta);
            nint aStep = transA ? lda : 1;
            ref T ai = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), transA ? i : (nint)i * lda);
            int j = 0;
            if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
                j = RowBlocks512(ref ai, aStep, k, alpha, b, ldb, row);
            // The columns left, as axpy's over rows of B: the same operations per element as the blocks.
            if (j < n)
                for (int p = 0; p < k; p++)
                    // No skipping of zero aip: 0·inf must give nan in C, as BLAS (and so PyTorch) computes it.
                    AddScaled(b.Slice(p * ldb + j, n - j), alpha * Unsafe.Add(ref ai, p * aStep), row.Slice(j));
        }
    }

    /// <summary>
    /// One row of C in blocks of four 512-bit vectors held in registers over the whole k loop, so C is read and
    /// written once rather than once per p. Each element gets acc ← acc + b·(alpha·a) for p = 0…k-1 from C's value,
    /// multiply then add: the bits of the axpy form. Returns the first column not done.
    /// </summary>
    private static int RowBlocks512<T>(ref T ai, nint aStep, int k, T alpha, ReadOnlySpan<T> b, int ldb, Span<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count, n = row.Length, j = 0;
        ref T rb = ref MemoryMarshal.GetReference(b);
        ref T rc = ref MemoryMarshal.GetReference(row);
        for (; j + 4 * w <= n; j += 4 * w)
        {
            var c0 = Vector512.LoadUnsafe(ref rc, (nuint)j);
            var c1 = Vector512.LoadUnsafe(ref rc, (nuint)(j + w));
            var c2 = Vector512.LoadUnsafe(ref rc, (nuint)(j + 2 * w));
            var c3 = Vector512.LoadUnsafe(ref rc, (nuint)(j + 3 * w));
            ref T bj = ref Unsafe.Add(ref rb, j);
            for (int p = 0; p < k; p++)
            {
                var s = Vector512.Create(alpha * Unsafe.Add(ref ai, p * aStep));
                ref T bp = ref Unsafe.Add(ref bj, (nint)p * ldb);
                c0 += Vector512.LoadUnsafe(ref bp) * s;
                c1 += Vector512.LoadUnsafe(ref bp, (nuint)w) * s;
                c2 += Vector512.LoadUnsafe(ref bp, (nuint)(2 * w)) * s;
                c3 += Vector512.LoadUnsafe(ref bp, (nuint)(3 * w)) * s;
            }
            c0.StoreUnsafe(ref rc, (nuint)j);
            c1.StoreUnsafe(ref rc, (nuint)(j + w));
            c2.StoreUnsafe(ref rc, (nuint)(j + 2 * w));
            c3.StoreUnsafe(ref rc, (nuint)(j + 3 * w));
        }
        for (; j + w <= n; j += w)
        {
            var c0 = Vector512.LoadUnsafe(ref rc, (nuint)j);
            ref T bj = ref Unsafe.Add(ref rb, j);
            for (int p = 0; p < k; p++)
                c0 += Vector512.LoadUnsafe(ref Unsafe.Add(ref bj, (nint)p * ldb)) * Vector512.Create(alpha * Unsafe.Add(ref ai, p * aStep));
            c0.StoreUnsafe(ref rc, (nuint)j);
        }
        return j;
    }

    /// <summary>
    /// Narrow C (the tutorial's n = 1 layers): each element is one dot product over k, four rows at a time so the
    /// additions of different rows overlap. Each element sees the same operations, in the same order, as the axpy
    /// form: acc ← acc + b·(alpha·a), p = 0…k-1, from 0, C or beta·C.
    /// </summary>
    private static void RunDots<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Strides of op(A) and op(B) along their two axes, so one loop serves all four transpose cases. Extents
        // were checked by Run.
        nint aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        nint bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetReference(b);
        ref T rc = ref MemoryMarshal.GetReference(c);
        // alpha·a is a itself when alpha is 1: the loop without the multiply gives the same bits.
        bool unit = alpha == T.One;
        for (int j = 0; j < n; j++)
        {
            int i = 0;
            for (; i + 4 <= m; i += 4)
            {
                ref T c0 = ref Unsafe.Add(ref rc, (nint)i * ldc + j);
                ref T c1 = ref Unsafe.Add(ref c0, ldc);
                ref T c2 = ref Unsafe.Add(ref c1, ldc);
                ref T c3 = ref Unsafe.Add(ref c2, ldc);
                T s0 = Start(c0, beta), s1 = Start(c1, beta), s2 = Start(c2, beta), s3 = Start(c3, beta);
                ref T bj = ref Unsafe.Add(ref rb, j * bCol);
                ref T ai = ref Unsafe.Add(ref ra, i * aRow);
                for (int p = 0; p < k; p++)
                {
                    T bp = Unsafe.Add(ref bj, p * bRow);
                    ref T ap = ref Unsafe.Add(ref ai, p * aCol);
                    T a0 = ap, a1 = Unsafe.Add(ref ap, aRow), a2 = Unsafe.Add(ref ap, 2 * aRow), a3 = Unsafe.Add(ref ap, 3 * aRow);
                    if (!unit) { a0 = alpha * a0; a1 = alpha * a1; a2 = alpha * a2; a3 = alpha * a3; }
                    s0 += bp * a0;
                    s1 += bp * a1;
                    s2 += bp * a2;
                    s3 += bp * a3;
                }
                c0 = s0; c1 = s1; c2 = s2; c3 = s3;
            }
            for (; i < m; i++)
            {
                ref T ci = ref Unsafe.Add(ref rc, (nint)i * ldc + j);
                T s = Start(ci, beta);
                for (int p = 0; p < k; p++)
                {
                    T ap = Unsafe.Add(ref ra, i * aRow + p * aCol);
                    s += Unsafe.Add(ref rb, j * bCol + p * bRow) * (unit ? ap : alpha * ap);
                }
                ci = s;
            }
        }
    }

    /// <summary>The accumulator's start: 0 when beta is 0 (C is not read, so NaN in C does not leak), C, or beta·C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Start<T>(T c, T beta) where T : unmanaged, IFloatingPointIeee754<T> =>
        beta == T.Zero ? T.Zero : beta == T.One ? c : c * beta;

    /// <summary>y[i] += x[i]·s, multiply then add (two roundings, as the scalar form).</summary>
    private static void AddScaled<T>(ReadOnlySpan<T> x, T s, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, len = x.Length;
        if (len > y.Length) throw new ArgumentException("Destination too short.");
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T ry = ref MemoryMarshal.GetReference(y);
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && len >= Vector<T>.Count)
        {
            var vs = new Vector<T>(s);
            for (; i <= len - Vector<T>.Count; i += Vector<T>.Count)
                (Vector.LoadUnsafe(ref rx, (nuint)i) * vs + Vector.LoadUnsafe(ref ry, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        }
        for (; i < len; i++) Unsafe.Add(ref ry, i) += Unsafe.Add(ref rx, i) * s;
    }

    /// <summary>y[i] *= s.</summary>
    private static void ScaleInPlace<T>(Span<T> y, T s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < y.Length; i++) y[i] *= s;
    }

    private static unsafe void RunPacked(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        fixed (float* pa = a, pb = b, pc = c)
            PackedSgemm.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }
}
