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
        bool decoupledWeightDecay = DefaultDecoupledWeightDecay, bool maximize = DefaultMaximize)
        : base(parameters, MakeDefaults(lr, betas ?? DefaultBetas, eps, weightDecay, momentumDecay, decoupledWeightDecay, maximize)) { }

    /// <summary>NAdam over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public NAdam(IEnumerable<ParamGroup> groups, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay, double momentumDecay = DefaultMomentumDecay,
        bool decoupledWeightDecay = DefaultDecoupledWeightDecay, bool maximize = DefaultMaximize)
        : base(groups, MakeDefaults(lr, betas ?? DefaultBetas, eps, weightDecay, momentumDecay, decoupledWeightDecay, maximize)) { }

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

    // Reused every step: the queued per-parameter updates, run together (on several threads when large).
    private readonly StepPlan<NadamJob> plan = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group)
    {
        var (beta1, beta2) = group.GetPair("betas");
        double lr = group.Lr, eps = group.GetDouble("eps"), wd = group.GetDouble("weight_decay"), psi = group.GetDouble("momentum_decay");
        bool decoupled = group.GetBool("decoupled_weight_decay"), maximize = group.GetBool("maximize");
        var ps = group.Params;
        try
        {
            for (int i = 0; i < ps.Count; i++)
            {
                var p = ps[i];
                if (p.Grad is not { } grad) continue;
                Check.Float32(p, nameof(NAdam));
                var s = GetState(p, static q => new NadamState { ExpAvg = Tensor.ZerosLike(q), ExpAvgSq = Tensor.ZerosLike(q) });
                long t = ++s.Step;
                double mu = beta1 * (1.0 - 0.5 * Math.Pow(0.96, t * psi));
                double muNext = beta1 * (1.0 - 0.5 * Math.Pow(0.96, (t + 1) * psi));
                s.MuProduct *= (float)mu; // a float32 tensor in PyTorch: the product is rounded every step
                double muProductNext = s.MuProduct * muNext;
                var h = new NadamHyper((float)(1 - beta1), (float)beta2, (float)(1 - beta2), (float)eps, (float)wd, decoupled,
                    (float)(1 - lr * wd), (float)(1 - Math.Pow(beta2, t)),
                    (float)(-lr * (1.0 - mu) / (1.0 - s.MuProduct)), (float)(-lr * muNext / (1.0 - muProductNext)), maximize);
                plan.Add(new NadamJob(FloatSlice.Of(p), FloatSlice.Of(grad.Contiguous()), FloatSlice.Of(s.ExpAvg), FloatSlice.Of(s.ExpAvgSq), h), p.Numel);
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
        new NadamState
        {
            Step = ParamState.ReadStep(entries, paramName),
            MuProduct = (float)ParamState.ReadScalar(entries, "mu_product", paramName),
            ExpAvg = ParamState.ReadBuffer(entries, "exp_avg", param, paramName),
            ExpAvgSq = ParamState.ReadBuffer(entries, "exp_avg_sq", param, paramName),
        };
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

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict()
    {
        yield return new("step", StepTensor(Step));
        yield return new("mu_product", Tensor.Scalar(MuProduct));
        yield return new("exp_avg", ExpAvg);
        yield return new("exp_avg_sq", ExpAvgSq);
    }
}
