using Descent.Kernels;
using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// softmax: ∂x = y·(g − Σ g·y); log_softmax: ∂x = g − exp(y)·Σ g (sums along the softmax dimension).
/// Both need only the saved output.
/// </summary>
internal sealed class SoftmaxBackward(Tensor result, int dim, bool log) : Node
{
    private SavedTensor sr = new(result);
    public override string Name => log ? "LogSoftmaxBackward0" : "SoftmaxBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var y = sr.Value(Name).Contiguous();
        var gc = g.To(y.DType).Contiguous();
        var (outer, n, inner) = Tensor.SplitAt(y.shape, dim);
        var gx = Tensor.Allocate(y.DType, (int[])y.shape.Clone());
        if (y.DType == DType.Float32) SoftmaxKernel.Backward<float>(gc.AsSpan<float>(), y.AsSpan<float>(), gx.AsSpan<float>(), outer, n, inner, log);
        else SoftmaxKernel.Backward<double>(gc.AsSpan<double>(), y.AsSpan<double>(), gx.AsSpan<double>(), outer, n, inner, log);
        return [gx];
    }

    /// <summary>The same formulas in tensor ops; y is this node's output, so the gradient flows back through it too.</summary>
    internal override Tensor?[] ApplyRecorded(Tensor g)
    {
        EnsureNotReleased();
        var y = sr.Value(Name);
        var gc = g.To(y.DType);
        return [log ? gc.Sub(y.Exp().Mul(gc.Sum([dim], keepDim: true))) : y.Mul(gc.Sub(gc.Mul(y).Sum([dim], keepDim: true)))];
    }
    private protected override void ReleaseSaved() => sr = default;
}
