using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// Sigmoid and binary cross-entropy in one stable formula, like <c>nn.BCEWithLogitsLoss</c>; the optional
/// positive weight (e.g. one per class) trades recall against precision. Both weights are buffers, as in PyTorch.
/// </summary>
public sealed class BCEWithLogitsLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    public BCEWithLogitsLoss(Tensor? weight = null, string reduction = "mean", Tensor? posWeight = null) : base(reduction)
    {
        Weight = RegisterBuffer("weight", weight);
        PosWeight = RegisterBuffer("pos_weight", posWeight);
    }

    /// <summary>The per-element weight, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The weight of positive examples, or null.</summary>
    public Tensor? PosWeight { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.BinaryCrossEntropyWithLogits(input, target, Weight, Reduction, PosWeight);
}
