using Descent.Tensors;
using Descent.Text;

namespace Descent.NN;

/// <summary>
/// Group normalisation, like <c>nn.GroupNorm</c>: the channels of an (N, C, …) input in <see cref="NumGroups"/>
/// groups, each normalised per sample, then a per-channel <c>weight</c> (ones) and <c>bias</c> (zeros). Prints as
/// <c>GroupNorm(2, 4, eps=1e-05, affine=True)</c>.
/// </summary>
public sealed class GroupNorm : Module
{
    /// <summary>Creates the layer.</summary>
    /// <exception cref="ArgumentException">"num_channels must be divisible by num_groups".</exception>
    public GroupNorm(int numGroups, int numChannels, double eps = 1e-5, bool affine = true)
    {
        if (numGroups == 0 || numChannels % numGroups != 0) throw new ArgumentException("num_channels must be divisible by num_groups");
        NumGroups = numGroups;
        NumChannels = numChannels;
        Eps = eps;
        Affine = affine;
        Weight = RegisterParameter("weight", affine ? Parameter.Create(Tensor.Ones(numChannels)) : null);
        Bias = RegisterParameter("bias", affine ? Parameter.Create(Tensor.Zeros(numChannels)) : null);
    }

    /// <summary>The number of channel groups.</summary>
    public int NumGroups { get; }

    /// <summary>C, the number of channels.</summary>
    public int NumChannels { get; }

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <summary>Whether there are a weight and bias.</summary>
    public bool Affine { get; }

    /// <summary>The per-channel scale [C], or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The per-channel shift [C], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Resets weight to ones and bias to zeros, like <c>reset_parameters</c>.</summary>
    public void ResetParameters()
    {
        if (Weight is not null) Init.Ones_(Weight);
        if (Bias is not null) Init.Zeros_(Bias);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.GroupNorm(input, NumGroups, Weight, Bias, Eps);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"{NumGroups}, {NumChannels}, eps={PyRepr.Float(Eps)}, affine={PyRepr.Bool(Affine)}";
}
