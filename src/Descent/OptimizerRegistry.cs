using Descent.Optim;
using Descent.Optim.Schedulers;
using static Descent.OptionKind;

namespace Descent;

/// <summary>An optimizer class as the registry knows it: PyTorch's class name and keyword arguments.</summary>
public sealed class OptimizerInfo
{
    private readonly Func<IEnumerable<ParamGroup>, Kwargs, Optimizer> create;

    internal OptimizerInfo(string name, Func<IEnumerable<ParamGroup>, Kwargs, Optimizer> create, params OptionSpec[] options)
    {
        Name = name;
        Options = options;
        this.create = create;
    }

    /// <summary>PyTorch's class name (<c>Adam</c>).</summary>
    public string Name { get; }

    /// <summary>The keyword arguments after the parameters, in PyTorch's order, with the constructors' defaults.</summary>
    public IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>The option named <paramref name="name"/> (PyTorch's name), or null.</summary>
    public OptionSpec? FindOption(string name) => Options.FirstOrDefault(o => o.Name == name);

    /// <summary>
    /// Creates the optimizer over <paramref name="groups"/> from PyTorch keyword arguments (values as
    /// <see cref="OptionSpec.Convert"/> accepts them; options not given take their defaults). PyTorch's
    /// implementation switches (<c>foreach</c>, <c>fused</c>, <c>capturable</c>, <c>differentiable</c>) are options of
    /// the optimizers that have them in PyTorch, checked as the constructors check them.
    /// </summary>
    public Optimizer Create(IEnumerable<ParamGroup> groups, IReadOnlyDictionary<string, object?>? options = null) =>
        create(groups, new Kwargs(Name, Options, options));

    /// <summary>Creates the optimizer over one group of <paramref name="parameters"/>, like the class's list constructor.</summary>
    public Optimizer Create(IEnumerable<Descent.Tensors.Tensor> parameters, IReadOnlyDictionary<string, object?>? options = null) =>
        Create([new ParamGroup(parameters)], options);

    /// <summary>
    /// Converts a per-group option from its JSON form to the form the optimizer stores (pairs as tuples, integers as
    /// int); <c>lr</c> and <c>initial_lr</c> are numbers, and an option the optimizer does not have is refused.
    /// </summary>
    public object? ConvertGroupOption(string option, object? value)
    {
        if (FindOption(option) is { } spec) return spec.Convert(Name, value);
        if (option == "initial_lr") return OptionSpec.Optional("initial_lr", Float, 0.0).Convert(Name, value);
        throw ImplementationFlags.UnexpectedKeyword(Name, option);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>A learning-rate scheduler class as the registry knows it: PyTorch's class name and keyword arguments.</summary>
public sealed class SchedulerInfo
{
    private readonly Func<Optimizer, Kwargs, LRScheduler> create;

    internal SchedulerInfo(string name, Func<Optimizer, Kwargs, LRScheduler> create, params OptionSpec[] options)
    {
        Name = name;
        Options = options;
        this.create = create;
    }

    /// <summary>PyTorch's class name (<c>StepLR</c>).</summary>
    public string Name { get; }

    /// <summary>The keyword arguments after the optimizer, in PyTorch's order, with the constructors' defaults.</summary>
    public IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>The option named <paramref name="name"/> (PyTorch's name), or null.</summary>
    public OptionSpec? FindOption(string name) => Options.FirstOrDefault(o => o.Name == name);

    /// <summary>Creates the scheduler over <paramref name="optimizer"/> from PyTorch keyword arguments.</summary>
    public LRScheduler Create(Optimizer optimizer, IReadOnlyDictionary<string, object?>? options = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return create(optimizer, new Kwargs(Name, Options, options));
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// The registry of <c>torch.optim</c>: every optimizer and every learning-rate scheduler that needs no user code, by
/// PyTorch class name, with PyTorch's keyword arguments and their defaults. The one place that knows them: the
/// conformance replays, the CLI's <c>--opt name:key=value</c> and the lab all create through it. Each class is
/// registered explicitly (no reflection, so trimming and Native AOT keep what it uses), and every default is the
/// constant the class's constructor itself uses.
/// </summary>
/// <example><code>
/// var opt = OptimizerRegistry.Create("Adam", [new ParamGroup(model.Parameters())], new Dictionary&lt;string, object?&gt; { ["lr"] = 0.01, ["betas"] = new[] { 0.9, 0.99 } });
/// var sched = OptimizerRegistry.CreateScheduler("StepLR", opt, new Dictionary&lt;string, object?&gt; { ["step_size"] = 30 });
/// </code></example>
public static class OptimizerRegistry
{
    private static OptionSpec F(string name, double value) => OptionSpec.Optional(name, Float, value);
    private static OptionSpec I(string name, int value) => OptionSpec.Optional(name, Int, value);
    private static OptionSpec B(string name, bool value) => OptionSpec.Optional(name, Bool, value);
    private static OptionSpec S(string name, string? value) => OptionSpec.Optional(name, OptionKind.String, value);
    private static OptionSpec P(string name, (double, double) value) => OptionSpec.Optional(name, FloatPair, value);
    private static OptionSpec G(string name, double value) => OptionSpec.Optional(name, FloatPerGroup, value);
    private static OptionSpec NoneInt(string name) => OptionSpec.Optional(name, Int, null);
    // The implementation switches, after the other options (keyword-only in PyTorch), in one order for every optimizer.
    private static readonly OptionSpec Foreach = OptionSpec.Optional("foreach", Bool, null), Fused = OptionSpec.Optional("fused", Bool, null),
        Capturable = B("capturable", Optimizer.DefaultCapturable), Differentiable = B("differentiable", Optimizer.DefaultDifferentiable);
    private static OptionSpec Needed(string name, OptionKind kind) => OptionSpec.Needed(name, kind);
    private static readonly OptionSpec LastEpoch = I("last_epoch", LRScheduler.DefaultLastEpoch);

    /// <summary>
    /// Every optimizer, in the order of PyTorch's documentation of the classic algorithms (SGD, RMSprop, Adam, …),
    /// then the newer Adafactor and Muon.
    /// </summary>
    public static IReadOnlyList<OptimizerInfo> Optimizers { get; } =
    [
        new("SGD", (g, o) => new SGD(g, lr: o.Float("lr"), momentum: o.Float("momentum"), dampening: o.Float("dampening"),
                weightDecay: o.Float("weight_decay"), nesterov: o.Bool("nesterov"), maximize: o.Bool("maximize"),
                forEach: o.NullableBool("foreach"), differentiable: o.Bool("differentiable"), fused: o.NullableBool("fused")),
            F("lr", SGD.DefaultLr), F("momentum", SGD.DefaultMomentum), F("dampening", SGD.DefaultDampening),
            F("weight_decay", SGD.DefaultWeightDecay), B("nesterov", SGD.DefaultNesterov), B("maximize", SGD.DefaultMaximize), Foreach, Differentiable, Fused),
        new("RMSprop", (g, o) => new RMSprop(g, lr: o.Float("lr"), alpha: o.Float("alpha"), eps: o.Float("eps"),
                weightDecay: o.Float("weight_decay"), momentum: o.Float("momentum"), centered: o.Bool("centered"), maximize: o.Bool("maximize"),
                forEach: o.NullableBool("foreach"), capturable: o.Bool("capturable"), differentiable: o.Bool("differentiable")),
            F("lr", RMSprop.DefaultLr), F("alpha", RMSprop.DefaultAlpha), F("eps", RMSprop.DefaultEps),
            F("weight_decay", RMSprop.DefaultWeightDecay), F("momentum", RMSprop.DefaultMomentum), B("centered", RMSprop.DefaultCentered),
            B("maximize", RMSprop.DefaultMaximize), Foreach, Capturable, Differentiable),
        new("Adam", (g, o) => new Adam(g, lr: o.Float("lr"), betas: o.FloatPair("betas"), eps: o.Float("eps"),
                weightDecay: o.Float("weight_decay"), amsgrad: o.Bool("amsgrad"), maximize: o.Bool("maximize"),
                decoupledWeightDecay: o.Bool("decoupled_weight_decay"),
                forEach: o.NullableBool("foreach"), capturable: o.Bool("capturable"), differentiable: o.Bool("differentiable"), fused: o.NullableBool("fused")),
            F("lr", Adam.DefaultLr), P("betas", Adam.DefaultBetas), F("eps", Adam.DefaultEps), F("weight_decay", Adam.DefaultWeightDecay),
            B("amsgrad", Adam.DefaultAmsgrad), B("maximize", Adam.DefaultMaximize), B("decoupled_weight_decay", Adam.DefaultDecoupledWeightDecay), Foreach, Capturable, Differentiable, Fused),
        new("Adagrad", (g, o) => new Adagrad(g, lr: o.Float("lr"), lrDecay: o.Float("lr_decay"), weightDecay: o.Float("weight_decay"),
                initialAccumulatorValue: o.Float("initial_accumulator_value"), eps: o.Float("eps"), maximize: o.Bool("maximize"),
                forEach: o.NullableBool("foreach"), differentiable: o.Bool("differentiable"), fused: o.NullableBool("fused")),
            F("lr", Adagrad.DefaultLr), F("lr_decay", Adagrad.DefaultLrDecay), F("weight_decay", Adagrad.DefaultWeightDecay),
            F("initial_accumulator_value", Adagrad.DefaultInitialAccumulatorValue), F("eps", Adagrad.DefaultEps),
            B("maximize", Adagrad.DefaultMaximize), Foreach, Differentiable, Fused),
        new("Adadelta", (g, o) => new Adadelta(g, lr: o.Float("lr"), rho: o.Float("rho"), eps: o.Float("eps"),
                weightDecay: o.Float("weight_decay"), maximize: o.Bool("maximize"),
                forEach: o.NullableBool("foreach"), capturable: o.Bool("capturable"), differentiable: o.Bool("differentiable")),
            F("lr", Adadelta.DefaultLr), F("rho", Adadelta.DefaultRho), F("eps", Adadelta.DefaultEps),
            F("weight_decay", Adadelta.DefaultWeightDecay), B("maximize", Adadelta.DefaultMaximize), Foreach, Capturable, Differentiable),
        new("Adamax", (g, o) => new Adamax(g, lr: o.Float("lr"), betas: o.FloatPair("betas"), eps: o.Float("eps"),
                weightDecay: o.Float("weight_decay"), maximize: o.Bool("maximize"),
                forEach: o.NullableBool("foreach"), capturable: o.Bool("capturable"), differentiable: o.Bool("differentiable")),
            F("lr", Adamax.DefaultLr), P("betas", Adamax.DefaultBetas), F("eps", Adamax.DefaultEps),
            F("weight_decay", Adamax.DefaultWeightDecay), B("maximize", Adamax.DefaultMaximize), Foreach, Capturable, Differentiable),
        new("AdamW", (g, o) => new AdamW(g, lr: o.Float("lr"), betas: o.FloatPair("betas"), eps: o.Float("eps"),
                weightDecay: o.Float("weight_decay"), amsgrad: o.Bool("amsgrad"), maximize: o.Bool("maximize"),
                forEach: o.NullableBool("foreach"), capturable: o.Bool("capturable"), differentiable: o.Bool("differentiable"), fused: o.NullableBool("fused")),
            F("lr", AdamW.DefaultLr), P("betas", AdamW.DefaultBetas), F("eps", AdamW.DefaultEps), F("weight_decay", AdamW.DefaultWeightDecay),
            B("amsgrad", AdamW.DefaultAmsgrad), B("maximize", AdamW.DefaultMaximize), Foreach, Capturable, Differentiable, Fused),
        new("NAdam", (g, o) => new NAdam(g, lr: o.Float("lr"), betas: o.FloatPair("betas"), eps: o.Float("eps"),
                weightDecay: o.Float("weight_decay"), momentumDecay: o.Float("momentum_decay"),
                decoupledWeightDecay: o.Bool("decoupled_weight_decay"), maximize: o.Bool("maximize"),
                forEach: o.NullableBool("foreach"), capturable: o.Bool("capturable"), differentiable: o.Bool("differentiable")),
            F("lr", NAdam.DefaultLr), P("betas", NAdam.DefaultBetas), F("eps", NAdam.DefaultEps), F("weight_decay", NAdam.DefaultWeightDecay),
            F("momentum_decay", NAdam.DefaultMomentumDecay), B("decoupled_weight_decay", NAdam.DefaultDecoupledWeightDecay),
            B("maximize", NAdam.DefaultMaximize), Foreach, Capturable, Differentiable),
        new("RAdam", (g, o) => new RAdam(g, lr: o.Float("lr"), betas: o.FloatPair("betas"), eps: o.Float("eps"),
                weightDecay: o.Float("weight_decay"), decoupledWeightDecay: o.Bool("decoupled_weight_decay"), maximize: o.Bool("maximize"),
                forEach: o.NullableBool("foreach"), capturable: o.Bool("capturable"), differentiable: o.Bool("differentiable")),
            F("lr", RAdam.DefaultLr), P("betas", RAdam.DefaultBetas), F("eps", RAdam.DefaultEps), F("weight_decay", RAdam.DefaultWeightDecay),
            B("decoupled_weight_decay", RAdam.DefaultDecoupledWeightDecay), B("maximize", RAdam.DefaultMaximize), Foreach, Capturable, Differentiable),
        new("ASGD", (g, o) => new ASGD(g, lr: o.Float("lr"), lambd: o.Float("lambd"), alpha: o.Float("alpha"), t0: o.Float("t0"),
                weightDecay: o.Float("weight_decay"), maximize: o.Bool("maximize"),
                forEach: o.NullableBool("foreach"), capturable: o.Bool("capturable"), differentiable: o.Bool("differentiable")),
            F("lr", ASGD.DefaultLr), F("lambd", ASGD.DefaultLambd), F("alpha", ASGD.DefaultAlpha), F("t0", ASGD.DefaultT0),
            F("weight_decay", ASGD.DefaultWeightDecay), B("maximize", ASGD.DefaultMaximize), Foreach, Capturable, Differentiable),
        new("Rprop", (g, o) => new Rprop(g, lr: o.Float("lr"), etas: o.FloatPair("etas"), stepSizes: o.FloatPair("step_sizes"),
                maximize: o.Bool("maximize"),
                forEach: o.NullableBool("foreach"), capturable: o.Bool("capturable"), differentiable: o.Bool("differentiable")),
            F("lr", Rprop.DefaultLr), P("etas", Rprop.DefaultEtas), P("step_sizes", Rprop.DefaultStepSizes), B("maximize", Rprop.DefaultMaximize), Foreach, Capturable, Differentiable),
        new("LBFGS", (g, o) => new LBFGS(g, lr: o.Float("lr"), maxIter: o.Int("max_iter"), maxEval: o.NullableInt("max_eval"),
                toleranceGrad: o.Float("tolerance_grad"), toleranceChange: o.Float("tolerance_change"), historySize: o.Int("history_size"),
                lineSearchFn: o.NullableString("line_search_fn")),
            // max_eval None means max_iter * 5 // 4, computed by the constructor.
            F("lr", LBFGS.DefaultLr), I("max_iter", LBFGS.DefaultMaxIter), NoneInt("max_eval"), F("tolerance_grad", LBFGS.DefaultToleranceGrad),
            F("tolerance_change", LBFGS.DefaultToleranceChange), I("history_size", LBFGS.DefaultHistorySize),
            S("line_search_fn", LBFGS.DefaultLineSearchFn)),
        new("SparseAdam", (g, o) => new SparseAdam(g, lr: o.Float("lr"), betas: o.FloatPair("betas"), eps: o.Float("eps"),
                maximize: o.Bool("maximize")),
            F("lr", SparseAdam.DefaultLr), P("betas", SparseAdam.DefaultBetas), F("eps", SparseAdam.DefaultEps), B("maximize", SparseAdam.DefaultMaximize)),
        new("Adafactor", (g, o) => new Adafactor(g, lr: o.Float("lr"), beta2Decay: o.Float("beta2_decay"), eps: o.OptionalFloatPair("eps"),
                d: o.Float("d"), weightDecay: o.Float("weight_decay"), maximize: o.Bool("maximize"),
                forEach: o.NullableBool("foreach")),
            F("lr", Adafactor.DefaultLr), F("beta2_decay", Adafactor.DefaultBeta2Decay),
            OptionSpec.Optional("eps", OptionalFloatPair, Adafactor.DefaultEps), F("d", Adafactor.DefaultD),
            F("weight_decay", Adafactor.DefaultWeightDecay), B("maximize", Adafactor.DefaultMaximize), Foreach),
        new("Muon", (g, o) => new Muon(g, lr: o.Float("lr"), weightDecay: o.Float("weight_decay"), momentum: o.Float("momentum"),
                nesterov: o.Bool("nesterov"), nsCoefficients: o.FloatTriple("ns_coefficients"), eps: o.Float("eps"), nsSteps: o.Int("ns_steps"),
                adjustLrFn: o.NullableString("adjust_lr_fn"), useAddmm: o.Bool("use_addmm")),
            F("lr", Muon.DefaultLr), F("weight_decay", Muon.DefaultWeightDecay), F("momentum", Muon.DefaultMomentum),
            B("nesterov", Muon.DefaultNesterov), OptionSpec.Optional("ns_coefficients", FloatTriple, Muon.DefaultCoefficients),
            F("eps", Muon.DefaultEps), I("ns_steps", Muon.DefaultNsSteps), S("adjust_lr_fn", Muon.DefaultAdjustLrFn),
            B("use_addmm", Muon.DefaultUseAddmm)),
    ];

    /// <summary>
    /// Every learning-rate scheduler that needs no user code (lambdas and schedulers of schedulers need a program),
    /// SWALR included.
    /// </summary>
    public static IReadOnlyList<SchedulerInfo> Schedulers { get; } =
    [
        new("StepLR", (opt, o) => new StepLR(opt, o.Int("step_size"), o.Float("gamma"), o.Int("last_epoch")),
            Needed("step_size", Int), F("gamma", StepLR.DefaultGamma), LastEpoch),
        new("MultiStepLR", (opt, o) => new MultiStepLR(opt, o.IntList("milestones"), o.Float("gamma"), o.Int("last_epoch")),
            Needed("milestones", IntList), F("gamma", MultiStepLR.DefaultGamma), LastEpoch),
        new("ConstantLR", (opt, o) => new ConstantLR(opt, o.Float("factor"), o.Int("total_iters"), o.Int("last_epoch")),
            F("factor", ConstantLR.DefaultFactor), I("total_iters", ConstantLR.DefaultTotalIters), LastEpoch),
        new("LinearLR", (opt, o) => new LinearLR(opt, o.Float("start_factor"), o.Float("end_factor"), o.Int("total_iters"), o.Int("last_epoch")),
            F("start_factor", LinearLR.DefaultStartFactor), F("end_factor", LinearLR.DefaultEndFactor),
            I("total_iters", LinearLR.DefaultTotalIters), LastEpoch),
        new("ExponentialLR", (opt, o) => new ExponentialLR(opt, o.Float("gamma"), o.Int("last_epoch")),
            Needed("gamma", Float), LastEpoch),
        new("PolynomialLR", (opt, o) => new PolynomialLR(opt, o.Int("total_iters"), o.Float("power"), o.Int("last_epoch")),
            I("total_iters", PolynomialLR.DefaultTotalIters), F("power", PolynomialLR.DefaultPower), LastEpoch),
        new("CosineAnnealingLR", (opt, o) => new CosineAnnealingLR(opt, o.Int("T_max"), o.Float("eta_min"), o.Int("last_epoch")),
            Needed("T_max", Int), F("eta_min", CosineAnnealingLR.DefaultEtaMin), LastEpoch),
        new("CosineAnnealingWarmRestarts", (opt, o) => new CosineAnnealingWarmRestarts(opt, o.Int("T_0"), o.Int("T_mult"), o.Float("eta_min"),
                o.Int("last_epoch")),
            Needed("T_0", Int), I("T_mult", CosineAnnealingWarmRestarts.DefaultTMult), F("eta_min", CosineAnnealingWarmRestarts.DefaultEtaMin),
            LastEpoch),
        new("CyclicLR", (opt, o) => new CyclicLR(opt, PerGroupOf(o, "base_lr"), PerGroupOf(o, "max_lr"), o.Int("step_size_up"),
                o.NullableInt("step_size_down"), o.String("mode"), o.Float("gamma"), scaleFn: null, o.String("scale_mode"),
                o.Bool("cycle_momentum"), PerGroupOf(o, "base_momentum"), PerGroupOf(o, "max_momentum"), o.Int("last_epoch")),
            Needed("base_lr", FloatPerGroup), Needed("max_lr", FloatPerGroup), I("step_size_up", CyclicLR.DefaultStepSizeUp),
            NoneInt("step_size_down"), S("mode", CyclicLR.DefaultMode), F("gamma", CyclicLR.DefaultGamma),
            S("scale_mode", CyclicLR.DefaultScaleMode), B("cycle_momentum", CyclicLR.DefaultCycleMomentum),
            G("base_momentum", CyclicLR.DefaultBaseMomentum), G("max_momentum", CyclicLR.DefaultMaxMomentum), LastEpoch),
        new("OneCycleLR", (opt, o) => new OneCycleLR(opt, PerGroupOf(o, "max_lr"), o.NullableInt("total_steps"), o.NullableInt("epochs"),
                o.NullableInt("steps_per_epoch"), o.Float("pct_start"), o.String("anneal_strategy"), o.Bool("cycle_momentum"),
                PerGroupOf(o, "base_momentum"), PerGroupOf(o, "max_momentum"), o.Float("div_factor"), o.Float("final_div_factor"),
                o.Bool("three_phase"), o.Int("last_epoch")),
            Needed("max_lr", FloatPerGroup), NoneInt("total_steps"), NoneInt("epochs"), NoneInt("steps_per_epoch"),
            F("pct_start", OneCycleLR.DefaultPctStart), S("anneal_strategy", OneCycleLR.DefaultAnnealStrategy),
            B("cycle_momentum", OneCycleLR.DefaultCycleMomentum), G("base_momentum", OneCycleLR.DefaultBaseMomentum),
            G("max_momentum", OneCycleLR.DefaultMaxMomentum), F("div_factor", OneCycleLR.DefaultDivFactor),
            F("final_div_factor", OneCycleLR.DefaultFinalDivFactor), B("three_phase", OneCycleLR.DefaultThreePhase), LastEpoch),
        new("ReduceLROnPlateau", CreatePlateau,
            S("mode", ReduceLROnPlateau.DefaultMode), F("factor", ReduceLROnPlateau.DefaultFactor), I("patience", ReduceLROnPlateau.DefaultPatience),
            F("threshold", ReduceLROnPlateau.DefaultThreshold), S("threshold_mode", ReduceLROnPlateau.DefaultThresholdMode),
            I("cooldown", ReduceLROnPlateau.DefaultCooldown), G("min_lr", ReduceLROnPlateau.DefaultMinLr), F("eps", ReduceLROnPlateau.DefaultEps)),
        new("SWALR", (opt, o) => new SWALR(opt, PerGroupOf(o, "swa_lr"), o.Int("anneal_epochs"), o.String("anneal_strategy"), o.Int("last_epoch")),
            Needed("swa_lr", FloatPerGroup), I("anneal_epochs", SWALR.DefaultAnnealEpochs), S("anneal_strategy", SWALR.DefaultAnnealStrategy),
            LastEpoch),
    ];

    /// <summary>The optimizers' PyTorch class names, in <see cref="Optimizers"/>' order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Optimizers.Select(o => o.Name)];

    /// <summary>The schedulers' PyTorch class names, in <see cref="Schedulers"/>' order.</summary>
    public static IReadOnlyList<string> SchedulerNames { get; } = [.. Schedulers.Select(s => s.Name)];

    /// <summary>The optimizer of PyTorch class <paramref name="name"/>, or null; <paramref name="ignoreCase"/> for lab names (<c>adam</c>).</summary>
    public static OptimizerInfo? FindOptimizer(string name, bool ignoreCase = false) =>
        Optimizers.FirstOrDefault(o => string.Equals(o.Name, name, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));

    /// <summary>The optimizer of PyTorch class <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">There is none; the message lists the known names.</exception>
    public static OptimizerInfo GetOptimizer(string name) => FindOptimizer(name)
        ?? throw new ArgumentException($"unknown optimizer '{name}'; known: {string.Join(", ", Names)}");

    /// <summary>The scheduler of PyTorch class <paramref name="name"/>, or null.</summary>
    public static SchedulerInfo? FindScheduler(string name) => Schedulers.FirstOrDefault(s => s.Name == name);

    /// <summary>The scheduler of PyTorch class <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">There is none; the message lists the known names.</exception>
    public static SchedulerInfo GetScheduler(string name) => FindScheduler(name)
        ?? throw new ArgumentException($"Unknown learning rate scheduler '{name}'; known: {string.Join(", ", SchedulerNames)}", nameof(name));

    /// <summary>
    /// Creates optimizer <paramref name="name"/> over <paramref name="groups"/>; <paramref name="options"/> are the
    /// constructor's keyword arguments with values as JSON gives them (double, long, bool, string, null, lists).
    /// Group options must already be converted with <see cref="ConvertOption"/>.
    /// </summary>
    public static Optimizer Create(string name, IEnumerable<ParamGroup> groups, IReadOnlyDictionary<string, object?> options) =>
        GetOptimizer(name).Create(groups, options);

    /// <summary>
    /// Converts a per-group option of optimizer <paramref name="name"/> from its JSON form to the form the optimizer
    /// stores (pairs as tuples, integers as int); an option the optimizer does not have is refused.
    /// </summary>
    public static object? ConvertOption(string name, string option, object? value) => GetOptimizer(name).ConvertGroupOption(option, value);

    /// <summary>
    /// Creates scheduler <paramref name="name"/> over <paramref name="optimizer"/> from its keyword arguments, as a
    /// replayed PyTorch script names them: <c>CreateScheduler("StepLR", opt, {"step_size": 30, "gamma": 0.1})</c>.
    /// Values may be CLR numbers, strings, bools, arrays/lists or <see cref="System.Text.Json.JsonElement"/>s; a list
    /// is a per-group value where PyTorch accepts one. An unknown class or keyword, a missing required keyword or a
    /// value of the wrong kind throws <see cref="ArgumentException"/> naming it. Drive the result with
    /// <see cref="LRScheduler.StepAfterOptimizer"/>, which passes the loss to ReduceLROnPlateau.
    /// </summary>
    public static LRScheduler CreateScheduler(string name, Optimizer optimizer, IReadOnlyDictionary<string, object?>? options)
    {
        ArgumentNullException.ThrowIfNull(name);
        return GetScheduler(name).Create(optimizer, options);
    }

    /// <summary>
    /// <c>weightDecay</c> → <c>weight_decay</c>; snake_case names are returned unchanged. <c>forEach</c>, the C# name of
    /// PyTorch's <c>foreach</c> (a C# keyword), is <c>foreach</c>.
    /// </summary>
    public static string SnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == "forEach") return "foreach";
        var sb = new System.Text.StringBuilder(name.Length + 4);
        foreach (char c in name)
        {
            if (char.IsUpper(c))
            {
                if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static PerGroup PerGroupOf(Kwargs o, string name) => o.FloatPerGroup(name) is double[] values ? values : (double)o.FloatPerGroup(name);

    private static ReduceLROnPlateau CreatePlateau(Optimizer optimizer, Kwargs o)
    {
        string mode = o.String("mode"), thresholdMode = o.String("threshold_mode");
        double factor = o.Float("factor"), threshold = o.Float("threshold"), eps = o.Float("eps");
        int patience = o.Int("patience"), cooldown = o.Int("cooldown");
        var minLr = PerGroupOf(o, "min_lr");
        return minLr.IsList
            ? new ReduceLROnPlateau(optimizer, minLr.Expand("min_lr", optimizer), mode, factor, patience, threshold, thresholdMode, cooldown, eps)
            : new ReduceLROnPlateau(optimizer, mode, factor, patience, threshold, thresholdMode, cooldown, minLr.Expand("min_lr", optimizer)[0], eps);
    }
}
