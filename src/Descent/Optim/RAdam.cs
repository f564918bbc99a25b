using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// RAdam, rectified Adam (Liu et al., 2020, "On the Variance of the Adaptive Learning Rate and Beyond"), like
/// current <c>torch.optim.RAdam</c>; with decoupledWeightDecay the weight decay is AdamW's.
/// <code>
/// g ← ∇ (negated when maximize) + weight_decay·p   (decoupled: p ← p·(1 − lr·weight_decay) instead)
/// m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  m̂ ← m/(1 − β₁ᵗ)
/// ρ∞ ← 2/(1 − β₂) − 1;  ρₜ ← ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ)
/// ρₜ &gt; 5: r ← √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ)),  p ← p − lr·m̂·√(1 − β₂ᵗ)/(√v + ε)·r;  else p ← p − lr·m̂
/// </code>
/// Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, decoupled_weight_decay false, maximize false.
/// State per parameter: <c>step</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>.
/// </summary>
public sealed class RAdam : Optimizer
{
    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 1e-3, DefaultEps = 1e-8, DefaultWeightDecay = 0;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultDecoupledWeightDecay = false, DefaultMaximize = false;
    /// <summary>PyTorch's default <c>betas</c>: (0.9, 0.999).</summary>
    public static readonly (double, double) DefaultBetas = (0.9, 0.999);

    /// <summary>RAdam over one group of parameters.</summary>
    public RAdam(IEnumerable<Tensor> parameters, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay,
        bool decoupledWeightDecay = DefaultDecoupledWeightDecay, bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(parameters, MakeDefaults(lr, betas ?? DefaultBetas, eps, weightDecay, decoupledWeightDecay, maximize).With(forEach, capturable, differentiable, null)) { }

    /// <summary>RAdam over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public RAdam(IEnumerable<ParamGroup> groups, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay,
        bool decoupledWeightDecay = DefaultDecoupledWeightDecay, bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(groups, MakeDefaults(lr, betas ?? DefaultBetas, eps, weightDecay, decoupledWeightDecay, maximize).With(forEach, capturable, differentiable, null)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, (double, double) betas, double eps, double weightDecay,
        bool decoupledWeightDecay, bool maximize)
    {
        Check.Lr(lr);
        Check.Eps(eps);
        Check.Betas(betas);
        Check.WeightDecay(weightDecay);
        return new()
        {
            ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["maximize"] = maximize,
            ["foreach"] = null, ["capturable"] = false, ["decoupled_weight_decay"] = decoupledWeightDecay, ["differentiable"] = false,
        };
    }

    // Reused every step: the step loop and its plan of per-parameter updates.
    private readonly StepLoop<RadamState, RadamJob> steps = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) => steps.Run(this, group, new Rule(group));

    /// <summary>
    /// The step as tensor operations, PyTorch's <c>_single_tensor_radam</c> with <c>differentiable=True</c>: with
    /// <c>differentiable</c> the optimizer steps with gradients enabled, so autograd records the update
    /// (p ← p − (m/bc₁)·lr·(√bc₂ / (√v + ε))·r once the rectification r applies, p ← p − (m/bc₁)·lr before).
    /// </summary>
    private protected override void DifferentiableStep(ParamGroup group)
    {
        var (beta1, beta2) = group.GetPair("betas");
        double lr = group.Lr, eps = group.GetDouble("eps"), weightDecay = group.GetDouble("weight_decay");
        bool decoupled = group.GetBool("decoupled_weight_decay"), maximize = group.GetBool("maximize");
        foreach (var (p, grad) in RecordedStep.WithGrads(group, nameof(RAdam)))
        {
            var s = GetState(p, RadamState.Schema.Create);
            long t = ++s.Step;
            var g = RecordedStep.Grad(p, grad, maximize, weightDecay, decoupled, lr);
            s.ExpAvg.Lerp_(g, 1 - beta1);
            s.ExpAvgSq.Mul_(beta2).Addcmul_(g, g, 1 - beta2);
            double bc1 = 1 - Math.Pow(beta1, t), bc2 = 1 - Math.Pow(beta2, t);
            var corrected = s.ExpAvg.Div(bc1);
            double rhoInf = 2 / (1 - beta2) - 1;
            double rhoT = rhoInf - 2 * t * Math.Pow(beta2, t) / bc2;
            if (rhoT > 5.0)
            {
                double rect = Math.Pow((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT), 0.5);
                var adaptiveLr = s.ExpAvgSq.Sqrt().Add(eps).Reciprocal().Mul(Math.Pow(bc2, 0.5));
                p.Add_(corrected.Mul(lr).Mul(adaptiveLr).Mul(rect), -1.0);
            }
            else p.Add_(corrected.Mul(lr), -1.0);
        }
    }

    // One group's step: its hyperparameters, and each parameter's state and update.
    private readonly struct Rule : IStepRule<RadamState, RadamJob>
    {
        private readonly double lr, beta1, beta2, eps, wd;
        private readonly bool decoupled, maximize;

        public Rule(ParamGroup group)
        {
            (beta1, beta2) = group.GetPair("betas");
            (lr, eps, wd) = (group.Lr, group.GetDouble("eps"), group.GetDouble("weight_decay"));
            (decoupled, maximize) = (group.GetBool("decoupled_weight_decay"), group.GetBool("maximize"));
        }

        public RadamState NewState(Tensor p) => RadamState.Schema.Create(p);

        public bool TryJob(Tensor p, Tensor grad, RadamState s, out RadamJob job)
        {
            long t = ++s.Step;
            double bc1 = 1 - Math.Pow(beta1, t), bc2 = 1 - Math.Pow(beta2, t);
            double rhoInf = 2 / (1 - beta2) - 1;
            double rhoT = rhoInf - 2 * t * Math.Pow(beta2, t) / bc2;
            double rect = rhoT > 5.0 ? Math.Pow((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT), 0.5) : 0;
            var h = new RadamHyper(1 - beta1, beta2, 1 - beta2, eps, wd, decoupled, 1 - lr * wd, lr, bc1, Math.Pow(bc2, 0.5),
                rhoT > 5.0, rect, maximize);
            job = new RadamJob(TensorSlice.Of(p), TensorSlice.Of(grad.Contiguous()), TensorSlice.Of(s.ExpAvg), TensorSlice.Of(s.ExpAvgSq), h);
            return true;
        }
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        RadamState.Schema.Load(param, entries, paramName);
}

/// <summary>RAdam's state.</summary>
public sealed class RadamState : ParamState
{
    /// <summary>Steps taken.</summary>
    public long Step { get; set; }

    /// <summary>PyTorch's <c>exp_avg</c>.</summary>
    public required Tensor ExpAvg { get; init; }

    /// <summary>PyTorch's <c>exp_avg_sq</c>.</summary>
    public required Tensor ExpAvgSq { get; init; }

    /// <summary>The state-dict entries, each named once: PyTorch's keys, types and order.</summary>
    internal static readonly StateSchema<RadamState> Schema = new StateSchema<RadamState>(p => new() { ExpAvg = Tensor.ZerosLike(p), ExpAvgSq = Tensor.ZerosLike(p) })
        .Step(s => s.Step, (s, v) => s.Step = v)
        .Buffer("exp_avg", s => s.ExpAvg)
        .Buffer("exp_avg_sq", s => s.ExpAvgSq);

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);
}
