using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// NAdam, Adam with Nesterov momentum (Dozat, 2016, "Incorporating Nesterov Momentum into Adam"), like current
/// <c>torch.optim.NAdam</c>; with decoupledWeightDecay the weight decay is AdamW's (NAdamW).
/// <code>
/// g ← ∇ (negated when maximize) + weight_decay·p   (decoupled: p ← p·(1 − lr·weight_decay) instead)
/// μₜ ← β₁(1 − ½·0.96^(t·ψ));  μₜ₊₁ ← β₁(1 − ½·0.96^((t+1)·ψ));  Πₜ ← Πₜ₋₁·μₜ
/// m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  d ← √(v/(1 − β₂ᵗ)) + ε
/// p ← p − lr(1 − μₜ)/(1 − Πₜ) · g/d − lr·μₜ₊₁/(1 − Πₜμₜ₊₁) · m/d
/// </code>
/// Defaults: lr 2e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, momentum_decay 4e-3 (ψ),
/// decoupled_weight_decay false, maximize false.
/// State per parameter: <c>step</c>, <c>mu_product</c> (Πₜ, a float32 scalar), <c>exp_avg</c>, <c>exp_avg_sq</c>.
/// </summary>
public sealed class NAdam : Optimizer
{
    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 2e-3, DefaultEps = 1e-8, DefaultWeightDecay = 0, DefaultMomentumDecay = 4e-3;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultDecoupledWeightDecay = false, DefaultMaximize = false;
    /// <summary>PyTorch's default <c>betas</c>: (0.9, 0.999).</summary>
    public static readonly (double, double) DefaultBetas = (0.9, 0.999);

    /// <summary>NAdam over one group of parameters.</summary>
    public NAdam(IEnumerable<Tensor> parameters, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay, double momentumDecay = DefaultMomentumDecay,
        bool decoupledWeightDecay = DefaultDecoupledWeightDecay, bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(parameters, MakeDefaults(lr, betas ?? DefaultBetas, eps, weightDecay, momentumDecay, decoupledWeightDecay, maximize).With(forEach, capturable, differentiable, null)) { }

    /// <summary>NAdam over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public NAdam(IEnumerable<ParamGroup> groups, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay, double momentumDecay = DefaultMomentumDecay,
        bool decoupledWeightDecay = DefaultDecoupledWeightDecay, bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(groups, MakeDefaults(lr, betas ?? DefaultBetas, eps, weightDecay, momentumDecay, decoupledWeightDecay, maximize).With(forEach, capturable, differentiable, null)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, (double, double) betas, double eps, double weightDecay,
        double momentumDecay, bool decoupledWeightDecay, bool maximize)
    {
        Check.Lr(lr);
        Check.Eps(eps);
        Check.Betas(betas);
        Check.WeightDecay(weightDecay);
        Check.NonNegative(momentumDecay, "momentum_decay");
        return new()
        {
            ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["momentum_decay"] = momentumDecay,
            ["decoupled_weight_decay"] = decoupledWeightDecay, ["maximize"] = maximize, ["foreach"] = null,
            ["capturable"] = false, ["differentiable"] = false,
        };
    }

    // Reused every step: the step loop and its plan of per-parameter updates.
    private readonly StepLoop<NadamState, NadamJob> steps = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) => steps.Run(this, group, new Rule(group));

    /// <summary>
    /// The step as tensor operations, PyTorch's <c>_single_tensor_nadam</c> with <c>differentiable=True</c>: with
    /// <c>differentiable</c> the optimizer steps with gradients enabled, so autograd records the update. PyTorch scales
    /// the gradient and the first moment by tensors there, computed from its float32 <c>mu_product</c>, so both factors
    /// are float32 numbers (Python's <c>x / t</c> is <c>t.reciprocal() * x</c>).
    /// </summary>
    private protected override void DifferentiableStep(ParamGroup group)
    {
        var (beta1, beta2) = group.GetPair("betas");
        double lr = group.Lr, eps = group.GetDouble("eps"), weightDecay = group.GetDouble("weight_decay"),
            psi = group.GetDouble("momentum_decay");
        bool decoupled = group.GetBool("decoupled_weight_decay"), maximize = group.GetBool("maximize");
        foreach (var (p, grad) in RecordedStep.WithGrads(group, nameof(NAdam)))
        {
            var s = GetState(p, NadamState.Schema.Create);
            long t = ++s.Step;
            double bc2 = 1 - Math.Pow(beta2, t);
            var g = RecordedStep.Grad(p, grad, maximize, weightDecay, decoupled, lr);
            double mu = beta1 * (1.0 - 0.5 * Math.Pow(0.96, t * psi));
            double muNext = beta1 * (1.0 - 0.5 * Math.Pow(0.96, (t + 1) * psi));
            s.MuProduct *= (float)mu;
            float muProductNext = s.MuProduct * (float)muNext;
            float gradScale = 1f / (1f - s.MuProduct) * (float)(-lr * (1.0 - mu));
            float avgScale = 1f / (1f - muProductNext) * (float)(-lr * muNext);
            s.ExpAvg.Lerp_(g, 1 - beta1);
            s.ExpAvgSq.Mul_(beta2).Addcmul_(g, g, 1 - beta2);
            var denom = s.ExpAvgSq.Div(bc2).Sqrt().Add(eps);
            p.Addcdiv_(g.Mul(gradScale), denom);
            p.Addcdiv_(s.ExpAvg.Mul(avgScale), denom);
        }
    }

    // One group's step: its hyperparameters, and each parameter's state and update.
    private readonly struct Rule : IStepRule<NadamState, NadamJob>
    {
        private readonly double lr, beta1, beta2, eps, wd, psi;
        private readonly bool decoupled, maximize;

        public Rule(ParamGroup group)
        {
            (beta1, beta2) = group.GetPair("betas");
            (lr, eps, wd, psi) = (group.Lr, group.GetDouble("eps"), group.GetDouble("weight_decay"), group.GetDouble("momentum_decay"));
            (decoupled, maximize) = (group.GetBool("decoupled_weight_decay"), group.GetBool("maximize"));
        }

        public NadamState NewState(Tensor p) => NadamState.Schema.Create(p);

        public bool TryJob(Tensor p, Tensor grad, NadamState s, out NadamJob job)
        {
            long t = ++s.Step;
            double mu = beta1 * (1.0 - 0.5 * Math.Pow(0.96, t * psi));
            double muNext = beta1 * (1.0 - 0.5 * Math.Pow(0.96, (t + 1) * psi));
            s.MuProduct *= (float)mu; // a float32 tensor in PyTorch: the product is rounded every step
            double muProductNext = s.MuProduct * muNext;
            var h = new NadamHyper(1 - beta1, beta2, 1 - beta2, eps, wd, decoupled, 1 - lr * wd, 1 - Math.Pow(beta2, t),
                -lr * (1.0 - mu) / (1.0 - s.MuProduct), -lr * muNext / (1.0 - muProductNext), maximize);
            job = new NadamJob(TensorSlice.Of(p), TensorSlice.Of(grad.Contiguous()), TensorSlice.Of(s.ExpAvg), TensorSlice.Of(s.ExpAvgSq), h);
            return true;
        }
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        NadamState.Schema.Load(param, entries, paramName);
}

/// <summary>NAdam's state.</summary>
public sealed class NadamState : ParamState
{
    /// <summary>Steps taken.</summary>
    public long Step { get; set; }

    /// <summary>PyTorch's <c>mu_product</c>: the product of the momentum schedule so far.</summary>
    public float MuProduct { get; set; } = 1;

    /// <summary>PyTorch's <c>exp_avg</c>.</summary>
    public required Tensor ExpAvg { get; init; }

    /// <summary>PyTorch's <c>exp_avg_sq</c>.</summary>
    public required Tensor ExpAvgSq { get; init; }

    /// <summary>The state-dict entries, each named once: PyTorch's keys, types and order.</summary>
    internal static readonly StateSchema<NadamState> Schema = new StateSchema<NadamState>(p => new() { ExpAvg = Tensor.ZerosLike(p), ExpAvgSq = Tensor.ZerosLike(p) })
        .Step(s => s.Step, (s, v) => s.Step = v)
        .Float("mu_product", s => s.MuProduct, (s, v) => s.MuProduct = v)
        .Buffer("exp_avg", s => s.ExpAvg)
        .Buffer("exp_avg_sq", s => s.ExpAvgSq);

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);
}
