using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// Negative log-likelihood on log-probabilities with int64 class targets, like <c>nn.NLLLoss</c>; see
/// <see cref="Functional.NllLoss"/>.
/// </summary>
public sealed class NLLLoss(Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean") : WeightedLoss(weight, reduction)
{
    /// <summary>Targets with this value are skipped.</summary>
    public long IgnoreIndex { get; } = ignoreIndex;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.NllLoss(input, target, Weight, IgnoreIndex, Reduction);
}
