using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// Batch normalisation of a 4-D (N, C, H, W) input over every dimension but C, like <c>nn.BatchNorm2d</c>; see
/// <see cref="BatchNormBase"/>.
/// </summary>
public sealed class BatchNorm2d : BatchNormBase
{
    /// <summary>Creates the layer with PyTorch's defaults.</summary>
    public BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats) { }

    /// <exception cref="ArgumentException">"expected 4D input (got 3D input)".</exception>
    private protected override void CheckInputDim(Tensor input)
    {
        if (input.Dim != 4) throw new ArgumentException($"expected 4D input (got {input.Dim}D input)");
    }
}
