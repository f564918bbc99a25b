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
        (double, double)? stepSizes = null, bool maximize = DefaultMaximize)
        : base(parameters, MakeDefaults(lr, etas ?? DefaultEtas, stepSizes ?? DefaultStepSizes, maximize)) { }

    /// <summary>Rprop over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public Rprop(IEnumerable<ParamGroup> groups, double lr = DefaultLr, (double, double)? etas = null,
        (double, double)? stepSizes = null, bool maximize = DefaultMaximize)
        : base(groups, MakeDefaults(lr, etas ?? DefaultEtas, stepSizes ?? DefaultStepSizes, maximize)) { }

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

    // Reused every step: the queued per-parameter updates, run together (on several threads when large).
    private readonly StepPlan<RpropJob> plan = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group)
    {
        var (etaMinus, etaPlus) = group.GetPair("etas");
        var (min, max) = group.GetPair("step_sizes");
        var h = new RpropHyper((float)etaMinus, (float)etaPlus, (float)min, (float)max, group.GetBool("maximize"));
        double lr = group.Lr;
        var ps = group.Params;
        try
        {
            for (int i = 0; i < ps.Count; i++)
            {
                var p = ps[i];
                if (p.Grad is not { } grad) continue;
                Check.Float32(p, nameof(Rprop));
                var s = State.TryGetValue(p, out var existing) ? (RpropState)existing : NewState(p, lr);
                s.Step++;
                plan.Add(new RpropJob(FloatSlice.Of(p), FloatSlice.Of(grad.Contiguous()), FloatSlice.Of(s.Prev), FloatSlice.Of(s.StepSize), h), p.Numel);
                p.BumpVersion();
            }
        }
        finally
        {
            plan.Run(); // also when a later parameter is refused: the ones before it are updated, as one by one
        }
    }

    // Apart from StepGroup, whose closure would otherwise be allocated on every step.
    private RpropState NewState(Tensor p, double lr) => GetState(p, q => new RpropState { Prev = Tensor.ZerosLike(q), StepSize = Tensor.FullLike(q, lr) });

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        new RpropState
        {
            Step = ParamState.ReadStep(entries, paramName),
            Prev = ParamState.ReadBuffer(entries, "prev", param, paramName),
            StepSize = ParamState.ReadBuffer(entries, "step_size", param, paramName),
        };
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

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict()
    {
        yield return new("step", StepTensor(Step));
        yield return new("prev", Prev);
        yield return new("step_size", StepSize);
    }
}
