using Descent.Tensors;
using Descent.Text;

namespace Descent.NN;

/// <summary>
/// Softmax along <see cref="Dim"/>, like <c>nn.Softmax</c>: every slice along it becomes positive and sums to 1.
/// Without a dim, PyTorch's deprecated implicit choice applies, with its warning.
/// </summary>
public sealed class Softmax(int? dim = null) : Module
{
    /// <summary>The dimension normalised, or null for the implicit choice.</summary>
    public int? Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Softmax(input, Dim);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"dim={PyRepr.Int(Dim)}";
}
