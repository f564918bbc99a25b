using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// 2-D max pooling, like <c>nn.MaxPool2d</c>. Defaults: stride = kernel size, padding 0, dilation 1, no indices,
/// floor rounding. <see cref="Module.Forward(Tensor)"/> returns the output; with <c>returnIndices</c>,
/// <see cref="ForwardWithIndices"/> gives the indices too (PyTorch's forward returns both).
/// </summary>
public sealed class MaxPool2d(IntPair kernelSize, IntPair? stride = null, IntPair? padding = null, IntPair? dilation = null,
    bool returnIndices = false, bool ceilMode = false) : Module
{
    /// <summary>Window (height, width).</summary>
    public IntPair KernelSize { get; } = kernelSize;

    /// <summary>Whether sizes print (and pickle) as tuples even when both sides agree, as for a module PyTorch made from tuples.</summary>
    internal bool TupleSizes { get; init; }

    /// <summary>Step (height, width); the kernel size by default.</summary>
    public IntPair Stride { get; } = stride ?? kernelSize;

    /// <summary>Implicit −∞ padding on both sides.</summary>
    public IntPair Padding { get; } = padding ?? 0;

    /// <summary>Spacing of the window's elements.</summary>
    public IntPair Dilation { get; } = dilation ?? 1;

    /// <summary>Whether the indices of the maxima are wanted (see <see cref="ForwardWithIndices"/>).</summary>
    public bool ReturnIndices { get; } = returnIndices;

    /// <summary>Whether the output size rounds up.</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, KernelSize, Stride, Padding, Dilation, CeilMode);

    /// <summary>The output and the index of each maximum in its flattened plane.</summary>
    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input) =>
        Functional.MaxPool2dWithIndices(input, KernelSize, Stride, Padding, Dilation, CeilMode);

    /// <inheritdoc/>
    public override string ExtraRepr() =>
        $"kernel_size={PoolRepr.Of(KernelSize, TupleSizes)}, stride={PoolRepr.Of(Stride, TupleSizes)}, padding={PoolRepr.Of(Padding, TupleSizes)}, dilation={PoolRepr.Of(Dilation, TupleSizes)}, ceil_mode={PoolRepr.Bool(CeilMode)}";
}

/// <summary>Pooling sizes as PyTorch prints what it was given: an int when both sides agree.</summary>
internal static class PoolRepr
{
    public static string Of(IntPair p, bool tuple) => p.First == p.Second && !tuple ? p.First.ToString(System.Globalization.CultureInfo.InvariantCulture) : p.ToString();

    public static object Value(IntPair p, bool tuple) => p.First == p.Second && !tuple ? (long)p.First : ((long)p.First, (long)p.Second);

    public static string Bool(bool b) => b ? "True" : "False";
}
