using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// Adamax, the infinity-norm variant of Adam (Kingma &amp; Ba, 2015, section 7), like <c>torch.optim.Adamax</c>.
/// <code>
/// g ← ∇ (negated when maximize) + weight_decay·p
/// m ← β₁m + (1 − β₁)g;  u ← max(β₂u, |g| + ε);  p ← p − lr/(1 − β₁ᵗ) · m/u
/// </code>
/// Defaults: lr 2e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, maximize false.
/// State per parameter: <c>step</c>, <c>exp_avg</c>, <c>exp_inf</c>.
/// </summary>
public sealed class Adamax : Optimizer
{
    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 2e-3, DefaultEps = 1e-8, DefaultWeightDecay = 0;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultMaximize = false;
    /// <summary>PyTorch's default <c>betas</c>: (0.9, 0.999).</summary>
    public static readonly (double, double) DefaultBetas = (0.9, 0.999);

    /// <summary>Adamax over one group of parameters.</summary>
    public Adamax(IEnumerable<Tensor> parameters, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay, bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(parameters, MakeDefaults(lr, betas ?? DefaultBetas, eps, weightDecay, maximize).With(forEach, capturable, differentiable, null)) { }

    /// <summary>Adamax over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public Adamax(IEnumerable<ParamGroup> groups, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay, bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(groups, MakeDefaults(lr, betas ?? DefaultBetas, eps, weightDecay, maximize).With(forEach, capturable, differentiable, null)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, (double, double) betas, double eps, double weightDecay, bool maximize)
    {
        Check.Lr(lr);
        Check.Eps(eps);
        Check.Betas(betas);
        Check.WeightDecay(weightDecay);
        return new()
        {
            ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["foreach"] = null,
            ["maximize"] = maximize, ["differentiable"] = false, ["capturable"] = false,
        };
    }

    // Reused every step: the step loop and its plan of per-parameter updates.
    private readonly StepLoop<AdamaxState, AdamaxJob> steps = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) => steps.Run(this, group, new Rule(group));

    /// <summary>
    /// The step as tensor operations, PyTorch's <c>_single_tensor_adamax</c> with <c>differentiable=True</c>: with
    /// <c>differentiable</c> the optimizer steps with gradients enabled, so autograd records the update. The infinity
    /// norm is PyTorch's differentiable form, the amax of the two candidates stacked (a tie shares the gradient).
    /// </summary>
    private protected override void DifferentiableStep(ParamGroup group)
    {
        var (beta1, beta2) = group.GetPair("betas");
        double lr = group.Lr, eps = group.GetDouble("eps"), weightDecay = group.GetDouble("weight_decay");
        bool maximize = group.GetBool("maximize");
        foreach (var (p, grad) in RecordedStep.WithGrads(group, nameof(Adamax)))
        {
            var s = GetState(p, AdamaxState.Schema.Create);
            s.Step++;
            var g = RecordedStep.Grad(p, grad, maximize, weightDecay);
            s.ExpAvg.Lerp_(g, 1 - beta1);
            var normBuf = Tensor.Cat([s.ExpInf.Mul_(beta2).Unsqueeze(0), g.Abs().Add_(eps).Unsqueeze(0)], 0);
            s.ExpInf.Copy_(normBuf.Amax(0));
            double clr = lr / (1 - Math.Pow(beta1, s.Step));
            p.Addcdiv_(s.ExpAvg, s.ExpInf, -clr);
        }
    }

    // One group's step: its hyperparameters, and each parameter's state and update.
    private struct Rule : IStepRule<AdamaxState, AdamaxJob>
    {
        private readonly double lr, beta1, beta2, eps, wd;
        private readonly bool maximize;
        private long hyperStep; // the step count `hyper` was computed for (0: none yet)
        private AdamaxHyper hyper;

        public Rule(ParamGroup group)
        {
            (beta1, beta2) = group.GetPair("betas");
            (lr, eps, wd) = (group.Lr, group.GetDouble("eps"), group.GetDouble("weight_decay"));
            maximize = group.GetBool("maximize");
        }

        public readonly AdamaxState NewState(Tensor p) => AdamaxState.Schema.Create(p);

        public bool TryJob(Tensor p, Tensor grad, AdamaxState s, out AdamaxJob job)
        {
            s.Step++;
            if (s.Step != hyperStep)
            {
                hyper = AdamaxHyper.For(s.Step, lr, beta1, beta2, eps, wd, maximize);
                hyperStep = s.Step;
            }
            job = new AdamaxJob(TensorSlice.Of(p), TensorSlice.Of(grad.Contiguous()), TensorSlice.Of(s.ExpAvg), TensorSlice.Of(s.ExpInf), hyper);
            return true;
        }
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        AdamaxState.Schema.Load(param, entries, paramName);
}

/// <summary>Adamax's state.</summary>
public sealed class AdamaxState : ParamState
{
    /// <summary>Steps taken.</summary>
    public long Step { get; set; }

    /// <summary>PyTorch's <c>exp_avg</c> (first moment).</summary>
    public required Tensor ExpAvg { get; init; }

    /// <summary>PyTorch's <c>exp_inf</c> (exponentially weighted infinity norm).</summary>
    public required Tensor ExpInf { get; init; }

    /// <summary>The state-dict entries, each named once: PyTorch's keys, types and order.</summary>
    internal static readonly StateSchema<AdamaxState> Schema = new StateSchema<AdamaxState>(p => new() { ExpAvg = Tensor.ZerosLike(p), ExpInf = Tensor.ZerosLike(p) })
        .Step(s => s.Step, (s, v) => s.Step = v)
        .Buffer("exp_avg", s => s.ExpAvg)
        .Buffer("exp_inf", s => s.ExpInf);

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);
}
