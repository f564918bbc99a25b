using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// x where x &gt; 0, else w·x with a learnt w, like <c>nn.PReLU</c>: <c>numParameters</c> values (1, shared, or one
/// per channel), each initialised to <c>init</c>. Defaults: 1 parameter, 0.25.
/// </summary>
public sealed class PReLU : Module
{
    /// <summary>Creates the layer with every weight set to <paramref name="init"/>.</summary>
    public PReLU(int numParameters = 1, double init = 0.25)
    {
        NumParameters = numParameters;
        Init = init;
        Weight = RegisterParameter("weight", Parameter.Create(Tensor.Full([numParameters], init)))!;
    }

    /// <summary>The number of weights.</summary>
    public int NumParameters { get; }

    /// <summary>The initial value of each weight.</summary>
    public double Init { get; }

    /// <summary>The weight, [numParameters].</summary>
    public Tensor Weight { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Prelu(input, Weight);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"num_parameters={NumParameters}";
}
