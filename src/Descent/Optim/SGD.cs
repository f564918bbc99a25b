using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// Stochastic gradient descent, optionally with momentum (Polyak, or Nesterov per Sutskever et al., 2013),
/// like <c>torch.optim.SGD</c>.
/// <code>
/// g ← ∇ (negated when maximize) + weight_decay·p
/// b ← g (first step) | momentum·b + (1 − dampening)·g;   g ← g + momentum·b (nesterov) | b
/// p ← p − lr·g
/// </code>
/// Defaults: lr 1e-3, momentum 0, dampening 0, weight_decay 0, nesterov false, maximize false.
/// State per parameter: <c>momentum_buffer</c> (only when momentum ≠ 0).
/// </summary>
public sealed class SGD : Optimizer
{
    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 1e-3, DefaultMomentum = 0, DefaultDampening = 0, DefaultWeightDecay = 0;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultNesterov = false, DefaultMaximize = false;

    /// <summary>SGD over one group of parameters.</summary>
    public SGD(IEnumerable<Tensor> parameters, double lr = DefaultLr, double momentum = DefaultMomentum,
        double dampening = DefaultDampening, double weightDecay = DefaultWeightDecay, bool nesterov = DefaultNesterov,
        bool maximize = DefaultMaximize,
        bool? forEach = null, bool differentiable = DefaultDifferentiable, bool? fused = null)
        : base(parameters, Defaults_(lr, momentum, dampening, weightDecay, nesterov, maximize).With(forEach, false, differentiable, fused)) { }

    /// <summary>SGD over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public SGD(IEnumerable<ParamGroup> groups, double lr = DefaultLr, double momentum = DefaultMomentum,
        double dampening = DefaultDampening, double weightDecay = DefaultWeightDecay, bool nesterov = DefaultNesterov,
        bool maximize = DefaultMaximize,
        bool? forEach = null, bool differentiable = DefaultDifferentiable, bool? fused = null)
        : base(groups, Defaults_(lr, momentum, dampening, weightDecay, nesterov, maximize).With(forEach, false, differentiable, fused)) { }

    private static Dictionary<string, object?> Defaults_(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize)
    {
        // PyTorch's SGD tests with `<`, so NaN passes (a NaN momentum then makes every step after the first NaN).
        if (lr < 0) throw Check.OutOfRange($"Invalid learning rate: {Check.Num(lr)}");
        if (momentum < 0) throw Check.OutOfRange($"Invalid momentum value: {Check.Num(momentum)}");
        if (weightDecay < 0) throw Check.OutOfRange($"Invalid weight_decay value: {Check.Num(weightDecay)}");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        return new()
        {
            ["lr"] = lr, ["momentum"] = momentum, ["dampening"] = dampening, ["weight_decay"] = weightDecay,
            ["nesterov"] = nesterov, ["maximize"] = maximize, ["foreach"] = null, ["differentiable"] = false, ["fused"] = null,
        };
    }

    /// <inheritdoc/>
    protected override void ValidateGroup(ParamGroup group)
    {
        if (group.GetBool("nesterov") && (group.GetDouble("momentum") <= 0 || group.GetDouble("dampening") != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
    }

    // Reused every step: the step loop and its plan of per-parameter updates.
    private readonly StepLoop<SgdState, SgdJob> steps = new();

    // A row-sparse gradient's absent rows are zeros, so the dense update gives PyTorch's sparse one exactly.
    /// <inheritdoc/>
    private protected override string? SparseGradientError(ParamGroup group) => null;

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) => steps.Run(this, group, new Rule(group));

    /// <summary>
    /// The step as tensor operations, PyTorch's <c>_single_tensor_sgd</c> line for line: with <c>differentiable</c>
    /// the optimizer steps with gradients enabled, so autograd records the update (the first momentum buffer is a
    /// detached copy of the gradient, as in PyTorch).
    /// </summary>
    private protected override void DifferentiableStep(ParamGroup group)
    {
        double lr = group.Lr, momentum = group.GetDouble("momentum"), dampening = group.GetDouble("dampening"),
            weightDecay = group.GetDouble("weight_decay");
        bool nesterov = group.GetBool("nesterov"), maximize = group.GetBool("maximize");
        foreach (var (p, grad) in RecordedStep.WithGrads(group, nameof(SGD)))
        {
            var s = GetState(p, SgdState.Schema.Create);
            var g = RecordedStep.Grad(p, grad, maximize, weightDecay);
            if (momentum != 0)
            {
                if (s.MomentumBuffer is not { } buf) s.MomentumBuffer = buf = g.Clone().Detach();
                else buf.Mul_(momentum).Add_(g, 1 - dampening);
                g = nesterov ? g.Add(buf, momentum) : buf;
            }
            p.Add_(g, -lr);
        }
    }

    // One group's step: its hyperparameters, and each parameter's state and update.
    private readonly struct Rule(ParamGroup group) : IStepRule<SgdState, SgdJob>
    {
        private readonly SgdHyper h = new(group.Lr, group.GetDouble("momentum"), group.GetDouble("dampening"),
            group.GetDouble("weight_decay"), group.GetBool("nesterov"), group.GetBool("maximize"));

        public SgdState NewState(Tensor p) => SgdState.Schema.Create(p);

        public bool TryJob(Tensor p, Tensor grad, SgdState s, out SgdJob job)
        {
            if (p.DType == DType.Float32) CheckScalars(group, s.MomentumBuffer is not null);
            bool first = false;
            if (h.Momentum != 0 && s.MomentumBuffer is null)
            {
                s.MomentumBuffer = Tensor.ZerosLike(p);
                first = true;
            }
            job = new SgdJob(TensorSlice.Of(p), TensorSlice.Of(grad.Contiguous()), TensorSlice.OfOptional(s.MomentumBuffer), h, first);
            return true;
        }
    }

    /// <summary>
    /// The scalars PyTorch's <c>_single_tensor_sgd</c> passes as <c>alpha</c> for a float32 parameter, each refused as
    /// PyTorch refuses it when it overflows float32 (e.g. lr 1e308; a float64 parameter takes any double): weight_decay,
    /// 1 − dampening once a momentum buffer exists, momentum with Nesterov, −lr.
    /// </summary>
    private static void CheckScalars(ParamGroup group, bool hasBuffer)
    {
        double momentum = group.GetDouble("momentum"), weightDecay = group.GetDouble("weight_decay");
        if (weightDecay != 0) Check.ScalarToFloat(weightDecay);
        if (momentum != 0)
        {
            if (hasBuffer) Check.ScalarToFloat(1 - group.GetDouble("dampening"));
            if (group.GetBool("nesterov")) Check.ScalarToFloat(momentum);
        }
        Check.ScalarToFloat(-group.Lr);
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        SgdState.Schema.Load(param, entries, paramName);
}

/// <summary>SGD's state: the momentum buffer, absent without momentum.</summary>
public sealed class SgdState : ParamState
{
    /// <summary>PyTorch's <c>momentum_buffer</c>.</summary>
    public Tensor? MomentumBuffer { get; set; }

    /// <summary>The state-dict entries, each named once: PyTorch's keys, types and order.</summary>
    internal static readonly StateSchema<SgdState> Schema = new StateSchema<SgdState>(_ => new())
        .OptionalBuffer("momentum_buffer", s => s.MomentumBuffer, (s, v) => s.MomentumBuffer = v);

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);
}
