using Descent.Tensors;

namespace Descent.NN;

/// <summary>x·σ(x), like <c>nn.SiLU</c>.</summary>
public sealed class SiLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Silu(input);

    /// <inheritdoc/>
    public override string ExtraRepr() => "";
}
