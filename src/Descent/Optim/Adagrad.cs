using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// Adagrad (Duchi, Hazan &amp; Singer, 2011, "Adaptive Subgradient Methods for Online Learning and Stochastic
/// Optimization"), like <c>torch.optim.Adagrad</c>.
/// <code>
/// g ← ∇ (negated when maximize) + weight_decay·p;  clr ← lr / (1 + (t − 1)·lr_decay)
/// s ← s + g²;  p ← p − clr · g / (√s + ε)
/// </code>
/// Defaults: lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10, maximize false.
/// State per parameter: <c>step</c>, <c>sum</c> (starting at initial_accumulator_value). As in PyTorch the state
/// of every parameter given to the constructor exists from the start, before any step.
/// </summary>
public sealed class Adagrad : Optimizer
{
    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 1e-2, DefaultLrDecay = 0, DefaultWeightDecay = 0, DefaultInitialAccumulatorValue = 0, DefaultEps = 1e-10;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultMaximize = false;

    /// <summary>Adagrad over one group of parameters.</summary>
    public Adagrad(IEnumerable<Tensor> parameters, double lr = DefaultLr, double lrDecay = DefaultLrDecay,
        double weightDecay = DefaultWeightDecay, double initialAccumulatorValue = DefaultInitialAccumulatorValue,
        double eps = DefaultEps, bool maximize = DefaultMaximize)
        : base(parameters, MakeDefaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize)) => InitAllState();

    /// <summary>Adagrad over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public Adagrad(IEnumerable<ParamGroup> groups, double lr = DefaultLr, double lrDecay = DefaultLrDecay,
        double weightDecay = DefaultWeightDecay, double initialAccumulatorValue = DefaultInitialAccumulatorValue,
        double eps = DefaultEps, bool maximize = DefaultMaximize)
        : base(groups, MakeDefaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize)) => InitAllState();

    private static Dictionary<string, object?> MakeDefaults(double lr, double lrDecay, double weightDecay,
        double initialAccumulatorValue, double eps, bool maximize)
    {
        Check.Lr(lr);
        Check.NonNegative(lrDecay, "lr_decay");
        Check.WeightDecay(weightDecay);
        Check.NonNegative(initialAccumulatorValue, "initial_accumulator_value");
        Check.Eps(eps);
        return new()
        {
            ["lr"] = lr, ["lr_decay"] = lrDecay, ["eps"] = eps, ["weight_decay"] = weightDecay,
            ["initial_accumulator_value"] = initialAccumulatorValue, ["foreach"] = null, ["maximize"] = maximize,
            ["differentiable"] = false, ["fused"] = null,
        };
    }

    // PyTorch's Adagrad fills its state in __init__, so state_dict() lists every parameter even before a step.
    private void InitAllState()
    {
        foreach (var g in ParamGroups)
            foreach (var p in g.Params) StateOf(p, g);
    }

    private AdagradState StateOf(Tensor p, ParamGroup g) =>
        GetState(p, q => new AdagradState { Sum = Tensor.FullLike(q, g.GetDouble("initial_accumulator_value")) });

    // Reused every step: the queued per-parameter updates, run together (on several threads when large).
    private readonly StepPlan<AdagradJob> plan = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group)
    {
        double lr = group.Lr, lrDecay = group.GetDouble("lr_decay"), eps = group.GetDouble("eps"), wd = group.GetDouble("weight_decay");
        bool maximize = group.GetBool("maximize");
        var ps = group.Params;
        long hyperStep = -1;
        AdagradHyper h = default;
        try
        {
            for (int i = 0; i < ps.Count; i++)
            {
                var p = ps[i];
                if (p.Grad is not { } grad) continue;
                Check.Float32(p, nameof(Adagrad));
                // The state exists from construction on; looking it up first avoids StateOf's capturing lambda.
                var s = State.TryGetValue(p, out var existing) ? (AdagradState)existing : StateOf(p, group);
                s.Step++;
                if (s.Step != hyperStep)
                {
                    h = AdagradHyper.For(s.Step, lr, lrDecay, eps, wd, maximize);
                    hyperStep = s.Step;
                }
                plan.Add(new AdagradJob(FloatSlice.Of(p), FloatSlice.Of(grad.Contiguous()), FloatSlice.Of(s.Sum), h), p.Numel);
                p.BumpVersion();
            }
        }
        finally
        {
            plan.Run(); // also when a later parameter is refused: the ones before it are updated, as one by one
        }
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        new AdagradState
        {
            Step = ParamState.ReadStep(entries, paramName),
            Sum = ParamState.ReadBuffer(entries, "sum", param, paramName),
        };
}

/// <summary>Adagrad's state.</summary>
public sealed class AdagradState : ParamState
{
    /// <summary>Steps taken.</summary>
    public long Step { get; set; }

    /// <summary>PyTorch's <c>sum</c> (accumulated g²).</summary>
    public required Tensor Sum { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict()
    {
        yield return new("step", StepTensor(Step));
        yield return new("sum", Sum);
    }
}
