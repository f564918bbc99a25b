using Descent.Tensors;

namespace Descent.NN;

/// <summary>Mean absolute error |x − y|, like <c>nn.L1Loss</c>.</summary>
public sealed class L1Loss(string reduction = "mean") : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.L1Loss(input, target, Reduction);
}
