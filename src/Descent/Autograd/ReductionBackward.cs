using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>sum / mean: the gradient (times 1/n for mean) is broadcast back over the reduced dims.</summary>
internal sealed class ReduceBackward(int[] inputShape, bool[] mask, bool keepDim, double scale, string name) : Node
{
    public override string Name => name;
    internal override Tensor?[] Apply(Tensor g)
    {
        var r = UnsqueezeReduced(g, mask, keepDim);
        if (scale != 1) r = r.Mul(scale);
        return [r.Expand(inputShape).Contiguous()];
    }

    /// <summary>Restores reduced dims as size 1 so the gradient broadcasts against the input.</summary>
    internal static Tensor UnsqueezeReduced(Tensor g, bool[] mask, bool keepDim)
    {
        if (keepDim) return g;
        var r = g;
        for (int d = 0; d < mask.Length; d++) if (mask[d]) r = r.Unsqueeze(d);
        return r;
    }
}

/// <summary>max()/min() over all elements, amax/amin over dims: the gradient is shared evenly among the tied extremes of each group.</summary>
internal sealed class EvenlyDistributeBackward(Tensor input, Tensor result, bool[] mask, bool keepDim, string name, bool nanHits = false) : Node
{
    private SavedTensor si = new(input), sr = new(result, isOutput: true);
    public override string Name => name;
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var r = ReduceBackward.UnsqueezeReduced(sr.Value(Name), mask, keepDim);
        var x = si.Value(Name);
        var hitMask = x.Eq(r);
        // max()/min() of everything (PyTorch's evenly_distribute_backward) count NaN as equal to a NaN result;
        // amax/amin do not.
        if (nanHits) hitMask = hitMask.LogicalOr(x.IsNan().LogicalAnd(r.IsNan()));
        var hits = hitMask.To(g.DType);
        var count = hits.Sum(ReducedDims(), keepDim: true);
        return [hits.Mul(ReduceBackward.UnsqueezeReduced(g, mask, keepDim).Div(count))];
    }

    private int[] ReducedDims() => Tensor.ReducedDimList(mask);

    private protected override void ReleaseSaved() { si = default; sr = default; }
}

/// <summary>max(dim)/min(dim): the gradient goes to the chosen index of each row.</summary>
internal sealed class IndexReduceBackward(int[] inputShape, int dim, Tensor indices, bool keepDim, string name) : Node
{
    public override string Name => name;
    internal override Tensor?[] Apply(Tensor g)
    {
        var r = Tensor.Zeros(inputShape, g.DType);
        r.ScatterAddUnchecked(dim, Indices, Unreduced(g));
        return [r];
    }

    internal override Tensor?[] ApplyRecorded(Tensor g) => [Tensor.ScatterAddIntoZeros(inputShape, dim, Indices, Unreduced(g))];

    private Tensor Indices => keepDim || inputShape.Length == 0 ? indices : indices.Unsqueeze(dim);

    private Tensor Unreduced(Tensor g) => keepDim || inputShape.Length == 0 ? g : g.Unsqueeze(dim);
}

/// <summary>‖x‖ₚ: PyTorch's norm_backward, case by case in p; zero where the norm is zero.</summary>
internal sealed class NormBackward(Tensor x, Tensor norm, double p, bool[] mask, bool keepDim) : Node
{
    private SavedTensor sx = new(x), sn = new(norm, isOutput: true);
    public override string Name => "NormBackward1";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        // The count of non-zeros is piecewise constant: PyTorch returns no gradient at all.
        if (p == 0) return [null];
        var xv = sx.Value(Name);
        var n = ReduceBackward.UnsqueezeReduced(sn.Value(Name), mask, keepDim);
        var gg = ReduceBackward.UnsqueezeReduced(g, mask, keepDim);
        if (p == 1) return [xv.Sign().Mul(gg)];
        if (double.IsInfinity(p))
        {
            // The gradient is shared among the elements whose |x| attains the norm.
            var hits = xv.Abs().Eq(n).To(g.DType);
            var count = hits.Sum(Tensor.ReducedDimList(mask), keepDim: true);
            return [xv.Sign().Mul(gg.Div(count).Mul(hits))];
        }
        if (p < 1)
        {
            var scaled = Tensor.Where(xv.Eq(0.0), Tensor.ZerosLike(xv), xv.Sign().Mul(xv.Abs().Pow(p - 1)));
            return [scaled.Mul(gg).Mul(n.Pow(1 - p))];
        }
        var scale = ZeroWhereNormIsZero(p == 2 ? gg.Div(n) : gg.Div(n.Pow(p - 1)), n);
        if (p == 2) return [xv.Mul(scale)];
        var self = p < 2 ? xv.Sign().Mul(xv.Abs().Pow(p - 1)) : xv.Mul(xv.Abs().Pow(p - 2));
        return [self.Mul(scale)];
    }

    private static Tensor ZeroWhereNormIsZero(Tensor scale, Tensor n) => Tensor.Where(n.Eq(0.0), Tensor.ZerosLike(scale), scale);

    private protected override void ReleaseSaved() { sx = default; sn = default; }
}

/// <summary>logsumexp: ∂x = g·exp(x - result), the softmax of each group.</summary>
internal sealed class LogsumexpBackward(Tensor input, Tensor result, bool[] mask, bool keepDim) : Node
{
    private SavedTensor si = new(input), sr = new(result, isOutput: true);
    public override string Name => "LogsumexpBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var r = ReduceBackward.UnsqueezeReduced(sr.Value(Name), mask, keepDim);
        var gg = ReduceBackward.UnsqueezeReduced(g, mask, keepDim);
        return [gg.Mul(si.Value(Name).Sub(r).Exp())];
    }
    private protected override void ReleaseSaved() { si = default; sr = default; }
}

/// <summary>
/// var/std, PyTorch's var_backward: ∂x = 2·g·(x - mean)/(n - correction); std first turns g into g/(2·std),
/// zero where std is zero (a constant group), so the gradient there is 0 rather than 0·∞.
/// </summary>
internal sealed class VarStdBackward(Tensor x, Tensor result, bool[] mask, bool keepDim, int count, int divisor, bool std) : Node
{
    private SavedTensor sx = new(x), sr = new(result, isOutput: true);
    public override string Name => std ? "StdBackward0" : "VarBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var gg = ReduceBackward.UnsqueezeReduced(g, mask, keepDim);
        if (std)
        {
            var r = ReduceBackward.UnsqueezeReduced(sr.Value(Name), mask, keepDim);
            var scaled = gg.Div(r.Mul(2.0));
            gg = Tensor.Where(r.Eq(0.0), Tensor.ZerosLike(scaled), scaled);
        }
        var xv = sx.Value(Name);
        var centered = xv.Sub(xv.Sum(Tensor.ReducedDimList(mask), keepDim: true).Div(count));
        return [centered.Mul(gg).Mul(2.0 / divisor)];
    }
    private protected override void ReleaseSaved() { sx = default; sr = default; }
}
