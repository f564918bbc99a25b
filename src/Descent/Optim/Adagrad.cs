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
        double eps = DefaultEps, bool maximize = DefaultMaximize,
        bool? forEach = null, bool differentiable = DefaultDifferentiable, bool? fused = null)
        : base(parameters, MakeDefaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize).With(forEach, false, differentiable, fused)) => InitAllState();

    /// <summary>Adagrad over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public Adagrad(IEnumerable<ParamGroup> groups, double lr = DefaultLr, double lrDecay = DefaultLrDecay,
        double weightDecay = DefaultWeightDecay, double initialAccumulatorValue = DefaultInitialAccumulatorValue,
        double eps = DefaultEps, bool maximize = DefaultMaximize,
        bool? forEach = null, bool differentiable = DefaultDifferentiable, bool? fused = null)
        : base(groups, MakeDefaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize).With(forEach, false, differentiable, fused)) => InitAllState();

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
            foreach (var p in g.Params)
                if (!TryGetState(p, out _)) AddState(p, NewState(p, g));
    }

    // A parameter's first state: `sum` filled with its group's initial_accumulator_value.
    private static AdagradState NewState(Tensor p, ParamGroup g) => new() { Sum = Tensor.FullLike(p, g.GetDouble("initial_accumulator_value")) };

    // Reused every step: the step loop and its plan of per-parameter updates.
    private readonly StepLoop<AdagradState, AdagradJob> steps = new();

    // As PyTorch: sparse gradients are taken without weight decay; the dense update equals its sparse one there.
    /// <inheritdoc/>
    private protected override string? SparseGradientError(ParamGroup group) =>
        group.GetDouble("weight_decay") != 0 ? "weight_decay option is not compatible with sparse gradients" : null;

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) => steps.Run(this, group, new Rule(group));

    /// <summary>
    /// The step as tensor operations, PyTorch's <c>_single_tensor_adagrad</c> with <c>differentiable=True</c>: with
    /// <c>differentiable</c> the optimizer steps with gradients enabled, so autograd records the update.
    /// </summary>
    private protected override void DifferentiableStep(ParamGroup group)
    {
        double lr = group.Lr, lrDecay = group.GetDouble("lr_decay"), eps = group.GetDouble("eps"),
            weightDecay = group.GetDouble("weight_decay");
        bool maximize = group.GetBool("maximize");
        foreach (var (p, grad) in RecordedStep.WithGrads(group, nameof(Adagrad)))
        {
            var s = GetState(p, q => NewState(q, group));
            s.Step++;
            var g = RecordedStep.Grad(p, grad, maximize, weightDecay);
            double clr = lr / (1 + (s.Step - 1) * lrDecay);
            s.Sum.Addcmul_(g, g, 1);
            var std = s.Sum.Sqrt().Add(eps);
            p.Addcdiv_(g, std, -clr);
        }
    }

    // One group's step: its hyperparameters, and each parameter's state and update.
    private struct Rule : IStepRule<AdagradState, AdagradJob>
    {
        private readonly ParamGroup group;
        private readonly double lr, lrDecay, eps, wd;
        private readonly bool maximize;
        private long hyperStep; // the step count `hyper` was computed for (0: none yet)
        private AdagradHyper hyper;

        public Rule(ParamGroup group)
        {
            this.group = group;
            (lr, lrDecay, eps, wd) = (group.Lr, group.GetDouble("lr_decay"), group.GetDouble("eps"), group.GetDouble("weight_decay"));
            maximize = group.GetBool("maximize");
        }

        // The state exists from construction on; this makes it for a parameter added later or left out of a loaded state dict.
        public readonly AdagradState NewState(Tensor p) => Adagrad.NewState(p, group);

        public bool TryJob(Tensor p, Tensor grad, AdagradState s, out AdagradJob job)
        {
            s.Step++;
            if (s.Step != hyperStep)
            {
                hyper = AdagradHyper.For(s.Step, lr, lrDecay, eps, wd, maximize);
                hyperStep = s.Step;
            }
            job = new AdagradJob(TensorSlice.Of(p), TensorSlice.Of(grad.Contiguous()), TensorSlice.Of(s.Sum), hyper);
            return true;
        }
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        AdagradState.Schema.Load(param, entries, paramName);
}

/// <summary>Adagrad's state.</summary>
public sealed class AdagradState : ParamState
{
    /// <summary>Steps taken.</summary>
    public long Step { get; set; }

    /// <summary>PyTorch's <c>sum</c> (accumulated g²).</summary>
    public required Tensor Sum { get; init; }

    /// <summary>The state-dict entries, each named once: PyTorch's keys, types and order.</summary>
    internal static readonly StateSchema<AdagradState> Schema = new StateSchema<AdagradState>(p => new() { Sum = Tensor.ZerosLike(p) })
        .Step(s => s.Step, (s, v) => s.Step = v)
        .Buffer("sum", s => s.Sum);

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);
}
