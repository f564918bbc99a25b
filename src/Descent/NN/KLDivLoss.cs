using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// Kullback–Leibler divergence of log-probabilities from a target, like <c>nn.KLDivLoss</c>. Defaults: reduction
/// "mean" (also "batchmean", "sum", "none"), target as probabilities (<c>logTarget</c> false).
/// </summary>
public sealed class KLDivLoss(string reduction = "mean", bool logTarget = false) : Loss(reduction == "batchmean" ? "sum" : reduction)
{
    /// <summary>The reduction as given, "batchmean" included.</summary>
    public string KlReduction { get; } = reduction;

    /// <summary>Whether the target is given as log-probabilities.</summary>
    public bool LogTarget { get; } = logTarget;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.KlDiv(input, target, KlReduction, LogTarget);
}
