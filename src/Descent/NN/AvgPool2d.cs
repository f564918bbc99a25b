using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// 2-D average pooling, like <c>nn.AvgPool2d</c>. Defaults: stride = kernel size, padding 0, floor rounding, padding
/// counted in the divisor, no divisor override.
/// </summary>
public sealed class AvgPool2d(IntPair kernelSize, IntPair? stride = null, IntPair? padding = null, bool ceilMode = false, bool countIncludePad = true,
    int? divisorOverride = null) : Module
{
    /// <summary>Window (height, width).</summary>
    public IntPair KernelSize { get; } = kernelSize;

    /// <summary>Whether sizes print (and pickle) as tuples even when both sides agree, as for a module PyTorch made from tuples.</summary>
    internal bool TupleSizes { get; init; }

    /// <summary>Step; the kernel size by default.</summary>
    public IntPair Stride { get; } = stride ?? kernelSize;

    /// <summary>Zero padding on both sides.</summary>
    public IntPair Padding { get; } = padding ?? 0;

    /// <summary>Whether the output size rounds up.</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <summary>Whether padded zeros count in the divisor.</summary>
    public bool CountIncludePad { get; } = countIncludePad;

    /// <summary>A fixed divisor, or null.</summary>
    public int? DivisorOverride { get; } = divisorOverride;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad, DivisorOverride);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"kernel_size={PoolRepr.Of(KernelSize, TupleSizes)}, stride={PoolRepr.Of(Stride, TupleSizes)}, padding={PoolRepr.Of(Padding, TupleSizes)}";
}
