using Descent.Autograd;
using Descent.Tensors;
using Descent.Text;

namespace Descent.NN;

/// <summary>
/// What <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/> share, like PyTorch's <c>_BatchNorm</c>: the
/// per-channel affine parameters <c>weight</c> (ones) and <c>bias</c> (zeros) and the buffers <c>running_mean</c>
/// (zeros), <c>running_var</c> (ones) and <c>num_batches_tracked</c> (an int64 scalar), registered in PyTorch's order
/// so state dicts have its keys. In training the batch statistics normalise and update the running ones; in eval
/// mode the running statistics normalise (the batch's when <see cref="TrackRunningStats"/> is off).
/// </summary>
public abstract class BatchNormBase : Module
{
    /// <summary>Creates the layer; <paramref name="momentum"/> null keeps a cumulative moving average.</summary>
    private protected BatchNormBase(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats)
    {
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        TrackRunningStats = trackRunningStats;
        Weight = RegisterParameter("weight", affine ? Parameter.Create(Tensor.Empty(numFeatures)) : null);
        Bias = RegisterParameter("bias", affine ? Parameter.Create(Tensor.Empty(numFeatures)) : null);
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(numFeatures));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones(numFeatures));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros([], DType.Int64));
        }
        else
        {
            RegisterBuffer("running_mean", null);
            RegisterBuffer("running_var", null);
            RegisterBuffer("num_batches_tracked", null);
        }
        ResetParameters();
    }

    /// <summary>C, the number of channels.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <summary>The running statistics' update factor; null for a cumulative moving average (1/batches seen).</summary>
    public double? Momentum { get; }

    /// <summary>Whether there are <see cref="Weight"/> and <see cref="Bias"/>.</summary>
    public bool Affine { get; }

    /// <summary>Whether running statistics are kept (and used in eval mode).</summary>
    public bool TrackRunningStats { get; }

    /// <summary>The per-channel scale [C], or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The per-channel shift [C], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>The running mean [C] (buffer <c>running_mean</c>), or null.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>The running unbiased variance [C] (buffer <c>running_var</c>), or null.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>The number of training batches seen, an int64 scalar (buffer <c>num_batches_tracked</c>), or null.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>Resets the running statistics, like <c>reset_running_stats</c>.</summary>
    public void ResetRunningStats()
    {
        if (!TrackRunningStats) return;
        using (GradMode.Set(false))
        {
            RunningMean!.Zero_();
            RunningVar!.Fill_(1);
            NumBatchesTracked!.Zero_();
        }
    }

    /// <summary>Resets statistics and parameters (weight ones, bias zeros), like <c>reset_parameters</c>.</summary>
    public void ResetParameters()
    {
        ResetRunningStats();
        if (Weight is not null) Init.Ones_(Weight);
        if (Bias is not null) Init.Zeros_(Bias);
    }

    /// <summary>Checks the input's rank, with PyTorch's message for the class.</summary>
    private protected abstract void CheckInputDim(Tensor input);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInputDim(input);
        double factor = Momentum ?? 0;
        if (Training && TrackRunningStats)
        {
            using (GradMode.Set(false)) NumBatchesTracked!.Add_(1L);
            // No momentum: the cumulative average, whose factor is 1/batches seen.
            if (Momentum is null) factor = 1.0 / NumBatchesTracked!.Item<long>();
        }
        // Batch statistics in training, or in eval mode when there are no running ones.
        bool useBatchStats = Training || !TrackRunningStats;
        return Functional.BatchNorm(input, !Training || TrackRunningStats ? RunningMean : null,
            !Training || TrackRunningStats ? RunningVar : null, Weight, Bias, useBatchStats, factor, Eps);
    }

    /// <inheritdoc/>
    public override string ExtraRepr() =>
        $"{NumFeatures}, eps={PyRepr.Float(Eps)}, momentum={(Momentum is { } m ? PyRepr.Float(m) : "None")}, " +
        $"affine={PyRepr.Bool(Affine)}, track_running_stats={PyRepr.Bool(TrackRunningStats)}";
}
