using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// y = x·Wᵀ + b, like <c>nn.Linear</c>. Weight [outFeatures, inFeatures] and bias are initialised as PyTorch
/// does (kaiming_uniform_ with a = √5, bias uniform in ±1/√fan_in), so the same seed gives the same values.
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer and initialises it from the default generator.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Parameter.Create(Tensor.Empty(outFeatures, inFeatures)))!;
        Bias = RegisterParameter("bias", bias ? Parameter.Create(Tensor.Empty(outFeatures)) : null);
        ResetParameters();
    }

    /// <summary>
    /// A layer over existing parameters (a loaded module's): weight [outFeatures, inFeatures] and bias
    /// [outFeatures] or null, used as they are; nothing is initialised, so no random numbers are drawn.
    /// </summary>
    internal Linear(Tensor weight, Tensor? bias)
    {
        OutFeatures = weight.Shape[0];
        InFeatures = weight.Shape[1];
        Weight = RegisterParameter("weight", weight)!;
        Bias = RegisterParameter("bias", bias);
    }

    /// <summary>Input size.</summary>
    public int InFeatures { get; }

    /// <summary>Output size.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, [outFeatures, inFeatures].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [outFeatures], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Re-initialises weight and bias as PyTorch's <c>reset_parameters</c>.</summary>
    public void ResetParameters()
    {
        Init.KaimingUniform_(Weight, a: Math.Sqrt(5));
        if (Bias is not null)
        {
            int fanIn = Init.CalculateFanInAndFanOut(Weight).FanIn;
            double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Init.Uniform_(Bias, -bound, bound);
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);

    /// <inheritdoc/>
    public override string ExtraRepr() =>
        $"in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias is not null ? "True" : "False")}";
}
