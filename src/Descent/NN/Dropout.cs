using Descent.Tensors;
using Descent.Text;

namespace Descent.NN;

/// <summary>
/// Randomly zeroes elements with probability <see cref="P"/> during training and scales the others by 1/(1 − p),
/// like <c>nn.Dropout</c>; in eval mode it passes the input through. Prints as <c>Dropout(p=0.5, inplace=False)</c>.
/// </summary>
public sealed class Dropout : Module
{
    /// <summary>Creates the layer; <paramref name="p"/> must lie in [0, 1].</summary>
    /// <exception cref="ArgumentException">"dropout probability has to be between 0 and 1, but got {p}".</exception>
    public Dropout(double p = 0.5, bool inplace = false)
    {
        Functional.CheckDropoutProbability(p);
        P = p;
        Inplace = inplace;
    }

    /// <summary>Probability of an element being zeroed.</summary>
    public double P { get; }

    /// <summary>Whether the input is overwritten.</summary>
    public bool Inplace { get; }

    /// <summary>The generator masks are drawn from (null: the default generator, as in PyTorch).</summary>
    public Generator? Generator { get; set; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training, Inplace, Generator);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"p={PyRepr.Float(P)}, inplace={PyRepr.Bool(Inplace)}";
}
