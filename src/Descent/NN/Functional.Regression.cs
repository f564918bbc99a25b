using Descent.Autograd;
using Descent.Diagnostics;
using Descent.Tensors;

namespace Descent.NN;

// Regression losses: both broadcast input and target as PyTorch does, warning when their sizes differ.
public static partial class Functional
{
    /// <summary>
    /// Mean squared error (x − y)², like <c>F.mse_loss</c>; <paramref name="reduction"/> is "mean", "sum" or "none".
    /// Input and target of different sizes are broadcast, with PyTorch's warning.
    /// </summary>
    public static Tensor MseLoss(Tensor input, Tensor target, string reduction = "mean")
    {
        var (a, b) = BroadcastForLoss(input, target);
        var r = ReductionOf(reduction);
        if (r != Reduction.None && a.DType == b.DType && a.DType.IsFloatingPoint()) return FusedMseLoss(a, b, r);
        var d = a.Sub(b);
        return Reduce(d.Mul(d), r);
    }

    /// <summary>
    /// The reduced MSE as one graph node, as PyTorch records it (MseLossBackward0): the forward squares and
    /// reduces without recording, the backward is norm·(x − y)·g with norm = 2/n for a mean, 2 for a sum.
    /// </summary>
    private static Tensor FusedMseLoss(Tensor a, Tensor b, Reduction r)
    {
        Tensor loss;
        using (GradMode.Set(false))
        {
            var d = a.Sub(b);
            loss = r == Reduction.Mean ? d.Mul(d).Mean() : d.Mul(d).Sum();
        }
        if (!Autograd.GradMode.IsEnabled || !(a.RequiresGrad || b.RequiresGrad)) return loss;
        double norm = r == Reduction.Mean ? 2.0 / a.Numel : 2.0;
        return Autograd.Graph.Attach(loss, new Autograd.MseLossBackward(a, b, norm), a, b);
    }

    /// <summary>Mean absolute error |x − y|, like <c>F.l1_loss</c>.</summary>
    public static Tensor L1Loss(Tensor input, Tensor target, string reduction = "mean")
    {
        var (a, b) = BroadcastForLoss(input, target);
        var r = ReductionOf(reduction);
        return Reduce(a.Sub(b).Abs(), r);
    }

    private static (Tensor, Tensor) BroadcastForLoss(Tensor input, Tensor target)
    {
        if (ShapeHelper.SameShape(input.shape, target.shape)) return (input, target);
        Warnings.Warn(
            $"Using a target size ({TorchSize(target)}) that is different to the input size ({TorchSize(input)}). " +
            "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.");
        var shape = ShapeHelper.Broadcast(input.Shape, target.Shape);
        return (input.Expand(shape), target.Expand(shape));
    }
}
