namespace Descent.Optim.Schedulers;

/// <summary>
/// Changes each group's lr by a linearly changing factor until epoch <c>total_iters</c>, like
/// <c>torch.optim.lr_scheduler.LinearLR</c>:
/// <c>lr = base_lr · (start_factor + (end_factor − start_factor) · min(total_iters, last_epoch) / total_iters)</c>.
/// The chainable form multiplies by <c>1 + (end − start) / (total_iters·start + (last_epoch − 1)(end − start))</c>.
/// Defaults: start_factor 1/3, end_factor 1.0, total_iters 5.
/// </summary>
public sealed class LinearLR : LRScheduler
{
    private double startFactor, endFactor;
    private int totalIters;

    /// <summary>PyTorch's defaults, shared by the constructors and the scheduler registry.</summary>
    public const double DefaultStartFactor = 1.0 / 3, DefaultEndFactor = 1.0;
    /// <summary>PyTorch's defaults of the integer options.</summary>
    public const int DefaultTotalIters = 5;

    /// <summary>Goes from <paramref name="startFactor"/> (in (0, 1]) to <paramref name="endFactor"/> (in [0, 1]) over <paramref name="totalIters"/> epochs.</summary>
    public LinearLR(Optimizer optimizer, double startFactor = DefaultStartFactor, double endFactor = DefaultEndFactor,
        int totalIters = DefaultTotalIters, int lastEpoch = DefaultLastEpoch)
        : base(optimizer)
    {
        if (startFactor > 1.0 || startFactor <= 0)
            throw new ArgumentException("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
        if (endFactor > 1.0 || endFactor < 0)
            throw new ArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] ComputeLr()
    {
        var lrs = GroupLrs();
        if (LastEpoch == 0) return lrs.Select(lr => lr * startFactor).ToArray();
        if (IsInitial || LastEpoch > totalIters) return lrs;
        double f = 1.0 + (endFactor - startFactor) / (totalIters * startFactor + (LastEpoch - 1) * (endFactor - startFactor));
        return lrs.Select(lr => lr * f).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr() =>
        BaseLrValues.Select(b => b * (startFactor + (endFactor - startFactor) * Math.Min(totalIters, LastEpoch) / totalIters)).ToArray();

    /// <summary>The attributes of the state dict, each named once: this scheduler's own, then the base ones.</summary>
    private static readonly SchedulerAttributes<LinearLR> OwnAttributes = new SchedulerAttributes<LinearLR>()
        .Double("start_factor", s => s.startFactor, (s, v) => s.startFactor = v)
        .Double("end_factor", s => s.endFactor, (s, v) => s.endFactor = v)
        .Int("total_iters", s => s.totalIters, (s, v) => s.totalIters = v)
        .Then(Common);

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
