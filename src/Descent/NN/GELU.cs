using Descent.Tensors;
using Descent.Text;

namespace Descent.NN;

/// <summary>x·Φ(x), like <c>nn.GELU</c>; approximate "none" (default) or "tanh".</summary>
public sealed class GELU(string approximate = "none") : Module
{
    /// <summary>"none" or "tanh".</summary>
    public string Approximate { get; } = approximate is "none" or "tanh" ? approximate : throw new ArgumentException("approximate argument must be either none or tanh.");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Gelu(input, Approximate);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"approximate={PyRepr.Repr(Approximate)}";
}
