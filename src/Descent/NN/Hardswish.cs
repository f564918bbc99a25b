using Descent.Tensors;

namespace Descent.NN;

/// <summary>x·relu6(x + 3)/6, like <c>nn.Hardswish</c>.</summary>
public sealed class Hardswish : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Hardswish(input);

    /// <inheritdoc/>
    public override string ExtraRepr() => "";
}
