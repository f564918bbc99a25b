namespace Descent.Optim.Schedulers;

/// <summary>
/// Decays each group's lr polynomially to 0 over <c>total_iters</c> epochs, like
/// <c>torch.optim.lr_scheduler.PolynomialLR</c>:
/// <c>lr = base_lr · (1 − min(total_iters, last_epoch) / total_iters)^power</c>; the chainable form multiplies by
/// <c>((1 − t/T) / (1 − (t−1)/T))^power</c>. Defaults: total_iters 5, power 1.0.
/// </summary>
public sealed class PolynomialLR : LRScheduler
{
    private int totalIters;
    private double power;

    /// <summary>PyTorch's defaults, shared by the constructors and the scheduler registry.</summary>
    public const double DefaultPower = 1.0;
    /// <summary>PyTorch's defaults of the integer options.</summary>
    public const int DefaultTotalIters = 5;

    /// <summary>Decays to 0 over <paramref name="totalIters"/> epochs with exponent <paramref name="power"/>.</summary>
    public PolynomialLR(Optimizer optimizer, int totalIters = DefaultTotalIters, double power = DefaultPower,
        int lastEpoch = DefaultLastEpoch) : base(optimizer)
    {
        this.totalIters = totalIters;
        this.power = power;
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] ComputeLr()
    {
        var lrs = GroupLrs();
        if (IsInitial || LastEpoch > totalIters) return lrs;
        double decay = Math.Pow((1.0 - (double)LastEpoch / totalIters) / (1.0 - (double)(LastEpoch - 1) / totalIters), power);
        return lrs.Select(lr => lr * decay).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr() =>
        BaseLrValues.Select(b => b * Math.Pow(1.0 - (double)Math.Min(totalIters, LastEpoch) / totalIters, power)).ToArray();

    /// <summary>The attributes of the state dict, each named once: this scheduler's own, then the base ones.</summary>
    private static readonly SchedulerAttributes<PolynomialLR> OwnAttributes = new SchedulerAttributes<PolynomialLR>()
        .Int("total_iters", s => s.totalIters, (s, v) => s.totalIters = v)
        .Double("power", s => s.power, (s, v) => s.power = v)
        .Then(Common);

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
