namespace Descent.Optim.Swa;

/// <summary>
/// A module keeping running statistics the way PyTorch's <c>_BatchNorm</c> does, so that
/// <see cref="SwaUtils.UpdateBn(IEnumerable{Descent.Tensors.Tensor}, Descent.NN.Module)"/> can recompute them.
/// Descent has no batch norm yet; a future one implements this interface.
/// </summary>
public interface IBatchNormStats
{
    /// <summary>The running-average momentum; null means a cumulative moving average (PyTorch's <c>momentum=None</c>).</summary>
    double? Momentum { get; set; }

    /// <summary>Resets the running statistics (mean 0, variance 1, batches tracked 0), like <c>reset_running_stats</c>.</summary>
    void ResetRunningStats();
}
