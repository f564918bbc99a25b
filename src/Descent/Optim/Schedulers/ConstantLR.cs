namespace Descent.Optim.Schedulers;

/// <summary>
/// Multiplies each group's lr by a constant factor until epoch <c>total_iters</c>, like
/// <c>torch.optim.lr_scheduler.ConstantLR</c>: <c>lr = base_lr · (factor if last_epoch &lt; total_iters else 1)</c>.
/// Defaults: factor 1/3, total_iters 5.
/// </summary>
public sealed class ConstantLR : LRScheduler
{
    private double factor;
    private int totalIters;

    /// <summary>PyTorch's defaults, shared by the constructors and the scheduler registry.</summary>
    public const double DefaultFactor = 1.0 / 3;
    /// <summary>PyTorch's defaults of the integer options.</summary>
    public const int DefaultTotalIters = 5;

    /// <summary>Scales by <paramref name="factor"/> (in [0, 1]) for the first <paramref name="totalIters"/> epochs.</summary>
    public ConstantLR(Optimizer optimizer, double factor = DefaultFactor, int totalIters = DefaultTotalIters,
        int lastEpoch = DefaultLastEpoch) : base(optimizer)
    {
        if (factor > 1.0 || factor < 0)
            throw new ArgumentException("Constant multiplicative factor expected to be between 0 and 1.");
        this.factor = factor;
        this.totalIters = totalIters;
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] ComputeLr()
    {
        var lrs = GroupLrs();
        if (LastEpoch == 0) return lrs.Select(lr => lr * factor).ToArray();
        if (LastEpoch != totalIters) return lrs;
        return lrs.Select(lr => lr * (1.0 / factor)).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr() =>
        BaseLrValues.Select(b => b * (factor + (LastEpoch >= totalIters ? 1 : 0) * (1 - factor))).ToArray();

    /// <summary>The attributes of the state dict, each named once: this scheduler's own, then the base ones.</summary>
    private static readonly SchedulerAttributes<ConstantLR> OwnAttributes = new SchedulerAttributes<ConstantLR>()
        .Double("factor", s => s.factor, (s, v) => s.factor = v)
        .Int("total_iters", s => s.totalIters, (s, v) => s.totalIters = v)
        .Then(Common);

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
