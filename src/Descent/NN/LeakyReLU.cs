using Descent.Tensors;
using Descent.Text;

namespace Descent.NN;

/// <summary>x where x &gt; 0, else negativeSlope·x, like <c>nn.LeakyReLU</c>; default slope 0.01.</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.LeakyRelu(input, NegativeSlope);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"negative_slope={PyRepr.Float(NegativeSlope)}";
}
