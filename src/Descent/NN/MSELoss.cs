using Descent.Tensors;

namespace Descent.NN;

/// <summary>Mean squared error (x − y)², like <c>nn.MSELoss</c>.</summary>
public sealed class MSELoss(string reduction = "mean") : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction);
}
