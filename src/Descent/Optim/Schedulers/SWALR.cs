namespace Descent.Optim.Schedulers;

/// <summary>
/// Anneals each group's lr to a fixed <c>swa_lr</c> for Stochastic Weight Averaging, like
/// <c>torch.optim.swa_utils.SWALR</c>. With <c>t = clamp((step_count − 1)/max(1, anneal_epochs), 0, 1)</c> and
/// <c>α = (1 − cos(π·t))/2</c> (<c>cos</c>) or <c>α = t</c> (<c>linear</c>), each step recovers the lr the
/// annealing started from and sets <c>lr = swa_lr·α + lr₀·(1 − α)</c>; after anneal_epochs steps the lr stays
/// at swa_lr. Stores <c>swa_lr</c> in each group. Defaults: anneal_epochs 10, anneal_strategy "cos".
/// </summary>
public sealed class SWALR : LRScheduler
{
    private int annealEpochs;
    private string annealStrategy;

    /// <summary>PyTorch's defaults, shared by the constructors and the scheduler registry.</summary>
    public const int DefaultAnnealEpochs = 10;
    /// <summary>PyTorch's defaults of the string options.</summary>
    public const string DefaultAnnealStrategy = "cos";

    /// <summary>Anneals to <paramref name="swaLr"/> (one value or one per group) over <paramref name="annealEpochs"/> steps.</summary>
    public SWALR(Optimizer optimizer, PerGroup swaLr, int annealEpochs = DefaultAnnealEpochs,
        string annealStrategy = DefaultAnnealStrategy, int lastEpoch = DefaultLastEpoch)
        : base(optimizer)
    {
        var swaLrs = swaLr.Expand("swa_lr", optimizer);
        for (int i = 0; i < swaLrs.Length; i++) optimizer.ParamGroups[i]["swa_lr"] = swaLrs[i];
        if (annealStrategy is not ("cos" or "linear"))
            throw new ArgumentException($"anneal_strategy must by one of 'cos' or 'linear', instead got {annealStrategy}");
        this.annealStrategy = annealStrategy;
        if (annealEpochs < 0) throw new ArgumentException($"anneal_epochs must be equal or greater than 0, got {annealEpochs}");
        this.annealEpochs = annealEpochs;
        Initialize(lastEpoch);
    }

    private double AnnealFunc(double t) => annealStrategy == "cos" ? (1 - Math.Cos(Math.PI * t)) / 2 : t;

    private static double InitialLr(double lr, double swaLr, double alpha) =>
        alpha == 1 ? swaLr : (lr - alpha * swaLr) / (1 - alpha);

    /// <inheritdoc/>
    protected override double[] ComputeLr()
    {
        int step = StepCount - 1;
        if (annealEpochs == 0) step = Math.Max(1, step);
        double prevT = Math.Max(0, Math.Min(1, (double)(step - 1) / Math.Max(1, annealEpochs)));
        double prevAlpha = AnnealFunc(prevT);
        var groups = Optimizer.ParamGroups;
        var prevLrs = groups.Select(g => InitialLr(g.Lr, g.GetDouble("swa_lr"), prevAlpha)).ToArray();
        double t = Math.Max(0, Math.Min(1, (double)step / Math.Max(1, annealEpochs)));
        double alpha = AnnealFunc(t);
        return groups.Select((g, i) => g.GetDouble("swa_lr") * alpha + prevLrs[i] * (1 - alpha)).ToArray();
    }

    /// <summary>The attributes of the state dict, each named once: this scheduler's own, then the base ones.</summary>
    private static readonly SchedulerAttributes<SWALR> OwnAttributes = new SchedulerAttributes<SWALR>()
        .String("_anneal_strategy", s => s.annealStrategy, (s, v) => s.annealStrategy = v)
        .Int("anneal_epochs", s => s.annealEpochs, (s, v) => s.annealEpochs = v)
        .Then(Common);

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
