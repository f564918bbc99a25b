namespace Descent.Optim.Schedulers;

/// <summary>
/// Cyclical learning rates (Smith, 2017), like <c>torch.optim.lr_scheduler.CyclicLR</c>; step it after every batch.
/// With <c>cycle = ⌊1 + t/(up + down)⌋</c>, <c>x = 1 + t/(up + down) − cycle</c> and
/// <c>s = x/ratio</c> rising (<c>x ≤ ratio = up/(up + down)</c>) or <c>(x − 1)/(ratio − 1)</c> falling:
/// <code>lr = base_lr + (max_lr − base_lr)·s·scale(cycle or t)</code>
/// scale is 1 (<c>triangular</c>), <c>1/2^(cycle−1)</c> (<c>triangular2</c>), <c>gamma^t</c> (<c>exp_range</c>) or a
/// custom function of the cycle or of the iteration (<c>scale_mode</c>). With cycle_momentum, momentum (or β₁ for
/// Adam-like optimizers) cycles inversely: <c>m = max_m − (max_m − base_m)·s·scale</c>.
/// Defaults: step_size_up 2000, step_size_down = step_size_up, mode "triangular", gamma 1.0, scale_mode "cycle",
/// cycle_momentum true, base_momentum 0.8, max_momentum 0.9.
/// </summary>
public sealed class CyclicLR : LRScheduler
{
    private double[] maxLrs;
    private double totalSize, stepRatio, gamma;
    private string mode, scaleMode;
    private readonly Func<double, double>? scaleFnCustom;
    private Func<double, double> scaleFnRef = _ => 1.0;
    private bool cycleMomentum, useBeta1;
    private double[] baseMomentums = [], maxMomentums = [];

    /// <summary>PyTorch's defaults, shared by the constructors and the scheduler registry.</summary>
    public const double DefaultGamma = 1.0, DefaultBaseMomentum = 0.8, DefaultMaxMomentum = 0.9;
    /// <summary>PyTorch's defaults of the integer options.</summary>
    public const int DefaultStepSizeUp = 2000;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultCycleMomentum = true;
    /// <summary>PyTorch's defaults of the string options.</summary>
    public const string DefaultMode = "triangular", DefaultScaleMode = "cycle";

    /// <summary>Cycles between <paramref name="baseLr"/> and <paramref name="maxLr"/> (each one value or one per group).</summary>
    public CyclicLR(Optimizer optimizer, PerGroup baseLr, PerGroup maxLr, int stepSizeUp = DefaultStepSizeUp,
        int? stepSizeDown = null, string mode = DefaultMode, double gamma = DefaultGamma,
        Func<double, double>? scaleFn = null, string scaleMode = DefaultScaleMode, bool cycleMomentum = DefaultCycleMomentum,
        PerGroup? baseMomentum = null, PerGroup? maxMomentum = null, int lastEpoch = DefaultLastEpoch)
        : base(optimizer)
    {
        var baseLrs = baseLr.Expand("base_lr", optimizer);
        if (lastEpoch == -1)
            for (int i = 0; i < baseLrs.Length; i++) optimizer.ParamGroups[i].Lr = baseLrs[i];
        maxLrs = maxLr.Expand("max_lr", optimizer);

        double up = stepSizeUp, down = stepSizeDown ?? up;
        totalSize = up + down;
        stepRatio = up / totalSize;

        if (mode is not ("triangular" or "triangular2" or "exp_range") && scaleFn is null)
            throw new ArgumentException("mode is invalid and scale_fn is None");
        this.mode = mode;
        this.gamma = gamma;
        scaleFnCustom = scaleFn;
        this.scaleMode = scaleMode;
        InitScaleFn();

        this.cycleMomentum = cycleMomentum;
        if (cycleMomentum)
        {
            useBeta1 = MomentumCycling.UsesBeta1(optimizer);
            baseMomentums = (baseMomentum ?? DefaultBaseMomentum).Expand("base_momentum", optimizer);
            maxMomentums = (maxMomentum ?? DefaultMaxMomentum).Expand("max_momentum", optimizer);
            if (lastEpoch == -1)
                for (int i = 0; i < maxMomentums.Length; i++)
                {
                    var g = optimizer.ParamGroups[i];
                    MomentumCycling.Set(g, maxMomentums[i], useBeta1);
                    g["max_momentum"] = maxMomentums[i];
                    g["base_momentum"] = baseMomentums[i];
                }
        }
        Initialize(lastEpoch);
        BaseLrValues = baseLrs;
    }

    private void InitScaleFn()
    {
        if (scaleFnCustom is not null) return;
        switch (mode)
        {
            case "triangular":
                scaleFnRef = _ => 1.0;
                scaleMode = "cycle";
                break;
            case "triangular2":
                scaleFnRef = x => 1 / Math.Pow(2.0, x - 1);
                scaleMode = "cycle";
                break;
            case "exp_range":
                double g = gamma;
                scaleFnRef = x => Math.Pow(g, x);
                scaleMode = "iterations";
                break;
        }
    }

    /// <summary>The scaling policy applied to the amplitude, like <c>scale_fn(x)</c>.</summary>
    public double ScaleFn(double x) => scaleFnCustom is not null ? scaleFnCustom(x) : scaleFnRef(x);

    /// <inheritdoc/>
    protected override double[] ComputeLr()
    {
        int t = LastEpoch;
        double cycle = Math.Floor(1 + t / totalSize);
        double x = 1.0 + t / totalSize - cycle;
        double scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        double scale = ScaleFn(scaleMode == "cycle" ? cycle : t);

        var lrs = new double[BaseLrValues.Length];
        for (int i = 0; i < lrs.Length; i++)
        {
            double baseHeight = (maxLrs[i] - BaseLrValues[i]) * scaleFactor;
            lrs[i] = BaseLrValues[i] + baseHeight * scale;
        }
        if (cycleMomentum)
        {
            var groups = Optimizer.ParamGroups;
            for (int i = 0; i < Math.Min(groups.Count, baseMomentums.Length); i++)
            {
                double baseHeight = (maxMomentums[i] - baseMomentums[i]) * scaleFactor;
                MomentumCycling.Set(groups[i], maxMomentums[i] - baseHeight * scale, useBeta1);
            }
        }
        return lrs;
    }

    /// <summary>The attributes of the state dict, each named once: this scheduler's own, then the base ones.</summary>
    private static readonly SchedulerAttributes<CyclicLR> OwnAttributes = new SchedulerAttributes<CyclicLR>()
        .Doubles("max_lrs", s => s.maxLrs, (s, v) => s.maxLrs = v)
        .Double("total_size", s => s.totalSize, (s, v) => s.totalSize = v)
        .Double("step_ratio", s => s.stepRatio, (s, v) => s.stepRatio = v)
        .String("mode", s => s.mode, (s, v) => s.mode = v)
        .Double("gamma", s => s.gamma, (s, v) => s.gamma = v)
        .SaveOnly("_scale_fn_custom", _ => null) // functions are not saved
        .String("scale_mode", s => s.scaleMode, (s, v) => s.scaleMode = v)
        .Bool("cycle_momentum", s => s.cycleMomentum, (s, v) => s.cycleMomentum = v)
        .Bool("use_beta1", s => s.useBeta1, (s, v) => s.useBeta1 = v).When(s => s.cycleMomentum)
        .Doubles("base_momentums", s => s.baseMomentums, (s, v) => s.baseMomentums = v).When(s => s.cycleMomentum)
        .Doubles("max_momentums", s => s.maxMomentums, (s, v) => s.maxMomentums = v).When(s => s.cycleMomentum)
        .AfterLoad(s => s.InitScaleFn())
        .Then(Common);

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
