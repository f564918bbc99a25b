using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// 1-D average pooling, like <c>nn.AvgPool1d</c>. Defaults: stride = kernel size, padding 0, floor rounding, padding
/// counted in the divisor.
/// </summary>
public sealed class AvgPool1d(int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true) : Module
{
    /// <summary>Window length.</summary>
    public int KernelSize { get; } = kernelSize;

    /// <summary>Step; the kernel size by default.</summary>
    public int Stride { get; } = stride ?? kernelSize;

    /// <summary>Zero padding on both sides.</summary>
    public int Padding { get; } = padding;

    /// <summary>Whether the output size rounds up.</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <summary>Whether padded zeros count in the divisor.</summary>
    public bool CountIncludePad { get; } = countIncludePad;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AvgPool1d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"kernel_size=({KernelSize},), stride=({Stride},), padding=({Padding},)";
}
