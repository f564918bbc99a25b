using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// 2-D convolution, like <c>nn.Conv2d</c>: weight [outChannels, inChannels/groups, kH, kW] and bias [outChannels],
/// initialised as PyTorch does (kaiming_uniform_ with a = √5, bias uniform in ±1/√fan_in), so the same seed gives
/// the same values. Defaults: stride 1, padding 0, dilation 1, groups 1, bias, padding_mode "zeros" (the only mode
/// supported).
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer and initialises it from the default generator; PyTorch's messages for bad arguments.</summary>
    public Conv2d(int inChannels, int outChannels, IntPair kernelSize, IntPair? stride = null, ConvPadding? padding = null, IntPair? dilation = null,
        int groups = 1, bool bias = true, string paddingMode = "zeros")
    {
        ArgumentNullException.ThrowIfNull(paddingMode);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride ?? 1;
        Padding = padding ?? 0;
        Dilation = dilation ?? 1;
        Groups = groups;
        PaddingMode = paddingMode;
        ConvSettings.Check(inChannels, outChannels, Stride, Padding, groups, paddingMode);
        Weight = RegisterParameter("weight", Parameter.Create(Tensor.Empty(outChannels, inChannels / groups, kernelSize.First, kernelSize.Second)))!;
        Bias = RegisterParameter("bias", bias ? Parameter.Create(Tensor.Empty(outChannels)) : null);
        ResetParameters();
    }

    /// <summary>A layer over existing parameters (a loaded module's), used as they are; no random numbers are drawn.</summary>
    internal Conv2d(Tensor weight, Tensor? bias, int inChannels, IntPair stride, ConvPadding padding, IntPair dilation, int groups)
    {
        InChannels = inChannels;
        OutChannels = weight.Shape[0];
        KernelSize = (weight.Shape[2], weight.Shape[3]);
        (Stride, Padding, Dilation, Groups, PaddingMode) = (stride, padding, dilation, groups, "zeros");
        Weight = RegisterParameter("weight", weight)!;
        Bias = RegisterParameter("bias", bias);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel (height, width).</summary>
    public IntPair KernelSize { get; }

    /// <summary>Stride (height, width).</summary>
    public IntPair Stride { get; }

    /// <summary>Padding: a pair, or "same" / "valid".</summary>
    public ConvPadding Padding { get; }

    /// <summary>Dilation (height, width).</summary>
    public IntPair Dilation { get; }

    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>"zeros".</summary>
    public string PaddingMode { get; }

    /// <summary>The weight, [outChannels, inChannels/groups, kH, kW].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [outChannels], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Re-initialises weight and bias as PyTorch's <c>reset_parameters</c>.</summary>
    public void ResetParameters() => ConvSettings.Reset(Weight, Bias);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <inheritdoc/>
    public override string ExtraRepr() => ConvSettings.Repr(InChannels, OutChannels, KernelSize.ToString(), Stride.ToString(), Padding.ToString(),
        Padding.Mode is null && Padding.Size == new IntPair(0, 0), Dilation.ToString(), Dilation == new IntPair(1, 1), Groups, Bias is not null, PaddingMode);
}
