namespace Descent.Optim.Schedulers;

/// <summary>
/// Decays each group's lr by <c>gamma</c> every <c>step_size</c> epochs, like <c>torch.optim.lr_scheduler.StepLR</c>:
/// <c>lr = base_lr · gamma^⌊last_epoch / step_size⌋</c> (closed form); the chainable form multiplies by gamma
/// when <c>last_epoch</c> is a non-zero multiple of step_size. Defaults: gamma 0.1.
/// Like PyTorch, step_size is not validated: a negative one decays every |step_size| epochs (its closed form
/// then grows the lr), and 0 fails on the first step with a division by zero.
/// </summary>
public sealed class StepLR : LRScheduler
{
    private int stepSize;
    private double gamma;

    /// <summary>PyTorch's defaults, shared by the constructors and the scheduler registry.</summary>
    public const double DefaultGamma = 0.1;

    /// <summary>Decays by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = DefaultGamma, int lastEpoch = DefaultLastEpoch) : base(optimizer)
    {
        this.stepSize = stepSize;
        this.gamma = gamma;
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] ComputeLr()
    {
        var lrs = GroupLrs();
        if (LastEpoch == 0 || PyMath.Mod(LastEpoch, stepSize) != 0) return lrs;
        return lrs.Select(lr => lr * gamma).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr() =>
        BaseLrValues.Select(b => b * Math.Pow(gamma, PyMath.FloorDiv(LastEpoch, stepSize))).ToArray();

    /// <summary>The attributes of the state dict, each named once: this scheduler's own, then the base ones.</summary>
    private static readonly SchedulerAttributes<StepLR> OwnAttributes = new SchedulerAttributes<StepLR>()
        .Int("step_size", s => s.stepSize, (s, v) => s.stepSize = v)
        .Double("gamma", s => s.gamma, (s, v) => s.gamma = v)
        .Then(Common);

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
