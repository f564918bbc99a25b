using Descent.Tensors;
using Descent.Text;

namespace Descent.NN;

/// <summary>x where x &gt; 0, else α·(eˣ − 1), like <c>nn.ELU</c>; default α = 1.</summary>
public sealed class ELU(double alpha = 1.0) : Module
{
    /// <summary>α.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Elu(input, Alpha);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"alpha={PyRepr.Float(Alpha)}";
}
