namespace Descent.Optim.Schedulers;

/// <summary>
/// Cosine annealing from the initial lr to <c>eta_min</c> over <c>T_max</c> epochs (SGDR without restarts),
/// like <c>torch.optim.lr_scheduler.CosineAnnealingLR</c>. Closed form:
/// <c>lr = eta_min + (base_lr − eta_min)(1 + cos(π·last_epoch/T_max))/2</c>. Steps use PyTorch's recursive form,
/// <c>lr ← eta_min + (lr − eta_min)(1 + cos(π·t/T_max))/(1 + cos(π·(t−1)/T_max))</c>, so values agree with
/// PyTorch's to the last bit and the schedule composes with other schedulers; past T_max it keeps following
/// the cosine back up. Defaults: eta_min 0.
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    private int tMax;
    private double etaMin;

    /// <summary>PyTorch's defaults, shared by the constructors and the scheduler registry.</summary>
    public const double DefaultEtaMin = 0.0;

    /// <summary>Anneals over <paramref name="tMax"/> epochs down to <paramref name="etaMin"/>.</summary>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = DefaultEtaMin, int lastEpoch = DefaultLastEpoch) : base(optimizer)
    {
        this.tMax = tMax;
        this.etaMin = etaMin;
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] ComputeLr()
    {
        var lrs = GroupLrs();
        int t = LastEpoch;
        if (IsInitial) return lrs;
        if (StepCount == 1 && t > 0)
            return BaseLrValues.Select(b => etaMin + (b - etaMin) * (1 + Math.Cos(t * Math.PI / tMax)) / 2).ToArray();
        if (PyMath.Mod(t - 1 - tMax, 2L * tMax) == 0)
            return lrs.Select((lr, i) => lr + (BaseLrValues[i] - etaMin) * (1 - Math.Cos(Math.PI / tMax)) / 2).ToArray();
        double ratio = (1 + Math.Cos(Math.PI * t / tMax)) / (1 + Math.Cos(Math.PI * (t - 1) / tMax));
        return lrs.Select(lr => ratio * (lr - etaMin) + etaMin).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr() =>
        BaseLrValues.Select(b => etaMin + (b - etaMin) * (1 + Math.Cos(Math.PI * LastEpoch / tMax)) / 2).ToArray();

    /// <summary>The attributes of the state dict, each named once: this scheduler's own, then the base ones.</summary>
    private static readonly SchedulerAttributes<CosineAnnealingLR> OwnAttributes = new SchedulerAttributes<CosineAnnealingLR>()
        .Int("T_max", s => s.tMax, (s, v) => s.tMax = v)
        .Double("eta_min", s => s.etaMin, (s, v) => s.etaMin = v)
        .Then(Common);

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
