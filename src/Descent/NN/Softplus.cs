using Descent.Tensors;
using Descent.Text;

namespace Descent.NN;

/// <summary>
/// log(1 + e^(β·x)) / β, linear where β·x exceeds the threshold, like <c>nn.Softplus</c>; prints as
/// <c>Softplus(beta=1, threshold=20)</c>.
/// </summary>
public sealed class Softplus(double beta = 1, double threshold = 20) : Module
{
    /// <summary>β.</summary>
    public double Beta { get; } = beta;

    /// <summary>Above β·x = threshold the function is taken as linear.</summary>
    public double Threshold { get; } = threshold;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Softplus(input, Beta, Threshold);

    // PyTorch's defaults are the ints 1 and 20, so whole values print without ".0".
    /// <inheritdoc/>
    public override string ExtraRepr() => $"beta={PyRepr.Number(Beta)}, threshold={PyRepr.Number(Threshold)}";
}
