using Descent.Tensors;

namespace Descent.NN;

/// <summary>x·tanh(softplus(x)), like <c>nn.Mish</c>.</summary>
public sealed class Mish : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Mish(input);

    /// <inheritdoc/>
    public override string ExtraRepr() => "";
}
