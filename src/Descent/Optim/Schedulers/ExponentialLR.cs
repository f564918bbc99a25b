namespace Descent.Optim.Schedulers;

/// <summary>
/// Decays each group's lr by <c>gamma</c> every epoch, like <c>torch.optim.lr_scheduler.ExponentialLR</c>:
/// <c>lr = base_lr · gamma^last_epoch</c>.
/// </summary>
public sealed class ExponentialLR : LRScheduler
{
    private double gamma;

    /// <summary>Multiplies by <paramref name="gamma"/> every epoch.</summary>
    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch = DefaultLastEpoch) : base(optimizer)
    {
        this.gamma = gamma;
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] ComputeLr()
    {
        var lrs = GroupLrs();
        // Resuming (lastEpoch ≥ 0) must not move the lr one step ahead on the constructor's initial step.
        return IsInitial ? lrs : lrs.Select(lr => lr * gamma).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr() =>
        BaseLrValues.Select(b => b * Math.Pow(gamma, LastEpoch)).ToArray();

    /// <summary>The attributes of the state dict, each named once: this scheduler's own, then the base ones.</summary>
    private static readonly SchedulerAttributes<ExponentialLR> OwnAttributes = new SchedulerAttributes<ExponentialLR>()
        .Double("gamma", s => s.gamma, (s, v) => s.gamma = v)
        .Then(Common);

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
