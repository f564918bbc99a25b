using Descent.Tensors;

namespace Descent.NN;

/// <summary>0.5·d²/β where |d| &lt; β, else |d| − 0.5·β, like <c>nn.SmoothL1Loss</c>. Defaults: reduction "mean", β = 1.</summary>
public sealed class SmoothL1Loss(string reduction = "mean", double beta = 1.0) : Loss(reduction)
{
    /// <summary>β, where the loss turns from quadratic to linear.</summary>
    public double Beta { get; } = beta;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.SmoothL1Loss(input, target, Reduction, Beta);
}
