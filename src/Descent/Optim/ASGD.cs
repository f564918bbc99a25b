using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// Averaged stochastic gradient descent (Polyak &amp; Juditsky, 1992, "Acceleration of Stochastic Approximation by
/// Averaging"), like <c>torch.optim.ASGD</c>.
/// <code>
/// g ← ∇ (negated when maximize) + weight_decay·p
/// p ← p·(1 − λη);  p ← p − η·g;  ā ← ā + μ(p − ā)  (ā ← p while μ = 1)
/// η ← lr / (1 + λ·lr·t)^α;  μ ← 1 / max(1, t − t₀)
/// </code>
/// Defaults: lr 1e-2, lambd 1e-4, alpha 0.75, t0 1e6, weight_decay 0, maximize false.
/// State per parameter: <c>step</c>, <c>eta</c>, <c>mu</c> (float32 scalars, as PyTorch keeps them), <c>ax</c> (the average).
/// </summary>
public sealed class ASGD : Optimizer
{
    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 1e-2, DefaultLambd = 1e-4, DefaultAlpha = 0.75, DefaultT0 = 1e6, DefaultWeightDecay = 0;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultMaximize = false;

    /// <summary>ASGD over one group of parameters.</summary>
    public ASGD(IEnumerable<Tensor> parameters, double lr = DefaultLr, double lambd = DefaultLambd,
        double alpha = DefaultAlpha, double t0 = DefaultT0, double weightDecay = DefaultWeightDecay,
        bool maximize = DefaultMaximize)
        : base(parameters, MakeDefaults(lr, lambd, alpha, t0, weightDecay, maximize)) { }

    /// <summary>ASGD over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public ASGD(IEnumerable<ParamGroup> groups, double lr = DefaultLr, double lambd = DefaultLambd,
        double alpha = DefaultAlpha, double t0 = DefaultT0, double weightDecay = DefaultWeightDecay,
        bool maximize = DefaultMaximize)
        : base(groups, MakeDefaults(lr, lambd, alpha, t0, weightDecay, maximize)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, double lambd, double alpha, double t0, double weightDecay, bool maximize)
    {
        Check.Lr(lr);
        Check.WeightDecay(weightDecay);
        return new()
        {
            ["lr"] = lr, ["lambd"] = lambd, ["alpha"] = alpha, ["t0"] = t0, ["weight_decay"] = weightDecay,
            ["foreach"] = null, ["maximize"] = maximize, ["differentiable"] = false, ["capturable"] = false,
        };
    }

    // Reused every step: the queued per-parameter updates, run together (on several threads when large).
    private readonly StepPlan<AsgdJob> plan = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group)
    {
        double lr = group.Lr, lambd = group.GetDouble("lambd"), alpha = group.GetDouble("alpha"), t0 = group.GetDouble("t0");
        double wd = group.GetDouble("weight_decay");
        bool maximize = group.GetBool("maximize");
        var ps = group.Params;
        try
        {
            for (int i = 0; i < ps.Count; i++)
            {
                var p = ps[i];
                if (p.Grad is not { } grad) continue;
                Check.Float32(p, nameof(ASGD));
                // η starts at the group's lr when the state is created, as PyTorch's torch.tensor(group["lr"]).
                var s = State.TryGetValue(p, out var existing) ? (AsgdState)existing : NewState(p, lr);
                s.Step++;
                // The update uses this step's η and μ; the state then moves on to the next step's.
                plan.Add(new AsgdJob(FloatSlice.Of(p), FloatSlice.Of(grad.Contiguous()), FloatSlice.Of(s.Ax), AsgdHyper.For(s.Eta, s.Mu, lambd, wd, maximize)), p.Numel);
                s.Eta = (float)(lr / Math.Pow(1 + lambd * lr * s.Step, alpha));
                s.Mu = (float)(1 / Math.Max(1, s.Step - t0));
                p.BumpVersion();
            }
        }
        finally
        {
            plan.Run(); // also when a later parameter is refused: the ones before it are updated, as one by one
        }
    }

    // Apart from StepGroup, whose closure would otherwise be allocated on every step.
    private AsgdState NewState(Tensor p, double lr) => GetState(p, q => new AsgdState { Eta = (float)lr, Ax = Tensor.ZerosLike(q) });

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        new AsgdState
        {
            Step = ParamState.ReadStep(entries, paramName),
            Eta = (float)ParamState.ReadScalar(entries, "eta", paramName),
            Mu = (float)ParamState.ReadScalar(entries, "mu", paramName),
            Ax = ParamState.ReadBuffer(entries, "ax", param, paramName),
        };
}

/// <summary>ASGD's state.</summary>
public sealed class AsgdState : ParamState
{
    /// <summary>Steps taken.</summary>
    public long Step { get; set; }

    /// <summary>PyTorch's <c>eta</c>: the current step size.</summary>
    public float Eta { get; set; }

    /// <summary>PyTorch's <c>mu</c>: the averaging weight (1 until t₀ steps have passed).</summary>
    public float Mu { get; set; } = 1;

    /// <summary>PyTorch's <c>ax</c>: the averaged parameter.</summary>
    public required Tensor Ax { get; init; }

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict()
    {
        yield return new("step", StepTensor(Step));
        yield return new("eta", Tensor.Scalar(Eta));
        yield return new("mu", Tensor.Scalar(Mu));
        yield return new("ax", Ax);
    }
}
