using Descent.Diagnostics;

namespace Descent.Optim.Schedulers;

/// <summary>
/// Reduces each group's lr when a metric stops improving, like <c>torch.optim.lr_scheduler.ReduceLROnPlateau</c>.
/// Each <see cref="Step(double)"/> compares the metric with the best so far: in mode <c>min</c> with
/// threshold_mode <c>rel</c> it improves when <c>metric &lt; best·(1 − threshold)</c> (<c>abs</c>:
/// <c>metric &lt; best − threshold</c>; mode <c>max</c> mirrors both). After more than <c>patience</c> steps
/// without improvement, <c>lr ← max(lr·factor, min_lr)</c> for each group whose lr would change by more than
/// <c>eps</c>, then <c>cooldown</c> steps pass in which bad epochs are not counted.
/// Defaults: mode "min", factor 0.1, patience 10, threshold 1e-4, threshold_mode "rel", cooldown 0, min_lr 0, eps 1e-8.
/// </summary>
public sealed class ReduceLROnPlateau : LRScheduler
{
    private double factor, threshold, eps, best, modeWorse;
    private int patience, cooldown, cooldownCounter, numBadEpochs;
    private string mode = "min", thresholdMode = "rel";
    private double? defaultMinLr;
    private double[] minLrs;

    /// <summary>PyTorch's defaults, shared by the constructors and the scheduler registry.</summary>
    public const double DefaultFactor = 0.1, DefaultThreshold = 1e-4, DefaultMinLr = 0, DefaultEps = 1e-8;
    /// <summary>PyTorch's defaults of the integer options.</summary>
    public const int DefaultPatience = 10, DefaultCooldown = 0;
    /// <summary>PyTorch's defaults of the string options.</summary>
    public const string DefaultMode = "min", DefaultThresholdMode = "rel";

    /// <summary>One lower bound <paramref name="minLr"/> for every group.</summary>
    public ReduceLROnPlateau(Optimizer optimizer, string mode = DefaultMode, double factor = DefaultFactor,
        int patience = DefaultPatience, double threshold = DefaultThreshold, string thresholdMode = DefaultThresholdMode,
        int cooldown = DefaultCooldown, double minLr = DefaultMinLr, double eps = DefaultEps)
        : this(optimizer, mode, factor, patience, threshold, thresholdMode, cooldown, (double?)minLr, null, eps) { }

    /// <summary>One lower bound per group; refuses a list of the wrong length with PyTorch's message.</summary>
    public ReduceLROnPlateau(Optimizer optimizer, IReadOnlyList<double> minLr, string mode = DefaultMode,
        double factor = DefaultFactor, int patience = DefaultPatience, double threshold = DefaultThreshold,
        string thresholdMode = DefaultThresholdMode, int cooldown = DefaultCooldown, double eps = DefaultEps)
        : this(optimizer, mode, factor, patience, threshold, thresholdMode, cooldown, null, minLr ?? throw new ArgumentNullException(nameof(minLr)), eps) { }

    private ReduceLROnPlateau(Optimizer optimizer, string mode, double factor, int patience, double threshold,
        string thresholdMode, int cooldown, double? minLr, IReadOnlyList<double>? minLrList, double eps) : base(optimizer)
    {
        if (factor >= 1.0) throw new ArgumentException("Factor should be < 1.0.");
        this.factor = factor;
        int n = optimizer.ParamGroups.Count;
        if (minLrList is not null)
        {
            if (minLrList.Count != n) throw new ArgumentException($"expected {n} min_lrs, got {minLrList.Count}");
            defaultMinLr = null;
            minLrs = [.. minLrList];
        }
        else
        {
            defaultMinLr = minLr;
            minLrs = Enumerable.Repeat(minLr!.Value, n).ToArray();
        }
        this.patience = patience;
        this.cooldown = cooldown;
        this.eps = eps;
        LastEpoch = 0;
        LastLr = GroupLrs();
        InitIsBetter(mode, threshold, thresholdMode);
        Reset();
    }

    /// <summary>The best metric seen so far.</summary>
    public double Best => best;

    /// <summary>Steps since the last improvement (PyTorch's <c>num_bad_epochs</c>).</summary>
    public int NumBadEpochs => numBadEpochs;

    /// <summary>Whether a cooldown is running.</summary>
    public bool InCooldown => cooldownCounter > 0;

    private void Reset()
    {
        best = modeWorse;
        cooldownCounter = 0;
        numBadEpochs = 0;
    }

    private void InitIsBetter(string mode, double threshold, string thresholdMode)
    {
        if (mode is not ("min" or "max")) throw new ArgumentException("mode " + mode + " is unknown!");
        if (thresholdMode is not ("rel" or "abs")) throw new ArgumentException("threshold mode " + thresholdMode + " is unknown!");
        modeWorse = mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;
        this.mode = mode;
        this.threshold = threshold;
        this.thresholdMode = thresholdMode;
    }

    /// <summary>Takes one step with the monitored <paramref name="metrics"/> value, like <c>step(metrics)</c>.</summary>
    public void Step(double metrics) => StepCore(metrics, null);

    /// <summary>The deprecated <c>step(metrics, epoch)</c>: warns, then records <paramref name="epoch"/> as the last epoch.</summary>
    public void Step(double metrics, int epoch)
    {
        Warnings.Warn(EpochDeprecationWarning);
        StepCore(metrics, epoch);
    }

    /// <summary>Not available: this scheduler needs the metric (<see cref="Step(double)"/>).</summary>
    public override void Step() =>
        throw new InvalidOperationException("ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'");

    /// <summary>Through a base reference, PyTorch's positional <c>step(x)</c> passes x as the metric.</summary>
    public override void Step(int epoch) => Step((double)epoch);

    /// <summary>Steps with the loss as the metric.</summary>
    public override void StepAfterOptimizer(double loss) => Step(loss);

    private void StepCore(double current, int? epoch)
    {
        LastEpoch = epoch ?? LastEpoch + 1;
        if (IsBetter(current, best))
        {
            best = current;
            numBadEpochs = 0;
        }
        else numBadEpochs++;

        if (InCooldown)
        {
            cooldownCounter--;
            numBadEpochs = 0; // bad epochs in cooldown do not count
        }

        if (numBadEpochs > patience)
        {
            ReduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        LastLr = GroupLrs();
    }

    private void ReduceLr()
    {
        var groups = Optimizer.ParamGroups;
        if (groups.Count != minLrs.Length)
        {
            if (defaultMinLr is null)
                throw new InvalidOperationException(
                    $"The number of param groups in the `optimizer` ({groups.Count}) differs from when `ReduceLROnPlateau` was initialized " +
                    $"({minLrs.Length}), usually due to a new param group being added to the optimizer. Please modify the `min_lrs` field " +
                    "to match the length of the `optimizer` param groups.");
            minLrs = Enumerable.Repeat(defaultMinLr.Value, groups.Count).ToArray();
        }
        for (int i = 0; i < groups.Count; i++)
        {
            double oldLr = groups[i].Lr;
            double newLr = Math.Max(oldLr * factor, minLrs[i]);
            if (oldLr - newLr > eps) groups[i].Lr = newLr;
        }
    }

    private bool IsBetter(double a, double best) => (mode, thresholdMode) switch
    {
        ("min", "rel") => a < best * (1.0 - threshold),
        ("min", _) => a < best - threshold,
        ("max", "rel") => a > best * (threshold + 1.0),
        _ => a > best + threshold,
    };

    /// <summary>Not used: this scheduler reads a metric instead of computing lrs from the epoch.</summary>
    protected override double[] ComputeLr() => GroupLrs();

    /// <summary>
    /// The attributes of the state dict, each named once, as PyTorch's <c>__dict__</c> has them (this scheduler has no
    /// <c>base_lrs</c>). mode, threshold and threshold_mode are checked together once loaded, as the constructor checks
    /// them; a refused combination leaves the three as they were.
    /// </summary>
    private static readonly SchedulerAttributes<ReduceLROnPlateau> OwnAttributes = new SchedulerAttributes<ReduceLROnPlateau>()
        .Double("factor", s => s.factor, (s, v) => s.factor = v)
        .OptionalDouble("default_min_lr", s => s.defaultMinLr, (s, v) => s.defaultMinLr = v)
        .Doubles("min_lrs", s => s.minLrs, (s, v) => s.minLrs = v)
        .Int("patience", s => s.patience, (s, v) => s.patience = v)
        .Int("cooldown", s => s.cooldown, (s, v) => s.cooldown = v)
        .Double("eps", s => s.eps, (s, v) => s.eps = v)
        .Int("last_epoch", s => s.LastEpoch, (s, v) => s.LastEpoch = v)
        .Doubles("_last_lr", s => s.LastLr, (s, v) => s.LastLr = v)
        .SaveOnly("mode_worse", s => s.modeWorse)
        .String("mode", s => s.mode, (s, v) => s.loaded.Mode = v)
        .Double("threshold", s => s.threshold, (s, v) => s.loaded.Threshold = v)
        .String("threshold_mode", s => s.thresholdMode, (s, v) => s.loaded.ThresholdMode = v)
        .Double("best", s => s.best, (s, v) => s.best = v)
        .Int("cooldown_counter", s => s.cooldownCounter, (s, v) => s.cooldownCounter = v)
        .Int("num_bad_epochs", s => s.numBadEpochs, (s, v) => s.numBadEpochs = v)
        .AfterLoad(s => s.InitIsBetter(s.loaded.Mode ?? s.mode, s.loaded.Threshold ?? s.threshold, s.loaded.ThresholdMode ?? s.thresholdMode));

    private protected override ISchedulerAttributes Attributes => OwnAttributes;

    /// <inheritdoc/>
    public override void LoadStateDict(IReadOnlyDictionary<string, object?> stateDict)
    {
        loaded = default;
        try
        {
            base.LoadStateDict(stateDict);
        }
        finally
        {
            loaded = default;
        }
    }

    // mode, threshold and threshold_mode read by a load, applied together once it has read everything.
    private (string? Mode, double? Threshold, string? ThresholdMode) loaded;
}
