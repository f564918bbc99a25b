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
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay, bool maximize = DefaultMaximize)
        : base(parameters, MakeDefaults(lr, betas ?? DefaultBetas, eps, weightDecay, maximize)) { }

    /// <summary>Adamax over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public Adamax(IEnumerable<ParamGroup> groups, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay, bool maximize = DefaultMaximize)
        : base(groups, MakeDefaults(lr, betas ?? DefaultBetas, eps, weightDecay, maximize)) { }

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

    // Reused every step: the queued per-parameter updates, run together (on several threads when large).
    private readonly StepPlan<AdamaxJob> plan = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group)
    {
        var (beta1, beta2) = group.GetPair("betas");
        double lr = group.Lr, eps = group.GetDouble("eps"), wd = group.GetDouble("weight_decay");
        bool maximize = group.GetBool("maximize");
        var ps = group.Params;
        long hyperStep = -1;
        AdamaxHyper h = default;
        try
        {
            for (int i = 0; i < ps.Count; i++)
            {
                var p = ps[i];
                if (p.Grad is not { } grad) continue;
                Check.Float32(p, nameof(Adamax));
                var s = GetState(p, static q => new AdamaxState { ExpAvg = Tensor.ZerosLike(q), ExpInf = Tensor.ZerosLike(q) });
                s.Step++;
                if (s.Step != hyperStep)
                {
                    h = AdamaxHyper.For(s.Step, lr, beta1, beta2, eps, wd, maximize);
                    hyperStep = s.Step;
                }
                plan.Add(new AdamaxJob(FloatSlice.Of(p), FloatSlice.Of(grad.Contiguous()), FloatSlice.Of(s.ExpAvg), FloatSlice.Of(s.ExpInf), h), p.Numel);
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
        new AdamaxState
        {
            Step = ParamState.ReadStep(entries, paramName),
            ExpAvg = ParamState.ReadBuffer(entries, "exp_avg", param, paramName),
            ExpInf = ParamState.ReadBuffer(entries, "exp_inf", param, paramName),
        };
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

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict()
    {
        yield return new("step", StepTensor(Step));
        yield return new("exp_avg", ExpAvg);
        yield return new("exp_inf", ExpInf);
    }
}
