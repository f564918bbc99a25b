using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// Cross-entropy on unnormalised logits [N, C] (or [C], [N, C, d1, ...]) against int64 class indices or class
/// probabilities, like <c>nn.CrossEntropyLoss</c>: log_softmax then NLL in one. See <see cref="Functional.CrossEntropy"/>.
/// </summary>
public sealed class CrossEntropyLoss(Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean", double labelSmoothing = 0.0)
    : WeightedLoss(weight, reduction)
{
    /// <summary>Targets with this value are skipped.</summary>
    public long IgnoreIndex { get; } = ignoreIndex;

    /// <summary>How much of the target is replaced by the uniform distribution, in [0, 1].</summary>
    public double LabelSmoothing { get; } = labelSmoothing;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.CrossEntropy(input, target, Weight, IgnoreIndex, Reduction, LabelSmoothing);
}
