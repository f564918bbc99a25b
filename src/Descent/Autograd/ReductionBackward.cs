using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>sum / mean: the gradient (times 1/n for mean) is broadcast back over the reduced dims.</summary>
internal sealed class ReduceBackward(int[] inputShape, bool[] mask, bool keepDim, double scale, string name) : Node
{
    public override string Name => name;
    protected internal override Tensor?[] Apply(Tensor g)
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

/// <summary>max()/min() over all elements: the gradient is shared evenly among the tied extremes.</summary>
internal sealed class EvenlyDistributeBackward(Tensor input, Tensor result, string name) : Node
{
    private SavedTensor si = new(input), sr = new(result);
    public override string Name => name;
    protected internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var hits = si.Value(Name).Eq(sr.Value(Name)).To(g.DType);
        var count = hits.Sum();
        return [hits.Mul(g.Div(count))];
    }
    protected override void ReleaseSaved() { si = default; sr = default; }
}

/// <summary>max(dim)/min(dim): the gradient goes to the chosen index of each row.</summary>
internal sealed class IndexReduceBackward(int[] inputShape, int dim, Tensor indices, bool keepDim, string name) : Node
{
    public override string Name => name;
    protected internal override Tensor?[] Apply(Tensor g)
    {
        var idx = keepDim || inputShape.Length == 0 ? indices : indices.Unsqueeze(dim);
        var gg = keepDim || inputShape.Length == 0 ? g : g.Unsqueeze(dim);
        var r = Tensor.Zeros(inputShape, g.DType);
        r.ScatterAddUnchecked(dim, idx, gg);
        return [r];
    }
}

/// <summary>‖x‖₂: ∂x = g·x/‖x‖, zero where the norm is zero (as PyTorch).</summary>
internal sealed class Norm2Backward(Tensor x, Tensor norm, bool[] mask, bool keepDim) : Node
{
    private SavedTensor sx = new(x), sn = new(norm);
    public override string Name => "NormBackward1";
    protected internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var n = ReduceBackward.UnsqueezeReduced(sn.Value(Name), mask, keepDim);
        var gg = ReduceBackward.UnsqueezeReduced(g, mask, keepDim);
        var safe = Tensor.Where(n.Eq(0.0), Tensor.OnesLike(n), n);
        var scale = Tensor.Where(n.Eq(0.0), Tensor.ZerosLike(n), gg.Div(safe));
        return [sx.Value(Name).Mul(scale)];
    }
    protected override void ReleaseSaved() { sx = default; sn = default; }
}
