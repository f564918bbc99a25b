using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>softmax: ∂x = (g - Σ g·y) · y along the dim, y the saved output (PyTorch's _softmax_backward_data).</summary>
internal sealed class SoftmaxBackward(Tensor result, int dim) : Node
{
    private SavedTensor sr = new(result, isOutput: true);
    public override string Name => "SoftmaxBackward0";
    protected internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var y = sr.Value(Name);
        return [g.Sub(g.Mul(y).Sum(dim, keepDim: true)).Mul(y)];
    }
    protected override void ReleaseSaved() => sr = default;
}

/// <summary>log_softmax: ∂x = g - exp(y) · Σ g along the dim, y the saved output.</summary>
internal sealed class LogSoftmaxBackward(Tensor result, int dim) : Node
{
    private SavedTensor sr = new(result, isOutput: true);
    public override string Name => "LogSoftmaxBackward0";
    protected internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        return [g.Sub(sr.Value(Name).Exp().Mul(g.Sum(dim, keepDim: true)))];
    }
    protected override void ReleaseSaved() => sr = default;
}
