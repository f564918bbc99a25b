using Descent.Tensors;
using Descent.Text;

namespace Descent.NN;

/// <summary>log(softmax(x)) along <see cref="Dim"/>, computed stably, like <c>nn.LogSoftmax</c>.</summary>
public sealed class LogSoftmax(int? dim = null) : Module
{
    /// <summary>The dimension normalised, or null for the implicit choice.</summary>
    public int? Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.LogSoftmax(input, Dim);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"dim={PyRepr.Int(Dim)}";
}
