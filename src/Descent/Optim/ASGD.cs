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
        bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(parameters, MakeDefaults(lr, lambd, alpha, t0, weightDecay, maximize).With(forEach, capturable, differentiable, null)) { }

    /// <summary>ASGD over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public ASGD(IEnumerable<ParamGroup> groups, double lr = DefaultLr, double lambd = DefaultLambd,
        double alpha = DefaultAlpha, double t0 = DefaultT0, double weightDecay = DefaultWeightDecay,
        bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(groups, MakeDefaults(lr, lambd, alpha, t0, weightDecay, maximize).With(forEach, capturable, differentiable, null)) { }

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

    // Reused every step: the step loop and its plan of per-parameter updates.
    private readonly StepLoop<AsgdState, AsgdJob> steps = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) => steps.Run(this, group, new Rule(group));

    /// <summary>
    /// The step as tensor operations, PyTorch's <c>_single_tensor_asgd</c> with <c>differentiable=True</c>: with
    /// <c>differentiable</c> the optimizer steps with gradients enabled, so autograd records the update and the average.
    /// </summary>
    private protected override void DifferentiableStep(ParamGroup group)
    {
        double lr = group.Lr, lambd = group.GetDouble("lambd"), alpha = group.GetDouble("alpha"), t0 = group.GetDouble("t0"),
            weightDecay = group.GetDouble("weight_decay");
        bool maximize = group.GetBool("maximize");
        var rule = new Rule(group);
        foreach (var (p, grad) in RecordedStep.WithGrads(group, nameof(ASGD)))
        {
            var s = GetState(p, rule.NewState);
            s.Step++;
            var g = RecordedStep.Grad(p, grad, maximize, weightDecay);
            p.Mul_(1 - lambd * s.Eta);
            p.Add_(g, -s.Eta);
            if (s.Mu != 1) s.Ax.Add_(p.Sub(s.Ax).Mul_(s.Mu));
            else s.Ax.Copy_(p);
            s.Eta = (float)(lr / Math.Pow(1 + lambd * lr * s.Step, alpha));
            s.Mu = (float)(1 / Math.Max(1, s.Step - t0));
        }
    }

    // One group's step: its hyperparameters, and each parameter's state and update.
    private readonly struct Rule : IStepRule<AsgdState, AsgdJob>
    {
        private readonly double lr, lambd, alpha, t0, wd;
        private readonly bool maximize;

        public Rule(ParamGroup group)
        {
            (lr, lambd, alpha, t0) = (group.Lr, group.GetDouble("lambd"), group.GetDouble("alpha"), group.GetDouble("t0"));
            wd = group.GetDouble("weight_decay");
            maximize = group.GetBool("maximize");
        }

        // η starts at the group's lr, as PyTorch's torch.tensor(group["lr"]).
        public AsgdState NewState(Tensor p)
        {
            var s = AsgdState.Schema.Create(p);
            s.Eta = (float)lr;
            return s;
        }

        public bool TryJob(Tensor p, Tensor grad, AsgdState s, out AsgdJob job)
        {
            s.Step++;
            // The update uses this step's η and μ; the state then moves on to the next step's.
            job = new AsgdJob(TensorSlice.Of(p), TensorSlice.Of(grad.Contiguous()), TensorSlice.Of(s.Ax), AsgdHyper.For(s.Eta, s.Mu, lambd, wd, maximize));
            s.Eta = (float)(lr / Math.Pow(1 + lambd * lr * s.Step, alpha));
            s.Mu = (float)(1 / Math.Max(1, s.Step - t0));
            return true;
        }
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        AsgdState.Schema.Load(param, entries, paramName);
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

    /// <summary>The state-dict entries, each named once: PyTorch's keys, types and order.</summary>
    internal static readonly StateSchema<AsgdState> Schema = new StateSchema<AsgdState>(p => new() { Ax = Tensor.ZerosLike(p) })
        .Step(s => s.Step, (s, v) => s.Step = v)
        .Float("eta", s => s.Eta, (s, v) => s.Eta = v)
        .Float("mu", s => s.Mu, (s, v) => s.Mu = v)
        .Buffer("ax", s => s.Ax);

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);
}
