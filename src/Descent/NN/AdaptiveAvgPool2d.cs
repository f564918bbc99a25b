using Descent.Tensors;

namespace Descent.NN;

/// <summary>Average pooling to a fixed output size (height, width), like <c>nn.AdaptiveAvgPool2d</c>.</summary>
public sealed class AdaptiveAvgPool2d(IntPair outputSize) : Module
{
    /// <summary>The output's (height, width).</summary>
    public IntPair OutputSize { get; } = outputSize;

    /// <summary>Whether sizes print (and pickle) as tuples even when both sides agree, as for a module PyTorch made from tuples.</summary>
    internal bool TupleSizes { get; init; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, OutputSize);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"output_size={PoolRepr.Of(OutputSize, TupleSizes)}";
}
