using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// Binary cross-entropy on probabilities, like <c>nn.BCELoss</c>; logs are clamped at −100 as in PyTorch.
/// Prefer <see cref="BCEWithLogitsLoss"/> on raw scores: it is stable where the sigmoid saturates.
/// </summary>
public sealed class BCELoss(Tensor? weight = null, string reduction = "mean") : WeightedLoss(weight, reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropy(input, target, Weight, Reduction);
}
