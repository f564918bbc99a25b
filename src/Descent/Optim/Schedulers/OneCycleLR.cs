using Descent.Text;

namespace Descent.Optim.Schedulers;

/// <summary>
/// The 1cycle policy (Smith &amp; Topin, 2018), like <c>torch.optim.lr_scheduler.OneCycleLR</c>; step it after
/// every batch. Each group starts at <c>initial_lr = max_lr/div_factor</c>, anneals up to <c>max_lr</c> over the
/// first <c>pct_start·total_steps − 1</c> steps, then down to <c>min_lr = initial_lr/final_div_factor</c> at step
/// <c>total_steps − 1</c>; with three_phase it first comes back down to initial_lr symmetrically, then to min_lr.
/// Annealing is cosine (<c>end + (start − end)(1 + cos(π·pct))/2</c>) or linear. With cycle_momentum, momentum
/// (or β₁) moves inversely between max_momentum and base_momentum. Not chainable.
/// Defaults: pct_start 0.3, anneal_strategy "cos", cycle_momentum true, base_momentum 0.85, max_momentum 0.95,
/// div_factor 25, final_div_factor 1e4, three_phase false. total_steps, or epochs and steps_per_epoch, are required.
/// </summary>
public sealed class OneCycleLR : LRScheduler
{
    private int totalSteps;
    private Phase[] phases;
    private string annealStrategy;
    private bool cycleMomentum, useBeta1;

    private readonly record struct Phase(double EndStep, string StartLr, string EndLr, string StartMomentum, string EndMomentum);

    /// <summary>PyTorch's defaults, shared by the constructors and the scheduler registry.</summary>
    public const double DefaultPctStart = 0.3, DefaultDivFactor = 25.0, DefaultFinalDivFactor = 1e4,
        DefaultBaseMomentum = 0.85, DefaultMaxMomentum = 0.95;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultCycleMomentum = true, DefaultThreePhase = false;
    /// <summary>PyTorch's defaults of the string options.</summary>
    public const string DefaultAnnealStrategy = "cos";

    /// <summary>Builds the schedule; see the class summary for the arguments.</summary>
    public OneCycleLR(Optimizer optimizer, PerGroup maxLr, int? totalSteps = null, int? epochs = null,
        int? stepsPerEpoch = null, double pctStart = DefaultPctStart, string annealStrategy = DefaultAnnealStrategy,
        bool cycleMomentum = DefaultCycleMomentum, PerGroup? baseMomentum = null, PerGroup? maxMomentum = null,
        double divFactor = DefaultDivFactor, double finalDivFactor = DefaultFinalDivFactor,
        bool threePhase = DefaultThreePhase, int lastEpoch = DefaultLastEpoch)
        : base(optimizer)
    {
        if (totalSteps is not null)
        {
            if (totalSteps <= 0) throw new ArgumentException($"Expected positive integer total_steps, but got {totalSteps}");
            this.totalSteps = totalSteps.Value;
        }
        else if (epochs is not null && stepsPerEpoch is not null)
        {
            if (epochs <= 0) throw new ArgumentException($"Expected positive integer epochs, but got {epochs}");
            if (stepsPerEpoch <= 0) throw new ArgumentException($"Expected positive integer steps_per_epoch, but got {stepsPerEpoch}");
            this.totalSteps = checked(epochs.Value * stepsPerEpoch.Value);
        }
        else throw new ArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");

        int total = this.totalSteps;
        phases = threePhase
            ?
            [
                new(pctStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new(2 * pctStart * total - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                new(total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
            :
            [
                new(pctStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new(total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            ];

        if (pctStart < 0 || pctStart > 1 || double.IsNaN(pctStart))
            throw new ArgumentException($"Expected float between 0 and 1 pct_start, but got {PyRepr.Float(pctStart)}");
        if (annealStrategy is not ("cos" or "linear"))
            throw new ArgumentException($"anneal_strategy must be one of 'cos' or 'linear', instead got {annealStrategy}");
        this.annealStrategy = annealStrategy;

        var maxLrs = maxLr.Expand("max_lr", optimizer);
        if (lastEpoch == -1)
            for (int i = 0; i < maxLrs.Length; i++)
            {
                var g = optimizer.ParamGroups[i];
                g["initial_lr"] = maxLrs[i] / divFactor;
                g["max_lr"] = maxLrs[i];
                g["min_lr"] = g.GetDouble("initial_lr") / finalDivFactor;
            }

        this.cycleMomentum = cycleMomentum;
        if (cycleMomentum)
        {
            useBeta1 = MomentumCycling.UsesBeta1(optimizer);
            var maxMomentums = (maxMomentum ?? DefaultMaxMomentum).Expand("max_momentum", optimizer);
            var baseMomentums = (baseMomentum ?? DefaultBaseMomentum).Expand("base_momentum", optimizer);
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
    }

    /// <summary>The number of steps in the cycle.</summary>
    public int TotalSteps => totalSteps;

    private double Anneal(double start, double end, double pct) => annealStrategy switch
    {
        "cos" => end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1),
        "linear" => (end - start) * pct + start,
        _ => throw new InvalidOperationException($"Unknown _anneal_func_type: {annealStrategy}"),
    };

    /// <inheritdoc/>
    protected override double[] ComputeLr()
    {
        int stepNum = LastEpoch;
        if (stepNum > totalSteps)
            throw new InvalidOperationException($"Tried to step {stepNum} times. The specified number of total steps is {totalSteps}");
        var groups = Optimizer.ParamGroups;
        var lrs = new double[groups.Count];
        for (int gi = 0; gi < groups.Count; gi++)
        {
            var g = groups[gi];
            double startStep = 0;
            for (int i = 0; i < phases.Length; i++)
            {
                var phase = phases[i];
                if (stepNum <= phase.EndStep || i == phases.Length - 1)
                {
                    double pct = (stepNum - startStep) / (phase.EndStep - startStep);
                    lrs[gi] = Anneal(g.GetDouble(phase.StartLr), g.GetDouble(phase.EndLr), pct);
                    if (cycleMomentum)
                        MomentumCycling.Set(g, Anneal(g.GetDouble(phase.StartMomentum), g.GetDouble(phase.EndMomentum), pct), useBeta1);
                    break;
                }
                startStep = phase.EndStep;
            }
        }
        return lrs;
    }

    // The phases as PyTorch's list of dicts, and back; the keys are PyTorch's, named once here.
    private const string EndStep = "end_step", StartLr = "start_lr", EndLr = "end_lr", StartMomentum = "start_momentum", EndMomentum = "end_momentum";

    private static object?[] SavePhases(Phase[] phases) => phases.Select(p => (object?)new Dictionary<string, object?>
    {
        [EndStep] = p.EndStep, [StartLr] = p.StartLr, [EndLr] = p.EndLr, [StartMomentum] = p.StartMomentum, [EndMomentum] = p.EndMomentum,
    }).ToArray();

    private static Phase[] LoadPhases(object? value) => StateValue.List(value, "_schedule_phases").Select(o =>
    {
        var d = StateValue.Dict(o, "_schedule_phases");
        string S(string k) => StateValue.String(d[k], k) ?? throw new ArgumentException($"'{k}' is None");
        return new Phase(StateValue.Double(d[EndStep], EndStep), S(StartLr), S(EndLr), S(StartMomentum), S(EndMomentum));
    }).ToArray();

    /// <summary>The attributes of the state dict, each named once: this scheduler's own, then the base ones.</summary>
    private static readonly SchedulerAttributes<OneCycleLR> OwnAttributes = new SchedulerAttributes<OneCycleLR>()
        .Int("total_steps", s => s.totalSteps, (s, v) => s.totalSteps = v)
        .Custom("_schedule_phases", s => SavePhases(s.phases), (s, v) => s.phases = LoadPhases(v))
        .String("_anneal_func_type", s => s.annealStrategy, (s, v) => s.annealStrategy = v)
        .Bool("cycle_momentum", s => s.cycleMomentum, (s, v) => s.cycleMomentum = v)
        .Bool("use_beta1", s => s.useBeta1, (s, v) => s.useBeta1 = v).When(s => s.cycleMomentum)
        .Then(Common);

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
