using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// 1-D max pooling, like <c>nn.MaxPool1d</c>. Defaults: stride = kernel size, padding 0, dilation 1, floor rounding;
/// <see cref="ForwardWithIndices"/> gives the indices too.
/// </summary>
public sealed class MaxPool1d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool returnIndices = false, bool ceilMode = false) : Module
{
    /// <summary>Window length.</summary>
    public int KernelSize { get; } = kernelSize;

    /// <summary>Step; the kernel size by default.</summary>
    public int Stride { get; } = stride ?? kernelSize;

    /// <summary>Implicit −∞ padding on both sides.</summary>
    public int Padding { get; } = padding;

    /// <summary>Spacing of the window's elements.</summary>
    public int Dilation { get; } = dilation;

    /// <summary>Whether the indices of the maxima are wanted (see <see cref="ForwardWithIndices"/>).</summary>
    public bool ReturnIndices { get; } = returnIndices;

    /// <summary>Whether the output size rounds up.</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool1d(input, KernelSize, Stride, Padding, Dilation, CeilMode);

    /// <summary>The output and the index of each maximum along the length.</summary>
    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input) =>
        Functional.MaxPool1dWithIndices(input, KernelSize, Stride, Padding, Dilation, CeilMode);

    /// <inheritdoc/>
    public override string ExtraRepr() =>
        $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}, ceil_mode={PoolRepr.Bool(CeilMode)}";
}
