using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// Adadelta (Zeiler, 2012, "ADADELTA: An Adaptive Learning Rate Method"), like <c>torch.optim.Adadelta</c>.
/// <code>
/// g ← ∇ (negated when maximize) + weight_decay·p
/// v ← ρv + (1 − ρ)g²;  Δ ← √(u + ε)/√(v + ε) · g;  u ← ρu + (1 − ρ)Δ²;  p ← p − lr·Δ
/// </code>
/// Defaults: lr 1.0, rho 0.9, eps 1e-6, weight_decay 0, maximize false.
/// State per parameter: <c>step</c>, <c>square_avg</c>, <c>acc_delta</c>.
/// </summary>
public sealed class Adadelta : Optimizer
{
    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 1.0, DefaultRho = 0.9, DefaultEps = 1e-6, DefaultWeightDecay = 0;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultMaximize = false;

    /// <summary>Adadelta over one group of parameters.</summary>
    public Adadelta(IEnumerable<Tensor> parameters, double lr = DefaultLr, double rho = DefaultRho, double eps = DefaultEps,
        double weightDecay = DefaultWeightDecay, bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(parameters, MakeDefaults(lr, rho, eps, weightDecay, maximize).With(forEach, capturable, differentiable, null)) { }

    /// <summary>Adadelta over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public Adadelta(IEnumerable<ParamGroup> groups, double lr = DefaultLr, double rho = DefaultRho, double eps = DefaultEps,
        double weightDecay = DefaultWeightDecay, bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(groups, MakeDefaults(lr, rho, eps, weightDecay, maximize).With(forEach, capturable, differentiable, null)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, double rho, double eps, double weightDecay, bool maximize)
    {
        Check.Lr(lr);
        if (!(rho >= 0 && rho <= 1)) throw Check.OutOfRange($"Invalid rho value: {Check.Num(rho)}");
        Check.Eps(eps);
        Check.WeightDecay(weightDecay);
        return new()
        {
            ["lr"] = lr, ["rho"] = rho, ["eps"] = eps, ["weight_decay"] = weightDecay, ["maximize"] = maximize,
            ["capturable"] = false, ["foreach"] = null, ["differentiable"] = false,
        };
    }

    // Reused every step: the step loop and its plan of per-parameter updates.
    private readonly StepLoop<AdadeltaState, AdadeltaJob> steps = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) => steps.Run(this, group, new Rule(group));

    /// <summary>
    /// The step as tensor operations, PyTorch's <c>_single_tensor_adadelta</c> with <c>differentiable=True</c>: with
    /// <c>differentiable</c> the optimizer steps with gradients enabled, so autograd records the update (δ is cloned
    /// before it is scaled in place, so the square root's saved result is left alone).
    /// </summary>
    private protected override void DifferentiableStep(ParamGroup group)
    {
        double lr = group.Lr, rho = group.GetDouble("rho"), eps = group.GetDouble("eps"),
            weightDecay = group.GetDouble("weight_decay");
        bool maximize = group.GetBool("maximize");
        foreach (var (p, grad) in RecordedStep.WithGrads(group, nameof(Adadelta)))
        {
            var s = GetState(p, AdadeltaState.Schema.Create);
            s.Step++;
            var g = RecordedStep.Grad(p, grad, maximize, weightDecay);
            s.SquareAvg.Mul_(rho).Addcmul_(g, g, 1 - rho);
            var std = s.SquareAvg.Add(eps).Sqrt_();
            var delta = s.AccDelta.Add(eps).Sqrt_().Clone();
            delta.Div_(std).Mul_(g);
            s.AccDelta.Mul_(rho).Addcmul_(delta, delta, 1 - rho);
            p.Add_(delta, -lr);
        }
    }

    // One group's step: its hyperparameters, and each parameter's state and update.
    private readonly struct Rule(ParamGroup group) : IStepRule<AdadeltaState, AdadeltaJob>
    {
        private readonly AdadeltaHyper h = AdadeltaHyper.For(group.Lr, group.GetDouble("rho"), group.GetDouble("eps"),
            group.GetDouble("weight_decay"), group.GetBool("maximize"));

        public AdadeltaState NewState(Tensor p) => AdadeltaState.Schema.Create(p);

        public bool TryJob(Tensor p, Tensor grad, AdadeltaState s, out AdadeltaJob job)
        {
            s.Step++;
            job = new AdadeltaJob(TensorSlice.Of(p), TensorSlice.Of(grad.Contiguous()), TensorSlice.Of(s.SquareAvg), TensorSlice.Of(s.AccDelta), h);
            return true;
        }
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        AdadeltaState.Schema.Load(param, entries, paramName);
}

/// <summary>Adadelta's state.</summary>
public sealed class AdadeltaState : ParamState
{
    /// <summary>Steps taken.</summary>
    public long Step { get; set; }

    /// <summary>PyTorch's <c>square_avg</c> (running mean of g²).</summary>
    public required Tensor SquareAvg { get; init; }

    /// <summary>PyTorch's <c>acc_delta</c> (running mean of Δ²).</summary>
    public required Tensor AccDelta { get; init; }

    /// <summary>The state-dict entries, each named once: PyTorch's keys, types and order.</summary>
    internal static readonly StateSchema<AdadeltaState> Schema = new StateSchema<AdadeltaState>(p => new() { SquareAvg = Tensor.ZerosLike(p), AccDelta = Tensor.ZerosLike(p) })
        .Step(s => s.Step, (s, v) => s.Step = v)
        .Buffer("square_avg", s => s.SquareAvg)
        .Buffer("acc_delta", s => s.AccDelta);

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);
}
