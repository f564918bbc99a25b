using System.Numerics;
using System.Numerics.Tensors;
using Descent.Autograd;

namespace Descent.Tensors;

/// <summary>What a row reduction computes.</summary>
internal enum RowReduction { Sum, Max, Min, ArgMax, ArgMin }

// Reductions over all elements or given dimensions, with keepDim as in PyTorch.
public sealed partial class Tensor
{
    /// <summary>Which dims are reduced; an empty list means all, as in PyTorch.</summary>
    internal bool[] ReduceMask(ReadOnlySpan<int> dims)
    {
        var mask = new bool[Dim];
        if (dims.Length == 0) { Array.Fill(mask, true); return mask; }
        foreach (var d in dims)
        {
            int w = ShapeHelper.WrapDim(d, Dim);
            if (Dim == 0) continue;
            if (mask[w]) throw new ArgumentException($"dim {w} appears multiple times in the list of dims");
            mask[w] = true;
        }
        return mask;
    }

    /// <summary>
    /// How many elements each reduction combines: the product of the reduced sizes, checked (a tensor with a size 0
    /// elsewhere can reduce over sizes whose product exceeds its element count).
    /// </summary>
    private int ReducedNumel(bool[] mask)
    {
        long n = 1;
        for (int d = 0; d < Dim; d++) if (mask[d] && shape[d] == 0) return 0;
        for (int d = 0; d < Dim; d++)
        {
            if (!mask[d]) continue;
            n *= shape[d];
            if (n > int.MaxValue) return ShapeHelper.Numel(shape.Where((_, i) => mask[i]).ToArray());
        }
        return (int)n;
    }

    internal int[] ReducedShape(bool[] mask, bool keepDim)
    {
        var r = new List<int>();
        for (int d = 0; d < Dim; d++)
        {
            if (!mask[d]) r.Add(shape[d]);
            else if (keepDim) r.Add(1);
        }
        return r.ToArray();
    }

    /// <summary>Reduces each group of elements that differ only in the masked dims (no autograd).</summary>
    internal Tensor ReduceRaw(bool[] mask, bool keepDim, RowReduction kind)
    {
        if (kind == RowReduction.Sum && DType.IsFloatingPoint() && IsLeadingSum(mask)) return SumLeadingDims(mask, keepDim);
        // Move reduced dims last, so each output element owns one contiguous row.
        var perm = new int[Dim];
        int k = 0;
        for (int d = 0; d < Dim; d++) if (!mask[d]) perm[k++] = d;
        for (int d = 0; d < Dim; d++) if (mask[d]) perm[k++] = d;
        int inner = ReducedNumel(mask);
        Tensor x;
        using (GradMode.Set(false)) x = Detach().Permute(perm).Contiguous();
        var outShape = ReducedShape(mask, keepDim);
        bool arg = kind is RowReduction.ArgMax or RowReduction.ArgMin;
        int outer = ShapeHelper.Numel(outShape);
        if (inner == 0 && kind != RowReduction.Sum)
            throw new ArgumentException($"{(arg ? "argmax" : "max")}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        var r = Allocate(arg ? DType.Int64 : DType is DType.Bool or DType.Int64 ? DType.Int64 : DType, outShape);
        switch (x.storage)
        {
            case Storage<float> f: ReduceRows(f.Data, x.offset, outer, inner, r, kind); break;
            case Storage<double> d: ReduceRows(d.Data, x.offset, outer, inner, r, kind); break;
            default:
                // Integers (and bools as 0/1) reduce in int64, exactly, as PyTorch's integer reductions do.
                var xl = x.To(DType.Int64);
                ReduceRowsInt64(xl.Data<long>(), xl.offset, outer, inner, r.Data<long>(), kind);
                break;
        }
        return r;
    }

    /// <summary>Whether the reduced dims are a proper prefix of a contiguous tensor (a bias gradient's sum over the batch).</summary>
    private bool IsLeadingSum(bool[] mask)
    {
        if (!IsContiguous || Dim < 2 || !mask[0] || mask[^1]) return false;
        bool inPrefix = true;
        foreach (var m in mask)
        {
            if (m && !inPrefix) return false;
            if (!m) inPrefix = false;
        }
        return true;
    }

    /// <summary>
    /// Sums the leading dims by adding whole rows into the result, in row order as PyTorch's vectorised outer
    /// reduction does, without the transposed copy the general path makes.
    /// </summary>
    private Tensor SumLeadingDims(bool[] mask, bool keepDim)
    {
        int rows = ReducedNumel(mask);
        return SumLeadingRows(rows, ReducedShape(mask, keepDim));
    }

    /// <summary>The sum of this contiguous tensor's first <paramref name="rows"/> rows, each of <paramref name="outShape"/>'s size.</summary>
    private Tensor SumLeadingRows(int rows, int[] outShape)
    {
        var r = Allocate(DType, outShape);
        int width = r.Numel;
        if (DType == DType.Float32) AddRows(Data<float>().AsSpan(offset, rows * width), r.AsSpan<float>(), rows);
        else AddRows(Data<double>().AsSpan(offset, rows * width), r.AsSpan<double>(), rows);
        return r;
    }

    /// <summary>
    /// dst = Σ rows of src, adding row after row (so every column sums in row order). Narrow rows (a bias of one
    /// or a few outputs) sum column by column in a register rather than through a call per row.
    /// </summary>
    private static void AddRows<T>(ReadOnlySpan<T> src, Span<T> dst, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = dst.Length;
        if (rows == 0) { dst.Clear(); return; }
        if (width < System.Numerics.Vector<T>.Count)
        {
            for (int j = 0; j < width; j++)
            {
                T s = src[j];
                for (int i = 1; i < rows; i++) s += src[i * width + j];
                dst[j] = s;
            }
            return;
        }
        src[..width].CopyTo(dst);
        for (int i = 1; i < rows; i++) TensorPrimitives.Add(dst, src.Slice(i * width, width), dst);
    }

    /// <summary>Σ over the rows of a contiguous matrix ([rows×n] → [n]): a Linear bias's gradient.</summary>
    internal Tensor SumRows()
    {
        if (Dim != 2 || !IsContiguous || DType is not (DType.Float32 or DType.Float64)) return SumToShape([shape[1]]);
        return SumLeadingRows(shape[0], [shape[1]]);
    }

    private static void ReduceRowsInt64(long[] data, int start, int outer, int inner, long[] result, RowReduction kind)
    {
        for (int o = 0; o < outer; o++)
        {
            var row = new ReadOnlySpan<long>(data, start + o * inner, inner);
            result[o] = kind switch
            {
                RowReduction.Sum => TensorPrimitives.Sum(row),
                RowReduction.Max => TensorPrimitives.Max(row),
                RowReduction.Min => TensorPrimitives.Min(row),
                RowReduction.ArgMax => TensorPrimitives.IndexOfMax(row),
                _ => TensorPrimitives.IndexOfMin(row),
            };
        }
    }

    private static void ReduceRows<T>(T[] data, int start, int outer, int inner, Tensor r, RowReduction kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            var row = new ReadOnlySpan<T>(data, start + o * inner, inner);
            double v = kind switch
            {
                RowReduction.Sum => double.CreateTruncating(TensorPrimitives.Sum(row)),
                RowReduction.Max => double.CreateTruncating(TensorPrimitives.Max(row)),
                RowReduction.Min => double.CreateTruncating(TensorPrimitives.Min(row)),
                RowReduction.ArgMax => TensorPrimitives.IndexOfMax(row),
                _ => TensorPrimitives.IndexOfMin(row),
            };
            r.SetFlat(o, v);
        }
    }

    /// <summary>Sum of all elements, like <c>sum()</c>.</summary>
    public Tensor Sum() => SumImpl(ReduceMask([]), false, "SumBackward0");

    /// <summary>Sum over <paramref name="dims"/>, like <c>sum(dim, keepdim)</c>.</summary>
    public Tensor Sum(int[] dims, bool keepDim = false) => SumImpl(ReduceMask(dims), keepDim, "SumBackward1");

    /// <summary>Sum over one dimension.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => Sum([dim], keepDim);

    private Tensor SumImpl(bool[] mask, bool keepDim, string name)
    {
        var r = ReduceRaw(mask, keepDim, RowReduction.Sum);
        return Graph.Needs(this) ? Graph.Attach(r, new ReduceBackward(shape, mask, keepDim, 1.0, name), this) : r;
    }

    /// <summary>Mean of all elements, like <c>mean()</c>.</summary>
    public Tensor Mean() => MeanImpl(ReduceMask([]), false, "MeanBackward0");

    /// <summary>Mean over <paramref name="dims"/>.</summary>
    public Tensor Mean(int[] dims, bool keepDim = false) => MeanImpl(ReduceMask(dims), keepDim, "MeanBackward1");

    /// <summary>Mean over one dimension.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => Mean([dim], keepDim);

    private Tensor MeanImpl(bool[] mask, bool keepDim, string name)
    {
        if (!DType.IsFloatingPoint())
            throw new NotSupportedException($"mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {DType.ScalarTypeName()}");
        int count = ReducedNumel(mask);
        var r = ReduceRaw(mask, keepDim, RowReduction.Sum);
        r = MapScalar(r, count, new Kernels.BinaryOps.Div());
        return Graph.Needs(this) ? Graph.Attach(r, new ReduceBackward(shape, mask, keepDim, 1.0 / count, name), this) : r;
    }

    /// <summary>The largest element, like <c>max()</c>.</summary>
    public Tensor Max() => ExtremeAll(true);

    /// <summary>The smallest element, like <c>min()</c>.</summary>
    public Tensor Min() => ExtremeAll(false);

    private Tensor ExtremeAll(bool max)
    {
        var r = ReduceRaw(ReduceMask([]), false, max ? RowReduction.Max : RowReduction.Min);
        return Graph.Needs(this) ? Graph.Attach(r, new EvenlyDistributeBackward(this, r, ReduceMask([]), false, max ? "MaxBackward1" : "MinBackward1", nanHits: true), this) : r;
    }

    /// <summary>Largest values along a dimension and their indices, like <c>max(dim, keepdim)</c>.</summary>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepDim = false) => ExtremeDim(dim, keepDim, true);

    /// <summary>Smallest values along a dimension and their indices, like <c>min(dim, keepdim)</c>.</summary>
    public (Tensor Values, Tensor Indices) Min(int dim, bool keepDim = false) => ExtremeDim(dim, keepDim, false);

    private (Tensor, Tensor) ExtremeDim(int dim, bool keepDim, bool max)
    {
        var mask = ReduceMask([dim]);
        var idx = ReduceRaw(mask, true, max ? RowReduction.ArgMax : RowReduction.ArgMin);
        Tensor values;
        using (GradMode.Set(false)) values = Detach().Gather(ShapeHelper.WrapDim(dim, Math.Max(Dim, 1)), idx);
        if (!keepDim && Dim > 0)
        {
            int d = ShapeHelper.WrapDim(dim, Dim);
            idx = idx.Squeeze(d);
            values = values.Squeeze(d);
        }
        if (Graph.Needs(this))
            values = Graph.Attach(values.Detach(), new IndexReduceBackward(shape, ShapeHelper.WrapDim(dim, Math.Max(Dim, 1)), idx, keepDim, max ? "MaxBackward0" : "MinBackward0"), this);
        return (values, idx);
    }

    /// <summary>Index of the largest element (flattened), like <c>argmax()</c>.</summary>
    public Tensor Argmax() => Reshape(-1).ReduceRaw([true], false, RowReduction.ArgMax);

    /// <summary>Indices of the largest elements along a dimension, like <c>argmax(dim, keepdim)</c>.</summary>
    public Tensor Argmax(int dim, bool keepDim = false) => ReduceRaw(ReduceMask([dim]), keepDim, RowReduction.ArgMax);

    /// <summary>Index of the smallest element (flattened), like <c>argmin()</c>.</summary>
    public Tensor Argmin() => Reshape(-1).ReduceRaw([true], false, RowReduction.ArgMin);

    /// <summary>Indices of the smallest elements along a dimension.</summary>
    public Tensor Argmin(int dim, bool keepDim = false) => ReduceRaw(ReduceMask([dim]), keepDim, RowReduction.ArgMin);

    /// <summary>Largest values over <paramref name="dims"/> (all when empty), like <c>amax</c>; tied maxima share the gradient.</summary>
    public Tensor Amax(int[] dims, bool keepDim = false) => ExtremeDims(dims, keepDim, true, "AmaxBackward0");

    /// <summary>Largest value over one dimension, like <c>amax(dim)</c>.</summary>
    public Tensor Amax(int dim, bool keepDim = false) => Amax([dim], keepDim);

    /// <summary>Smallest values over <paramref name="dims"/> (all when empty), like <c>amin</c>; tied minima share the gradient.</summary>
    public Tensor Amin(int[] dims, bool keepDim = false) => ExtremeDims(dims, keepDim, false, "AminBackward0");

    /// <summary>Smallest value over one dimension, like <c>amin(dim)</c>.</summary>
    public Tensor Amin(int dim, bool keepDim = false) => Amin([dim], keepDim);

    private Tensor ExtremeDims(int[] dims, bool keepDim, bool max, string name)
    {
        var mask = ReduceMask(dims);
        var r = ReduceRaw(mask, keepDim, max ? RowReduction.Max : RowReduction.Min);
        return Graph.Needs(this) ? Graph.Attach(r, new EvenlyDistributeBackward(this, r, mask, keepDim, name), this) : r;
    }

    /// <summary>Variance over all elements, with Bessel's correction unless <paramref name="unbiased"/> is false.</summary>
    public Tensor Var(bool unbiased = true) => Var([], unbiased, false);

    /// <summary>Variance over <paramref name="dims"/>, like <c>var(dim, unbiased, keepdim)</c>.</summary>
    public Tensor Var(int[] dims, bool unbiased = true, bool keepDim = false) => Moment(dims, unbiased, keepDim, std: false);

    /// <summary>Variance over one dimension.</summary>
    public Tensor Var(int dim, bool unbiased = true, bool keepDim = false) => Var([dim], unbiased, keepDim);

    /// <summary>Standard deviation over all elements.</summary>
    public Tensor Std(bool unbiased = true) => Std([], unbiased, false);

    /// <summary>Standard deviation over <paramref name="dims"/>.</summary>
    public Tensor Std(int[] dims, bool unbiased = true, bool keepDim = false) => Moment(dims, unbiased, keepDim, std: true);

    /// <summary>
    /// Variance (two-pass: mean, then the mean square deviation) or its square root, with PyTorch's backward:
    /// 2·g·(x - mean)/(n - correction), and for std g/(2·std) first, zero where std is zero.
    /// </summary>
    private Tensor Moment(int[] dims, bool unbiased, bool keepDim, bool std)
    {
        RequireFloat(this, std ? "std" : "var");
        var mask = ReduceMask(dims);
        int n = ReducedNumel(mask);
        int divisor = Math.Max(n - (unbiased ? 1 : 0), 0);
        Tensor r;
        using (GradMode.Set(false))
        {
            var x = Detach();
            var mean = MapScalar(x.ReduceRaw(mask, keepDim: true, RowReduction.Sum), n, new Kernels.BinaryOps.Div());
            var centered = x.Sub(mean);
            r = MapScalar(centered.Mul(centered).ReduceRaw(mask, keepDim, RowReduction.Sum), divisor, new Kernels.BinaryOps.Div());
            if (std) r = MapUnary(r, new Kernels.UnaryOps.Sqrt());
        }
        return Graph.Needs(this) ? Graph.Attach(r, new VarStdBackward(this, r, mask, keepDim, n, divisor, std), this) : r;
    }

    /// <summary>Standard deviation over one dimension.</summary>
    public Tensor Std(int dim, bool unbiased = true, bool keepDim = false) => Std([dim], unbiased, keepDim);

    /// <summary>
    /// The p-norm over all elements or <paramref name="dims"/>, like <c>torch.norm</c> / <c>linalg.vector_norm</c>:
    /// p = 2 (default), 1, ∞ (max |x|), -∞ (min |x|), 0 (count of non-zeros) or any other real. Gradients follow
    /// PyTorch's norm_backward: zero where the norm is zero, shared among ties for ±∞, none for p = 0.
    /// </summary>
    public Tensor Norm(double p = 2, int[]? dims = null, bool keepDim = false)
    {
        RequireFloat(this, "linalg.vector_norm");
        var mask = ReduceMask(dims ?? []);
        Tensor r;
        using (GradMode.Set(false))
        {
            var a = Detach().Abs();
            if (double.IsPositiveInfinity(p)) r = a.ReduceRaw(mask, keepDim, RowReduction.Max);
            else if (double.IsNegativeInfinity(p)) r = a.ReduceRaw(mask, keepDim, RowReduction.Min);
            else if (p == 0) r = a.Ne(0.0).To(DType).ReduceRaw(mask, keepDim, RowReduction.Sum);
            else if (p == 1) r = a.ReduceRaw(mask, keepDim, RowReduction.Sum);
            else if (p == 2) r = MapUnary(a.Mul(a).ReduceRaw(mask, keepDim, RowReduction.Sum), new Kernels.UnaryOps.Sqrt());
            else r = a.Pow(p).ReduceRaw(mask, keepDim, RowReduction.Sum).Pow(1 / p);
        }
        return Graph.Needs(this) ? Graph.Attach(r, new NormBackward(this, r, p, mask, keepDim), this) : r;
    }

    /// <summary>log Σ exp over a dimension, computed stably, like <c>torch.logsumexp</c>.</summary>
    public Tensor LogSumExp(int dim, bool keepDim = false) => LogSumExp([dim], keepDim);

    /// <summary>
    /// log Σ exp over <paramref name="dims"/>, computed stably (the max is subtracted first), like
    /// <c>torch.logsumexp</c>; the gradient is g·exp(x - result), PyTorch's formula.
    /// </summary>
    public Tensor LogSumExp(int[] dims, bool keepDim = false)
    {
        RequireFloat(this, "logsumexp");
        var mask = ReduceMask(dims);
        Tensor r;
        using (GradMode.Set(false))
        {
            var x = Detach();
            var m = x.ReduceRaw(mask, keepDim: true, RowReduction.Max);
            // An infinite max would turn x - m into nan; PyTorch shifts by zero then.
            m = Where(m.Abs().Eq(double.PositiveInfinity), ZerosLike(m), m);
            var reduced = ReducedDimList(mask);
            r = x.Sub(m).Exp().Sum(reduced, keepDim: true).Log().Add(m);
            if (!keepDim) r = r.Reshape(ReducedShape(mask, false));
        }
        return Graph.Needs(this) ? Graph.Attach(r, new LogsumexpBackward(this, r, mask, keepDim), this) : r;
    }

    /// <summary>The indices of the reduced dims.</summary>
    internal static int[] ReducedDimList(bool[] mask)
    {
        int n = 0;
        foreach (var m in mask) if (m) n++;
        var r = new int[n];
        for (int d = 0, k = 0; d < mask.Length; d++) if (mask[d]) r[k++] = d;
        return r;
    }

    /// <summary>Sums a broadcast gradient back to <paramref name="target"/>'s shape.</summary>
    internal Tensor SumToShape(int[] target)
    {
        if (ShapeHelper.SameShape(shape, target)) return this;
        int lead = Dim - target.Length;
        var dims = new List<int>();
        for (int d = 0; d < Dim; d++)
            if (d < lead || (target[d - lead] == 1 && shape[d] != 1)) dims.Add(d);
        var r = dims.Count == 0 ? this : Sum(dims.ToArray(), keepDim: true);
        return r.Reshape(target);
    }
}
