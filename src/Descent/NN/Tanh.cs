using Descent.Tensors;

namespace Descent.NN;

/// <summary>Hyperbolic tangent, like <c>nn.Tanh</c>.</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();
}
