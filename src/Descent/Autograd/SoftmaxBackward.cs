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
        if (Recording)
        {
            // The same formulas in tensor ops; y is this node's output, so the gradient flows back through it too.
            var yr = sr.Value(Name);
            var gr = g.To(yr.DType);
            return [log ? gr.Sub(yr.Exp().Mul(gr.Sum([dim], keepDim: true))) : yr.Mul(gr.Sub(gr.Mul(yr).Sum([dim], keepDim: true)))];
        }
        var y = sr.Value(Name).Contiguous();
        var gc = g.To(y.DType).Contiguous();
        var (outer, n, inner) = Tensor.SplitAt(y.shape, dim);
        var gx = Tensor.Allocate(y.DType, (int[])y.shape.Clone());
        if (y.DType == DType.Float32) SoftmaxKernel.Backward<float>(gc.AsSpan<float>(), y.AsSpan<float>(), gx.AsSpan<float>(), outer, n, inner, log);
        else SoftmaxKernel.Backward<double>(gc.AsSpan<double>(), y.AsSpan<double>(), gx.AsSpan<double>(), outer, n, inner, log);
        return [gx];
    }
    private protected override void ReleaseSaved() => sr = default;
}
