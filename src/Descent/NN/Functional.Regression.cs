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
        var d = a.Sub(b);
        return Reduce(d.Mul(d), r);
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
        if (input.Shape.AsSpan().SequenceEqual(target.Shape)) return (input, target);
        Warnings.Warn(
            $"Using a target size ({TorchSize(target)}) that is different to the input size ({TorchSize(input)}). " +
            "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.");
        var shape = ShapeHelper.Broadcast(input.Shape, target.Shape);
        return (input.Expand(shape), target.Expand(shape));
    }
}
