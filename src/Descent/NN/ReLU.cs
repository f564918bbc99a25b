using Descent.Tensors;

namespace Descent.NN;

/// <summary>max(x, 0), like <c>nn.ReLU</c>; prints as <c>ReLU()</c> (or <c>ReLU(inplace=True)</c>).</summary>
public sealed class ReLU(bool inplace = false) : Module
{
    /// <summary>Whether the input is overwritten.</summary>
    public bool Inplace { get; } = inplace;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Relu(input, Inplace);

    /// <inheritdoc/>
    public override string ExtraRepr() => Inplace ? "inplace=True" : "";
}
