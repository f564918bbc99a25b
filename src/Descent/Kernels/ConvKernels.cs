using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Descent.Kernels;

/// <summary>The sizes of a convolution: input [Batch, Cin, H, W], weight [Cout, Cin/Groups, KH, KW], output [Batch, Cout, OH, OW].</summary>
internal readonly record struct ConvGeometry(int Batch, int Cin, int Cout, int Groups, Window W)
{
    /// <summary>Output channels per group.</summary>
    public int CoutG => Cout / Groups;

    /// <summary>Rows of one group's columns (and columns of its weight matrix): Cin/Groups·KH·KW.</summary>
    public int Kg => Cin / Groups * W.K;

    /// <summary>Elements of one image's columns [Cin·KH·KW, L].</summary>
    public int ColsLength => Cin * W.K * W.L;

    /// <summary>
    /// Whether the columns of an image are the image itself (1×1 kernel, stride 1, no padding), so im2col is skipped.
    /// </summary>
    public bool Pointwise => W.KH == 1 && W.KW == 1 && W.SH == 1 && W.SW == 1 && W.PH == 0 && W.PW == 0 && W.OH == W.H && W.OW == W.W;
}

/// <summary>
/// Convolution one image at a time, images spread over the <see cref="WorkerPool"/>: each image's columns
/// [Cin·KH·KW, L] go to a pooled buffer small enough to stay in cache, and one product per group
/// W_g[CoutG, Kg]·cols_g[Kg, L] writes the image's output [CoutG, L] straight into NCHW, so nothing is permuted. The
/// backward pass runs the adjoints per image: Wᵀ·gy into columns summed back into the input gradient (col2im), and
/// gy·colsᵀ into the weight gradient. Weight and bias gradients are summed over a fixed number of contiguous ranges
/// of the batch, then the ranges added in order, so the result does not depend on the thread count.
/// </summary>
internal static class ConvKernels
{
    /// <summary>The most ranges the batch is cut into for the weight and bias gradients.</summary>
    private const int MaxPartials = 8;

    /// <summary>Partial weight gradients are kept to this many elements in all.</summary>
    private const int PartialBudget = 1 << 22;

    /// <summary>From this many output positions per image on, the weight gradient is taken as dot products.</summary>
    private const int DotLength = 256;

    /// <summary>Below this many multiply-adds a call stays on one thread.</summary>
    private const long ParallelWork = 1L << 17;

    public static void Forward<T>(ConvGeometry geo, T[] x, int xOffset, T[] weight, int wOffset, T[]? bias, int bOffset, T[] y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (geo.Batch == 0) return;
        var job = new ForwardJob<T>(geo, x, xOffset, weight, wOffset, bias, bOffset, y);
        WorkerPool.Run(job, geo.Batch, Threads(geo));
    }

    /// <summary>
    /// The gradients of the input (added into the zeroed <paramref name="gx"/>), weight (<paramref name="gw"/>,
    /// overwritten) and bias (<paramref name="gb"/>, overwritten) from gy [Batch, Cout, OH, OW]; a null target is skipped.
    /// </summary>
    public static void Backward<T>(ConvGeometry geo, T[] gy, int gyOffset, T[] x, int xOffset, T[] weight, int wOffset, T[]? gx, T[]? gw, T[]? gb)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int wLength = geo.Cout * geo.Kg;
        int partials = Math.Max(1, Math.Min(Math.Min(geo.Batch, MaxPartials), PartialBudget / Math.Max(wLength, 1)));
        T[]? pw = gw is null ? null : ArrayPool<T>.Shared.Rent(partials * wLength);
        T[]? pb = gb is null ? null : ArrayPool<T>.Shared.Rent(partials * geo.Cout);
        try
        {
            pw?.AsSpan(0, partials * wLength).Clear();
            pb?.AsSpan(0, partials * geo.Cout).Clear();
            if (geo.Batch > 0)
            {
                var job = new BackwardJob<T>(geo, gy, gyOffset, x, xOffset, weight, wOffset, gx, pw, pb, partials);
                WorkerPool.Run(job, partials, Threads(geo));
            }
            if (gw is not null) Reduce(pw!, gw.AsSpan(0, wLength), partials);
            if (gb is not null) Reduce(pb!, gb.AsSpan(0, geo.Cout), partials);
        }
        finally
        {
            if (pw is not null) ArrayPool<T>.Shared.Return(pw);
            if (pb is not null) ArrayPool<T>.Shared.Return(pb);
        }
    }

    private static int Threads(ConvGeometry geo) =>
        (long)geo.Batch * geo.Cout * geo.Kg * geo.W.L < ParallelWork ? 1 : WorkerPool.NumThreads;

    /// <summary>dst = Σ_r partials[r] in order r = 0, 1, ….</summary>
    private static void Reduce<T>(T[] partials, Span<T> dst, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        partials.AsSpan(0, dst.Length).CopyTo(dst);
        for (int r = 1; r < count; r++) TensorPrimitives.Add(dst, partials.AsSpan(r * dst.Length, dst.Length), dst);
    }

    /// <summary>The columns of image <paramref name="b"/>: the image itself for a pointwise convolution, else im2col into <paramref name="buffer"/>.</summary>
    private static ReadOnlySpan<T> Columns<T>(ConvGeometry geo, T[] x, int xOffset, int b, T[] buffer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = geo.Cin * geo.W.Plane;
        var image = x.AsSpan(xOffset + b * plane, plane);
        if (geo.Pointwise) return image;
        var cols = buffer.AsSpan(0, geo.ColsLength);
        WindowKernels.Im2ColImage<T>(image, cols, geo.Cin, geo.W);
        return cols;
    }

    private sealed class ForwardJob<T>(ConvGeometry geo, T[] x, int xOffset, T[] weight, int wOffset, T[]? bias, int bOffset, T[] y) : ChunkWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override void RunChunk(int b)
        {
            int l = geo.W.L, kg = geo.Kg, coutG = geo.CoutG;
            var buffer = ArrayPool<T>.Shared.Rent(geo.Pointwise ? 1 : geo.ColsLength);
            try
            {
                var cols = Columns(geo, x, xOffset, b, buffer);
                var output = y.AsSpan(b * geo.Cout * l, geo.Cout * l);
                for (int g = 0; g < geo.Groups; g++)
                    Gemm.Run(false, false, coutG, l, kg, T.One, weight.AsSpan(wOffset + g * coutG * kg, coutG * kg), kg,
                        cols.Slice(g * kg * l, kg * l), l, T.Zero, output.Slice(g * coutG * l, coutG * l), l);
                if (bias is null) return;
                for (int c = 0; c < geo.Cout; c++)
                {
                    var row = output.Slice(c * l, l);
                    TensorPrimitives.Add(row, bias[bOffset + c], row);
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(buffer);
            }
        }
    }

    private sealed class BackwardJob<T>(ConvGeometry geo, T[] gy, int gyOffset, T[] x, int xOffset, T[] weight, int wOffset,
        T[]? gx, T[]? pw, T[]? pb, int partials) : ChunkWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override void RunChunk(int r)
        {
            int l = geo.W.L, kg = geo.Kg, coutG = geo.CoutG, wLength = geo.Cout * kg;
            var (lo, count) = Part(geo.Batch, r, partials);
            int hi = lo + count;
            var buffer = ArrayPool<T>.Shared.Rent(geo.ColsLength);
            try
            {
                for (int b = lo; b < hi; b++)
                {
                    var g = gy.AsSpan(gyOffset + b * geo.Cout * l, geo.Cout * l);
                    if (gx is not null) InputGrad(b, g, buffer);
                    if (pw is not null)
                    {
                        var cols = Columns(geo, x, xOffset, b, buffer);
                        var acc = pw.AsSpan(r * wLength, wLength);
                        for (int k = 0; k < geo.Groups; k++)
                            WeightGrad(g.Slice(k * coutG * l, coutG * l), cols.Slice(k * kg * l, kg * l), acc.Slice(k * coutG * kg, coutG * kg), coutG, kg, l);
                    }
                    if (pb is not null)
                        for (int c = 0; c < geo.Cout; c++) pb[r * geo.Cout + c] += TensorPrimitives.Sum<T>(g.Slice(c * l, l));
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(buffer);
            }
        }

        /// <summary>
        /// acc[CoutG, Kg] += gy[CoutG, L]·cols[Kg, L]ᵀ. Both operands are read along L, so with long rows (the first
        /// layers of a network, few channels and many positions) each element is one vectorised dot product; short
        /// rows go to the GEMM, which packs them.
        /// </summary>
        private static void WeightGrad(ReadOnlySpan<T> gy, ReadOnlySpan<T> cols, Span<T> acc, int coutG, int kg, int l)
        {
            if (l < DotLength)
            {
                Gemm.Run(false, true, coutG, kg, l, T.One, gy, l, cols, l, T.One, acc, kg);
                return;
            }
            for (int i = 0; i < coutG; i++)
            {
                var gi = gy.Slice(i * l, l);
                var row = acc.Slice(i * kg, kg);
                for (int j = 0; j < kg; j++) row[j] += TensorPrimitives.Dot(gi, cols.Slice(j * l, l));
            }
        }

        /// <summary>Columns Wᵀ·gy of image <paramref name="b"/>, summed back into its input gradient.</summary>
        private void InputGrad(int b, ReadOnlySpan<T> g, T[] buffer)
        {
            int l = geo.W.L, kg = geo.Kg, coutG = geo.CoutG, plane = geo.Cin * geo.W.Plane;
            var image = gx!.AsSpan(b * plane, plane);
            // Pointwise: the columns are the image, so the product writes the gradient in place.
            var cols = geo.Pointwise ? image : buffer.AsSpan(0, geo.ColsLength);
            for (int k = 0; k < geo.Groups; k++)
                Gemm.Run(true, false, kg, l, coutG, T.One, weight.AsSpan(wOffset + k * coutG * kg, coutG * kg), kg, g.Slice(k * coutG * l, coutG * l), l,
                    T.Zero, cols.Slice(k * kg * l, kg * l), l);
            if (!geo.Pointwise) WindowKernels.Col2ImImage<T>(cols, image, geo.Cin, geo.W);
        }
    }
}
