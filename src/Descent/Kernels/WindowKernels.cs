using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Kernels;

/// <summary>
/// A sliding window over [H, W] planes, as convolution and pooling use it (1-D ops take H = 1, KH = 1): kernel,
/// stride, padding, dilation and the output size, which the caller computes (ceil_mode may add a window that
/// starts in the padding; reads outside the input are zeros).
/// </summary>
internal readonly record struct Window(int H, int W, int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW, int OH, int OW)
{
    /// <summary>Output positions per plane.</summary>
    public int L => OH * OW;

    /// <summary>Kernel taps.</summary>
    public int K => KH * KW;

    /// <summary>Input elements per plane.</summary>
    public int Plane => H * W;
}

/// <summary>
/// The loops behind convolution (im2col / col2im, so that the product runs on the GEMM) and max pooling. Columns are
/// laid out [C·KH·KW, B·L]: row (c, ki, kj), column (b, oh, ow), so a convolution of the whole batch is one GEMM.
/// Work is split over channels, which write disjoint rows (im2col) or planes (col2im), on the worker pool.
/// </summary>
internal static class WindowKernels
{
    /// <summary>Below this many elements a call stays on one thread.</summary>
    private const int ParallelElements = 1 << 15;

    public static void Im2Col<T>(T[] x, int xOffset, T[] cols, int batch, int channels, Window w) where T : unmanaged, INumberBase<T>
    {
        var job = new Im2ColJob<T>(x, xOffset, cols, batch, channels, w);
        Dispatch(job, channels, (long)cols.Length);
    }

    public static void Col2Im<T>(T[] cols, int colsOffset, T[] x, int batch, int channels, Window w) where T : unmanaged, INumberBase<T>
    {
        var job = new Col2ImJob<T>(cols, colsOffset, x, batch, channels, w);
        Dispatch(job, channels, (long)batch * channels * w.K * w.L);
    }

    private static void Dispatch(ChunkWork job, int channels, long elements)
    {
        int threads = elements < ParallelElements ? 1 : WorkerPool.NumThreads;
        WorkerPool.Run(job, channels, threads);
    }

    private sealed class Im2ColJob<T>(T[] x, int xOffset, T[] cols, int batch, int channels, Window w) : ChunkWork where T : unmanaged, INumberBase<T>
    {
        public override void RunChunk(int c)
        {
            int bl = batch * w.L;
            for (int b = 0; b < batch; b++)
                Im2ColChannel<T>(x.AsSpan(xOffset + (b * channels + c) * w.Plane, w.Plane), cols.AsSpan(c * w.K * bl), bl, b * w.L, w);
        }
    }

    private sealed class Col2ImJob<T>(T[] cols, int colsOffset, T[] x, int batch, int channels, Window w) : ChunkWork where T : unmanaged, INumberBase<T>
    {
        public override void RunChunk(int c)
        {
            int bl = batch * w.L;
            for (int b = 0; b < batch; b++)
                Col2ImChannel<T>(cols.AsSpan(colsOffset + c * w.K * bl), bl, b * w.L, x.AsSpan((b * channels + c) * w.Plane, w.Plane), w);
        }
    }

    /// <summary>The columns of one image [C·KH·KW, L] (<paramref name="cols"/> holds exactly them), on the calling thread.</summary>
    public static void Im2ColImage<T>(ReadOnlySpan<T> image, Span<T> cols, int channels, Window w) where T : unmanaged, INumberBase<T>
    {
        for (int c = 0; c < channels; c++) Im2ColChannel(image.Slice(c * w.Plane, w.Plane), cols.Slice(c * w.K * w.L), w.L, 0, w);
    }

    /// <summary>Adds one image's columns [C·KH·KW, L] into the image, on the calling thread: the adjoint of <see cref="Im2ColImage"/>.</summary>
    public static void Col2ImImage<T>(ReadOnlySpan<T> cols, Span<T> image, int channels, Window w) where T : unmanaged, INumberBase<T>
    {
        for (int c = 0; c < channels; c++) Col2ImChannel(cols.Slice(c * w.K * w.L), w.L, 0, image.Slice(c * w.Plane, w.Plane), w);
    }

    /// <summary>
    /// One channel's plane into its KH·KW rows of columns: tap (ki, kj) is the row at (ki·KW + kj)·<paramref name="ld"/>,
    /// and this image's positions start at column <paramref name="col0"/> of it.
    /// </summary>
    private static void Im2ColChannel<T>(ReadOnlySpan<T> src, Span<T> rows, int ld, int col0, Window w) where T : unmanaged, INumberBase<T>
    {
        for (int ki = 0; ki < w.KH; ki++)
            for (int kj = 0; kj < w.KW; kj++)
            {
                var dst = rows.Slice((ki * w.KW + kj) * ld + col0, w.L);
                int iw0 = kj * w.DW - w.PW;
                // A unit-stride tap whose row lies inside the input is one copy per output row.
                bool inside = w.SW == 1 && iw0 >= 0 && iw0 + w.OW <= w.W;
                for (int oh = 0, l = 0; oh < w.OH; oh++, l += w.OW)
                {
                    int ih = oh * w.SH - w.PH + ki * w.DH;
                    var d = dst.Slice(l, w.OW);
                    if ((uint)ih >= (uint)w.H) { d.Clear(); continue; }
                    var row = src.Slice(ih * w.W, w.W);
                    if (inside) { CopyShort(ref Unsafe.Add(ref MemoryMarshal.GetReference(row), iw0), ref MemoryMarshal.GetReference(d), w.OW); continue; }
                    for (int ow = 0; ow < d.Length; ow++)
                    {
                        int iw = iw0 + ow * w.SW;
                        d[ow] = (uint)iw < (uint)w.W ? row[iw] : T.Zero;
                    }
                }
            }
    }

    /// <summary>The adjoint of <see cref="Im2ColChannel"/>: one channel's rows of columns added into its plane.</summary>
    private static void Col2ImChannel<T>(ReadOnlySpan<T> rows, int ld, int col0, Span<T> dst, Window w) where T : unmanaged, INumberBase<T>
    {
        for (int ki = 0; ki < w.KH; ki++)
            for (int kj = 0; kj < w.KW; kj++)
            {
                var src = rows.Slice((ki * w.KW + kj) * ld + col0, w.L);
                int iw0 = kj * w.DW - w.PW;
                bool inside = w.SW == 1 && iw0 >= 0 && iw0 + w.OW <= w.W;
                for (int oh = 0, l = 0; oh < w.OH; oh++, l += w.OW)
                {
                    int ih = oh * w.SH - w.PH + ki * w.DH;
                    if ((uint)ih >= (uint)w.H) continue;
                    var row = dst.Slice(ih * w.W, w.W);
                    if (inside)
                    {
                        AddShort(ref Unsafe.Add(ref MemoryMarshal.GetReference(src), l), ref Unsafe.Add(ref MemoryMarshal.GetReference(row), iw0), w.OW);
                        continue;
                    }
                    for (int ow = 0; ow < w.OW; ow++)
                    {
                        int iw = iw0 + ow * w.SW;
                        if ((uint)iw < (uint)w.W) row[iw] += src[l + ow];
                    }
                }
            }
    }

    /// <summary>
    /// Max pooling of <paramref name="planes"/> planes: each output is its window's maximum (NaN wins, the first of
    /// equal values wins) and its index in the plane, PyTorch's CPU kernel rule, which also gives an all -inf window
    /// its first element. Planes are spread over the worker pool.
    /// </summary>
    public static void MaxPool<T>(T[] x, int xOffset, T[] y, long[] indices, int planes, Window w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = Math.Min(planes, 64);
        var job = new MaxPoolJob<T>(x, xOffset, y, indices, planes, chunks, w);
        WorkerPool.Run(job, chunks, (long)planes * w.L * w.K < ParallelElements ? 1 : WorkerPool.NumThreads);
    }

    private sealed class MaxPoolJob<T>(T[] x, int xOffset, T[] y, long[] indices, int planes, int chunks, Window w) : ChunkWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override void RunChunk(int chunk)
        {
            var (lo, count) = Part(planes, chunk, chunks);
            for (int p = lo; p < lo + count; p++)
                MaxPoolPlane(ref x[xOffset + p * w.Plane], ref y[p * w.L], ref indices[p * w.L], w);
        }
    }

    /// <summary>One plane of <see cref="MaxPool"/>; the running maximum is kept by selects (<see cref="Take"/>), as random data defeats branch prediction.</summary>
    private static void MaxPoolPlane<T>(ref T src, ref T dst, ref long ind, Window w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (w.KH == 2 && w.KW == 2 && w.DH == 1 && w.DW == 1 && w.PH == 0 && w.PW == 0 &&
            (w.OH - 1) * w.SH + 2 <= w.H && (w.OW - 1) * w.SW + 2 <= w.W)
        {
            MaxPoolPlane2x2(ref src, ref dst, ref ind, w);
            return;
        }
        int o = 0;
        for (int oh = 0; oh < w.OH; oh++)
        {
            int h0 = oh * w.SH - w.PH, h1 = Math.Min(h0 + (w.KH - 1) * w.DH + 1, w.H);
            while (h0 < 0) h0 += w.DH;
            for (int ow = 0; ow < w.OW; ow++, o++)
            {
                int w0 = ow * w.SW - w.PW, w1 = Math.Min(w0 + (w.KW - 1) * w.DW + 1, w.W);
                while (w0 < 0) w0 += w.DW;
                int best = h0 * w.W + w0;
                T max = T.NegativeInfinity;
                for (int ih = h0; ih < h1; ih += w.DH)
                    for (int i = ih * w.W + w0, end = ih * w.W + w1; i < end; i += w.DW)
                        Take(ref max, ref best, Unsafe.Add(ref src, i), i);
                Unsafe.Add(ref dst, o) = max;
                Unsafe.Add(ref ind, o) = best;
            }
        }
    }

    /// <summary>
    /// The common 2×2 window wholly inside the plane (no padding or dilation, any stride): the four taps in scan order,
    /// with the general loop's rule (the first tap always taken, then a tap that is larger or NaN).
    /// </summary>
    private static void MaxPoolPlane2x2<T>(ref T src, ref T dst, ref long ind, Window w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int o = 0;
        for (int oh = 0; oh < w.OH; oh++)
        {
            int row = oh * w.SH * w.W;
            for (int ow = 0, i = row; ow < w.OW; ow++, o++, i += w.SW)
            {
                T max = Unsafe.Add(ref src, i);
                int best = i;
                Take(ref max, ref best, Unsafe.Add(ref src, i + 1), i + 1);
                Take(ref max, ref best, Unsafe.Add(ref src, i + w.W), i + w.W);
                Take(ref max, ref best, Unsafe.Add(ref src, i + w.W + 1), i + w.W + 1);
                Unsafe.Add(ref dst, o) = max;
                Unsafe.Add(ref ind, o) = best;
            }
        }
    }

    // A convolution's rows are short (an output row: 8 to a few dozen elements), and are copied or added thousands of
    // times per image: inline vector loops, where a library call's checks and dispatch cost more than the copy.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort<T>(ref T src, ref T dst, int n) where T : unmanaged
    {
        int i = 0;
        for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            Vector256.LoadUnsafe(ref src, (nuint)i).StoreUnsafe(ref dst, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref dst, i) = Unsafe.Add(ref src, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddShort<T>(ref T src, ref T dst, int n) where T : unmanaged, INumberBase<T>
    {
        int i = 0;
        for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            (Vector256.LoadUnsafe(ref dst, (nuint)i) + Vector256.LoadUnsafe(ref src, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref dst, i) += Unsafe.Add(ref src, i);
    }

    /// <summary>
    /// max, best ← v, i when v is larger or NaN, without a branch: the comparison as a lane mask, the value by a
    /// vector select and the index by masking.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take<T>(ref T max, ref int best, T v, int i) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var vv = Vector128.CreateScalarUnsafe(v);
        var vm = Vector128.CreateScalarUnsafe(max);
        var take = Vector128.GreaterThan(vv, vm) | ~Vector128.Equals(vv, vv);
        max = Vector128.ConditionalSelect(take, vv, vm).ToScalar();
        int mask = -(int)(Vector128.ExtractMostSignificantBits(take) & 1);
        best = (best & ~mask) | (i & mask);
    }

    /// <summary>y[p, l] = x[p, indices[p, l]]: max pooling's gradient of its gradient.</summary>
    public static void Gather<T>(ReadOnlySpan<T> x, ReadOnlySpan<long> indices, Span<T> y, int planes, int plane, int l) where T : unmanaged
    {
        for (int p = 0; p < planes; p++)
        {
            var src = x.Slice(p * plane, plane);
            for (int o = p * l, end = o + l; o < end; o++) y[o] = src[(int)indices[o]];
        }
    }

    /// <summary>x[p, indices[p, l]] += g[p, l] into a zeroed x: max pooling's input gradient.</summary>
    public static void Scatter<T>(ReadOnlySpan<T> g, ReadOnlySpan<long> indices, Span<T> x, int planes, int plane, int l) where T : unmanaged, INumberBase<T>
    {
        for (int p = 0; p < planes; p++)
        {
            var dst = x.Slice(p * plane, plane);
            for (int o = p * l, end = o + l; o < end; o++) dst[(int)indices[o]] += g[o];
        }
    }
}
