using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// Rprop, resilient backpropagation (Riedmiller &amp; Braun, 1993, "A Direct Adaptive Method for Faster
/// Backpropagation Learning: The RPROP Algorithm"), like <c>torch.optim.Rprop</c>.
/// <code>
/// g ← ∇ (negated when maximize);  s ← sign(g·g_prev)
/// Δ ← clamp(Δ·η₊, …, Δmax) where s &gt; 0;  clamp(Δ·η₋, Δmin, …) and g ← 0 where s &lt; 0
/// p ← p − sign(g)·Δ;  g_prev ← g
/// </code>
/// Defaults: lr 1e-2 (the initial Δ), etas (0.5, 1.2) as (η₋, η₊), step_sizes (1e-6, 50) as (Δmin, Δmax), maximize false.
/// State per parameter: <c>step</c>, <c>prev</c>, <c>step_size</c>.
/// </summary>
public sealed class Rprop : Optimizer
{
    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 1e-2;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultMaximize = false;
    /// <summary>PyTorch's default <c>etas</c>: (0.5, 1.2).</summary>
    public static readonly (double, double) DefaultEtas = (0.5, 1.2);
    /// <summary>PyTorch's default <c>step_sizes</c>: (1e-6, 50).</summary>
    public static readonly (double, double) DefaultStepSizes = (1e-6, 50);

    /// <summary>Rprop over one group of parameters.</summary>
    public Rprop(IEnumerable<Tensor> parameters, double lr = DefaultLr, (double, double)? etas = null,
        (double, double)? stepSizes = null, bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(parameters, MakeDefaults(lr, etas ?? DefaultEtas, stepSizes ?? DefaultStepSizes, maximize).With(forEach, capturable, differentiable, null)) { }

    /// <summary>Rprop over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public Rprop(IEnumerable<ParamGroup> groups, double lr = DefaultLr, (double, double)? etas = null,
        (double, double)? stepSizes = null, bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(groups, MakeDefaults(lr, etas ?? DefaultEtas, stepSizes ?? DefaultStepSizes, maximize).With(forEach, capturable, differentiable, null)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, (double, double) etas, (double, double) stepSizes, bool maximize)
    {
        Check.Lr(lr);
        if (!(0.0 < etas.Item1 && etas.Item1 < 1.0 && 1.0 < etas.Item2))
            throw Check.OutOfRange($"Invalid eta values: {Check.Num(etas.Item1)}, {Check.Num(etas.Item2)}");
        return new()
        {
            ["lr"] = lr, ["etas"] = etas, ["step_sizes"] = stepSizes, ["foreach"] = null, ["maximize"] = maximize,
            ["differentiable"] = false, ["capturable"] = false,
        };
    }

    // Reused every step: the step loop and its plan of per-parameter updates.
    private readonly StepLoop<RpropState, RpropJob> steps = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) => steps.Run(this, group, new Rule(group));

    /// <summary>
    /// The step as tensor operations, PyTorch's <c>_single_tensor_rprop</c> with <c>differentiable=True</c>: with
    /// <c>differentiable</c> the optimizer steps with gradients enabled, so autograd records the update. The step
    /// depends on the gradient only through signs, so no gradient flows back to it; it flows to the parameter.
    /// </summary>
    private protected override void DifferentiableStep(ParamGroup group)
    {
        var (etaMinus, etaPlus) = group.GetPair("etas");
        var (min, max) = group.GetPair("step_sizes");
        bool maximize = group.GetBool("maximize");
        var rule = new Rule(group);
        foreach (var (p, grad) in RecordedStep.WithGrads(group, nameof(Rprop)))
        {
            var s = GetState(p, rule.NewState);
            s.Step++;
            var g = maximize ? grad.Neg() : grad;
            var sign = g.Mul(s.Prev.Clone()).Sign();
            sign.MaskedFill_(sign.Gt(0), etaPlus);
            sign.MaskedFill_(sign.Lt(0), etaMinus);
            sign.MaskedFill_(sign.Eq(0), 1);
            s.StepSize.Mul_(sign).Clamp_(min, max);
            g = g.Clone();
            g.MaskedFill_(sign.Eq(etaMinus), 0); // where the sign flipped, skip this step and forget the gradient
            p.Addcmul_(g.Sign(), s.StepSize, -1);
            s.Prev.Copy_(g);
        }
    }

    // One group's step: its hyperparameters, and each parameter's state and update.
    private readonly struct Rule : IStepRule<RpropState, RpropJob>
    {
        private readonly RpropHyper h;
        private readonly double lr;

        public Rule(ParamGroup group)
        {
            var (etaMinus, etaPlus) = group.GetPair("etas");
            var (min, max) = group.GetPair("step_sizes");
            h = new RpropHyper(etaMinus, etaPlus, min, max, group.GetBool("maximize"));
            lr = group.Lr;
        }

        // Every element's Δ starts at lr.
        public RpropState NewState(Tensor p) => new() { Prev = Tensor.ZerosLike(p), StepSize = Tensor.FullLike(p, lr) };

        public bool TryJob(Tensor p, Tensor grad, RpropState s, out RpropJob job)
        {
            s.Step++;
            job = new RpropJob(TensorSlice.Of(p), TensorSlice.Of(grad.Contiguous()), TensorSlice.Of(s.Prev), TensorSlice.Of(s.StepSize), h);
            return true;
        }
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        RpropState.Schema.Load(param, entries, paramName);
}

/// <summary>Rprop's state.</summary>
public sealed class RpropState : ParamState
{
    /// <summary>Steps taken.</summary>
    public long Step { get; set; }

    /// <summary>PyTorch's <c>prev</c>: the previous (masked) gradient.</summary>
    public required Tensor Prev { get; init; }

    /// <summary>PyTorch's <c>step_size</c>: each element's current Δ.</summary>
    public required Tensor StepSize { get; init; }

    /// <summary>The state-dict entries, each named once: PyTorch's keys, types and order.</summary>
    internal static readonly StateSchema<RpropState> Schema = new StateSchema<RpropState>(p => new() { Prev = Tensor.ZerosLike(p), StepSize = Tensor.ZerosLike(p) })
        .Step(s => s.Step, (s, v) => s.Step = v)
        .Buffer("prev", s => s.Prev)
        .Buffer("step_size", s => s.StepSize);

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);
}
