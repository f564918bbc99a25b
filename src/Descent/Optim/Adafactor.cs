using System.Numerics;
using Descent.Optim.Kernels;
using Descent.Tensors;
using Descent.Text;

namespace Descent.Optim;

/// <summary>
/// Adafactor (Shazeer &amp; Stern, 2018, "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost"), like
/// current PyTorch's <c>torch.optim.Adafactor</c> (which PyTorch 1.13 lacks), including its deviations from the paper:
/// lr caps the relative step size and scales the (decoupled) weight decay, and ε₁ is applied to the estimate.
/// <code>
/// g ← ∇ (negated when maximize);  β̂₂ₜ ← 1 − t^τ;  ρₜ ← min(lr, 1/√t);  α ← max(ε₂, RMS(p))·ρₜ;  p ← p·(1 − lr·λ)
/// dim ≥ 2: R ← β̂₂ₜR + (1 − β̂₂ₜ)·mean₋₁(g²);  C ← β̂₂ₜC + (1 − β̂₂ₜ)·mean₋₂(g²);  V̂ ← R·C / max(mean(R), ε₁)
/// else:    V̂ ← β̂₂ₜV̂ + (1 − β̂₂ₜ)g²
/// u ← g / √max(V̂, ε₁²);  p ← p − α·u / max(1, RMS(u)/d)
/// </code>
/// Defaults: lr 1e-2, beta2_decay −0.8 (τ), eps (None, 1e-3) — ε₁ None means the parameter dtype's machine epsilon —,
/// d 1.0, weight_decay 0.0 (λ), maximize false.
/// State per parameter: <c>step</c>, and <c>row_var</c> and <c>col_var</c> (shapes with the last, resp. second-to-last,
/// dimension 1) for tensors of two or more dimensions, else <c>variance</c>.
/// </summary>
public sealed class Adafactor : Optimizer
{
    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 1e-2, DefaultBeta2Decay = -0.8, DefaultD = 1.0, DefaultWeightDecay = 0.0;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultMaximize = false;
    /// <summary>PyTorch's default <c>eps</c>: (None, 1e-3).</summary>
    public static readonly (double? Eps1, double Eps2) DefaultEps = (null, 1e-3);

    /// <summary>Adafactor over one group of parameters; <paramref name="eps"/> is (ε₁, ε₂), ε₁ null for machine epsilon.</summary>
    public Adafactor(IEnumerable<Tensor> parameters, double lr = DefaultLr, double beta2Decay = DefaultBeta2Decay,
        (double? Eps1, double Eps2)? eps = null, double d = DefaultD, double weightDecay = DefaultWeightDecay,
        bool maximize = DefaultMaximize,
        bool? forEach = null)
        : base(parameters, MakeDefaults(lr, beta2Decay, eps ?? DefaultEps, d, weightDecay, maximize).With(forEach, false, false, null)) { }

    /// <summary>Adafactor over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public Adafactor(IEnumerable<ParamGroup> groups, double lr = DefaultLr, double beta2Decay = DefaultBeta2Decay,
        (double? Eps1, double Eps2)? eps = null, double d = DefaultD, double weightDecay = DefaultWeightDecay,
        bool maximize = DefaultMaximize,
        bool? forEach = null)
        : base(groups, MakeDefaults(lr, beta2Decay, eps ?? DefaultEps, d, weightDecay, maximize).With(forEach, false, false, null)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, double beta2Decay, (double? Eps1, double Eps2) eps,
        double d, double weightDecay, bool maximize)
    {
        if (!(0.0 <= lr)) throw Check.OutOfRange($"Learning rate should be >= 0 but is: {Check.Num(lr)}");
        if (!(0.0 >= beta2Decay)) throw Check.OutOfRange($"beta2_decay should be <= 0 but is: {Check.Num(beta2Decay)}");
        if (eps.Eps1 is double e1 && !(0.0 <= e1)) throw Check.OutOfRange($"epsilon1 should be >= 0 but is: {Check.Num(e1)}");
        if (!(0.0 <= eps.Eps2)) throw Check.OutOfRange($"epsilon2 should be >= 0 but is: {Check.Num(eps.Eps2)}");
        if (!(1.0 <= d)) throw Check.OutOfRange($"Clipping threshold d should be >= 1 but is: {Check.Num(d)}");
        if (!(0.0 <= weightDecay)) throw Check.OutOfRange($"weight_decay should be >= 0 but is: {Check.Num(weightDecay)}");
        return new()
        {
            ["lr"] = lr, ["beta2_decay"] = beta2Decay, ["eps"] = eps, ["d"] = d, ["weight_decay"] = weightDecay,
            ["foreach"] = null, ["maximize"] = maximize,
        };
    }

    /// <summary>The group's (ε₁, ε₂): a tuple, or a two-element list whose first item may be None.</summary>
    private static (double? Eps1, double Eps2) ReadEps(ParamGroup group) => group["eps"] switch
    {
        ValueTuple<double?, double> t => t,
        ValueTuple<double, double> t => (t.Item1, t.Item2),
        double[] { Length: 2 } a => (a[0], a[1]),
        IReadOnlyList<object?> { Count: 2 } l => (l[0] is null ? null : ParamGroup.ToDouble(l[0], "eps"), ParamGroup.ToDouble(l[1], "eps")),
        var v => throw new InvalidCastException($"option 'eps' is {PyRepr.Str(v)}, not a pair (eps1 or None, eps2)"),
    };

    // The update u, kept between steps (sized for the largest parameter) so a step does not allocate it.
    private readonly Scratch scratch = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) => InlineStepLoop<AdafactorState>.Run(this, group, new Rule(this, group));

    // One group's step: its hyperparameters, and each parameter's state and update.
    private struct Rule : IInlineStepRule<AdafactorState>
    {
        private readonly Adafactor owner;
        private readonly double eps2, lr, beta2Decay, d, wd;
        private readonly bool maximize;
        private double? eps1; // None resolves at the group's first parameter stepped, as PyTorch's loop rebinds it

        public Rule(Adafactor owner, ParamGroup group)
        {
            this.owner = owner;
            (eps1, eps2) = ReadEps(group);
            (lr, beta2Decay, d, wd) = (group.Lr, group.GetDouble("beta2_decay"), group.GetDouble("d"), group.GetDouble("weight_decay"));
            maximize = group.GetBool("maximize");
        }

        public readonly void Check(Tensor p, Tensor grad) { }

        public readonly AdafactorState NewState(Tensor p) => AdafactorState.Schema.Create(p);

        public void Apply(Tensor p, Tensor grad, AdafactorState s)
        {
            s.Step++;
            // PyTorch's `if eps1 is None: eps1 = torch.finfo(param.dtype).eps` inside its loop over the group: the
            // first parameter's dtype gives every later one its ε₁.
            eps1 ??= AdafactorHyper.MachineEpsilon(p.DType == DType.Float64);
            var h = AdafactorHyper.For(s.Step, lr, beta2Decay, eps1.Value, eps2, d, wd, maximize);
            if (p.DType == DType.Float64) Step<double>(p, grad, s, h);
            else Step<float>(p, grad, s, h);
        }

        private readonly void Step<T>(Tensor p, Tensor grad, AdafactorState s, in AdafactorHyper h) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            int rows = p.Dim > 1 ? p.Size(-2) : 0, cols = p.Dim > 1 ? p.Size(-1) : 0;
            AdafactorKernel.Step(p.AsSpan<T>(), grad.Contiguous().AsSpan<T>(),
                s.RowVar is null ? default : s.RowVar.AsSpan<T>(), s.ColVar is null ? default : s.ColVar.AsSpan<T>(),
                s.Variance is null ? default : s.Variance.AsSpan<T>(), owner.scratch.Get<T>(p.Numel), rows, cols, h);
        }
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        AdafactorState.Schema.Load(param, entries, paramName);
}

/// <summary>Adafactor's state: factored second moments for matrices (and higher), a full one for vectors and scalars.</summary>
public sealed class AdafactorState : ParamState
{
    /// <summary>Steps taken.</summary>
    public long Step { get; set; }

    /// <summary>PyTorch's <c>row_var</c>, only for tensors of two or more dimensions.</summary>
    public Tensor? RowVar { get; init; }

    /// <summary>PyTorch's <c>col_var</c>, only for tensors of two or more dimensions.</summary>
    public Tensor? ColVar { get; init; }

    /// <summary>PyTorch's <c>variance</c>, only for tensors of fewer than two dimensions.</summary>
    public Tensor? Variance { get; init; }

    /// <summary>A zero state for <paramref name="p"/>: factored for two or more dimensions, else full.</summary>
    internal static AdafactorState Blank(Tensor p)
    {
        if (p.Dim <= 1) return new AdafactorState { Variance = Tensor.ZerosLike(p) };
        var rowShape = p.Shape;
        rowShape[^1] = 1;
        var colShape = p.Shape;
        colShape[^2] = 1;
        return new AdafactorState { RowVar = Tensor.Zeros(rowShape, p.DType), ColVar = Tensor.Zeros(colShape, p.DType) };
    }

    /// <summary>The state-dict entries, each named once: PyTorch's keys, types and order.</summary>
    internal static readonly StateSchema<AdafactorState> Schema = new StateSchema<AdafactorState>(Blank)
        .Step(s => s.Step, (s, v) => s.Step = v)
        .Buffer("row_var", s => s.RowVar)
        .Buffer("col_var", s => s.ColVar)
        .Buffer("variance", s => s.Variance);

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);
}
