using Descent.Tensors;

namespace Descent.NN;

/// <summary>The logistic sigmoid 1 / (1 + e^−x), like <c>nn.Sigmoid</c>.</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}
