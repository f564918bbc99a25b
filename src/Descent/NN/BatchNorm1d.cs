using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// Batch normalisation of a 2-D (N, C) or 3-D (N, C, L) input over every dimension but C, like
/// <c>nn.BatchNorm1d</c>; see <see cref="BatchNormBase"/>. Prints as
/// <c>BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)</c>.
/// </summary>
public sealed class BatchNorm1d : BatchNormBase
{
    /// <summary>Creates the layer with PyTorch's defaults.</summary>
    public BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats) { }

    /// <exception cref="ArgumentException">"expected 2D or 3D input (got 4D input)".</exception>
    private protected override void CheckInputDim(Tensor input)
    {
        if (input.Dim is not (2 or 3)) throw new ArgumentException($"expected 2D or 3D input (got {input.Dim}D input)");
    }
}
