using System.Numerics;
using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// Muon, momentum orthogonalized by Newton–Schulz (Jordan et al., 2024, "Muon: An optimizer for hidden layers in
/// neural networks"; lr matching from Liu et al., 2025, "Muon is Scalable for LLM Training"), like current PyTorch's
/// <c>torch.optim.Muon</c> (which PyTorch 1.13 lacks). For 2-D parameters only.
/// <code>
/// B ← μB + (1 − μ)g  (PyTorch's lerp);  U ← lerp(g, B, μ) when nesterov, else B
/// O ← NewtonSchulz_k^(a,b,c)(U; ε) in bfloat16;  p ← p·(1 − lr·λ);  p ← p − AdjustLR(lr, A×B)·O
/// AdjustLR: "original" (default) lr·√max(1, A/B);  "match_rms_adamw" 0.2·lr·√max(A, B)
/// </code>
/// Defaults: lr 1e-3, weight_decay 0.1 (λ), momentum 0.95, nesterov true, ns_coefficients (3.4445, −4.775, 2.0315),
/// eps 1e-7, ns_steps 5, adjust_lr_fn None ("original"), use_addmm false.
/// State per parameter: <c>momentum_buffer</c>.
/// </summary>
public sealed class Muon : Optimizer
{
    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 1e-3, DefaultWeightDecay = 0.1, DefaultMomentum = 0.95, DefaultEps = 1e-7;
    /// <summary>PyTorch's defaults of the integer options.</summary>
    public const int DefaultNsSteps = 5;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultNesterov = true, DefaultUseAddmm = false;
    /// <summary>PyTorch's defaults of the string options (None).</summary>
    public const string? DefaultAdjustLrFn = null;

    /// <summary>Muon over one group of 2-D parameters.</summary>
    public Muon(IEnumerable<Tensor> parameters, double lr = DefaultLr, double weightDecay = DefaultWeightDecay,
        double momentum = DefaultMomentum, bool nesterov = DefaultNesterov,
        (double A, double B, double C)? nsCoefficients = null, double eps = DefaultEps, int nsSteps = DefaultNsSteps,
        string? adjustLrFn = DefaultAdjustLrFn, bool useAddmm = DefaultUseAddmm)
        : base(parameters, MakeDefaults(lr, weightDecay, momentum, nesterov, nsCoefficients ?? DefaultCoefficients, eps, nsSteps, adjustLrFn, useAddmm))
        => CheckShapes();

    /// <summary>Muon over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public Muon(IEnumerable<ParamGroup> groups, double lr = DefaultLr, double weightDecay = DefaultWeightDecay,
        double momentum = DefaultMomentum, bool nesterov = DefaultNesterov,
        (double A, double B, double C)? nsCoefficients = null, double eps = DefaultEps, int nsSteps = DefaultNsSteps,
        string? adjustLrFn = DefaultAdjustLrFn, bool useAddmm = DefaultUseAddmm)
        : base(groups, MakeDefaults(lr, weightDecay, momentum, nesterov, nsCoefficients ?? DefaultCoefficients, eps, nsSteps, adjustLrFn, useAddmm))
        => CheckShapes();

    /// <summary>Keller Jordan's quintic coefficients (a, b, c).</summary>
    public static readonly (double A, double B, double C) DefaultCoefficients = (3.4445, -4.7750, 2.0315);

    private static Dictionary<string, object?> MakeDefaults(double lr, double weightDecay, double momentum, bool nesterov,
        (double, double, double) nsCoefficients, double eps, int nsSteps, string? adjustLrFn, bool useAddmm)
    {
        if (!(0.0 <= lr)) throw Check.OutOfRange($"Learning rate should be >= 0 but is: {Check.Num(lr)}");
        if (!(0.0 <= momentum)) throw Check.OutOfRange($"momentum should be >= 0 but is: {Check.Num(momentum)}");
        if (!(0.0 <= weightDecay)) throw Check.OutOfRange($"weight decay should be >= 0 but is: {Check.Num(weightDecay)}");
        if (adjustLrFn is not null and not "original" and not "match_rms_adamw")
            throw new ArgumentException($"Adjust learning rate function {adjustLrFn} is not supported");
        return new()
        {
            ["lr"] = lr, ["weight_decay"] = weightDecay, ["momentum"] = momentum, ["nesterov"] = nesterov,
            ["ns_coefficients"] = nsCoefficients, ["eps"] = eps, ["ns_steps"] = nsSteps, ["adjust_lr_fn"] = adjustLrFn,
            ["use_addmm"] = useAddmm,
        };
    }

    private void CheckShapes()
    {
        foreach (var g in ParamGroups)
            foreach (var p in g.Params)
                if (p.Dim != 2)
                    throw new ArgumentException(
                        $"Muon only supports 2D parameters whereas we found a parameter with size: torch.Size([{string.Join(", ", p.Shape)}])");
    }

    /// <summary>The learning rate scaled for a <paramref name="rows"/> × <paramref name="cols"/> matrix, like PyTorch's <c>_adjust_lr</c>.</summary>
    public static double AdjustLr(double lr, string? adjustLrFn, int rows, int cols)
    {
        double ratio = adjustLrFn switch
        {
            null or "original" => Math.Sqrt(Math.Max(1, (double)rows / cols)),
            "match_rms_adamw" => 0.2 * Math.Sqrt(Math.Max(rows, cols)),
            _ => 1.0,
        };
        return lr * ratio;
    }

    private static (double, double, double) ReadCoefficients(ParamGroup group) => group["ns_coefficients"] switch
    {
        ValueTuple<double, double, double> t => t,
        double[] { Length: 3 } a => (a[0], a[1], a[2]),
        IReadOnlyList<object> { Count: 3 } l => (ParamGroup.ToDouble(l[0], "ns_coefficients"), ParamGroup.ToDouble(l[1], "ns_coefficients"),
            ParamGroup.ToDouble(l[2], "ns_coefficients")),
        _ => throw new ArgumentException("Coefficients must be a tuple of exactly 3 values"),
    };

    // The momentum update and its orthogonalization (in the parameter's dtype), and Newton–Schulz's matrices (float),
    // kept between steps (sized for the largest parameter) so a step does not allocate them.
    private readonly Scratch updateScratch = new(), nsScratch = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) => InlineStepLoop<MuonState>.Run(this, group, new Rule(this, group));

    // One group's step: its hyperparameters, and each parameter's state and update.
    private readonly struct Rule : IInlineStepRule<MuonState>
    {
        private readonly Muon owner;
        private readonly double lr, wd, w, mu;
        private readonly bool nesterov;
        private readonly NewtonSchulzHyper ns;
        private readonly string? adjust;

        public Rule(Muon owner, ParamGroup group)
        {
            this.owner = owner;
            double momentum;
            (lr, wd, momentum) = (group.Lr, group.GetDouble("weight_decay"), group.GetDouble("momentum"));
            nesterov = group.GetBool("nesterov");
            int nsSteps = group.GetInt("ns_steps");
            if (nsSteps >= 100) throw new ArgumentException("Number of steps must be less than 100 for computational efficiency");
            var (a, b, c) = ReadCoefficients(group);
            ns = new NewtonSchulzHyper((float)a, (float)b, (float)c, nsSteps, (float)group.GetDouble("eps"), group.GetBool("use_addmm"));
            adjust = group.GetString("adjust_lr_fn");
            (w, mu) = (1 - momentum, momentum);
        }

        public void Check(Tensor p, Tensor grad)
        {
            if (grad.Dim != 2) throw new ArgumentException("Param gradient must be a 2D matrix");
        }

        public MuonState NewState(Tensor p) => MuonState.Schema.Create(p);

        public void Apply(Tensor p, Tensor grad, MuonState s)
        {
            int rows = p.Size(0), cols = p.Size(1);
            var h = new MuonHyper(w, mu, nesterov, 1 - lr * wd, -AdjustLr(lr, adjust, rows, cols), ns);
            if (p.DType == DType.Float64) Step<double>(p, grad, s, rows, cols, h);
            else Step<float>(p, grad, s, rows, cols, h);
        }

        private void Step<T>(Tensor p, Tensor grad, MuonState s, int rows, int cols, in MuonHyper h) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
            MuonKernel.Step(p.AsSpan<T>(), grad.Contiguous().AsSpan<T>(), s.MomentumBuffer.AsSpan<T>(),
                owner.updateScratch.Get<T>(MuonKernel.UpdateScratchLength(rows, cols)), owner.nsScratch.Get<float>(MuonKernel.ScratchLength(rows, cols)),
                rows, cols, h);
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        MuonState.Schema.Load(param, entries, paramName);
}

/// <summary>Muon's state.</summary>
public sealed class MuonState : ParamState
{
    /// <summary>PyTorch's <c>momentum_buffer</c>.</summary>
    public required Tensor MomentumBuffer { get; init; }

    /// <summary>The state-dict entries, each named once: PyTorch's keys, types and order.</summary>
    internal static readonly StateSchema<MuonState> Schema = new StateSchema<MuonState>(p => new() { MomentumBuffer = Tensor.ZerosLike(p) })
        .Buffer("momentum_buffer", s => s.MomentumBuffer);

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);
}
