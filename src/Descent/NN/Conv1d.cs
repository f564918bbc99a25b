using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// 1-D convolution, like <c>nn.Conv1d</c>: weight [outChannels, inChannels/groups, kernelSize] and bias
/// [outChannels], initialised as PyTorch does, so the same seed gives the same values. Defaults: stride 1,
/// padding 0 (an int, "same" or "valid"), dilation 1, groups 1, bias, padding_mode "zeros" (the only mode supported).
/// </summary>
public sealed class Conv1d : Module
{
    /// <summary>Creates the layer and initialises it from the default generator; PyTorch's messages for bad arguments.</summary>
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, ConvPadding? padding = null, int dilation = 1,
        int groups = 1, bool bias = true, string paddingMode = "zeros")
    {
        ArgumentNullException.ThrowIfNull(paddingMode);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding ?? 0;
        Dilation = dilation;
        Groups = groups;
        PaddingMode = paddingMode;
        ConvSettings.Check(inChannels, outChannels, stride, Padding, groups, paddingMode);
        Weight = RegisterParameter("weight", Parameter.Create(Tensor.Empty(outChannels, inChannels / groups, kernelSize)))!;
        Bias = RegisterParameter("bias", bias ? Parameter.Create(Tensor.Empty(outChannels)) : null);
        ResetParameters();
    }

    /// <summary>A layer over existing parameters (a loaded module's), used as they are; no random numbers are drawn.</summary>
    internal Conv1d(Tensor weight, Tensor? bias, int inChannels, int stride, ConvPadding padding, int dilation, int groups)
    {
        InChannels = inChannels;
        OutChannels = weight.Shape[0];
        KernelSize = weight.Shape[2];
        (Stride, Padding, Dilation, Groups, PaddingMode) = (stride, padding, dilation, groups, "zeros");
        Weight = RegisterParameter("weight", weight)!;
        Bias = RegisterParameter("bias", bias);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel length.</summary>
    public int KernelSize { get; }

    /// <summary>Stride.</summary>
    public int Stride { get; }

    /// <summary>Padding: an int, or "same" / "valid".</summary>
    public ConvPadding Padding { get; }

    /// <summary>Dilation.</summary>
    public int Dilation { get; }

    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>"zeros".</summary>
    public string PaddingMode { get; }

    /// <summary>The weight, [outChannels, inChannels/groups, kernelSize].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [outChannels], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Re-initialises weight and bias as PyTorch's <c>reset_parameters</c>.</summary>
    public void ResetParameters() => ConvSettings.Reset(Weight, Bias);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Conv1d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <inheritdoc/>
    public override string ExtraRepr() => ConvSettings.Repr(InChannels, OutChannels, $"({KernelSize},)", $"({Stride},)",
        Padding.Mode ?? $"({Padding.Size.First},)", Padding.Mode is null && Padding.Size.First == 0, $"({Dilation},)", Dilation == 1, Groups, Bias is not null, PaddingMode);
}
