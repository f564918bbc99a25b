using Descent.Tensors;

namespace Descent.NN;

/// <summary>0.5·d² where |d| &lt; δ, else δ·(|d| − 0.5·δ), like <c>nn.HuberLoss</c>. Defaults: reduction "mean", δ = 1.</summary>
public sealed class HuberLoss(string reduction = "mean", double delta = 1.0) : Loss(reduction)
{
    /// <summary>δ, where the loss turns from quadratic to linear.</summary>
    public double Delta { get; } = delta;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.HuberLoss(input, target, Reduction, Delta);
}
