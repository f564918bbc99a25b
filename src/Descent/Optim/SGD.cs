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
        bool maximize = DefaultMaximize)
        : base(parameters, Defaults_(lr, momentum, dampening, weightDecay, nesterov, maximize)) { }

    /// <summary>SGD over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public SGD(IEnumerable<ParamGroup> groups, double lr = DefaultLr, double momentum = DefaultMomentum,
        double dampening = DefaultDampening, double weightDecay = DefaultWeightDecay, bool nesterov = DefaultNesterov,
        bool maximize = DefaultMaximize)
        : base(groups, Defaults_(lr, momentum, dampening, weightDecay, nesterov, maximize)) { }

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

    // Reused every step: the queued per-parameter updates, run together (on several threads when large).
    private readonly StepPlan<SgdJob> plan = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group)
    {
        var h = new SgdHyper((float)group.Lr, (float)group.GetDouble("momentum"), (float)group.GetDouble("dampening"),
            (float)group.GetDouble("weight_decay"), group.GetBool("nesterov"), group.GetBool("maximize"));
        var ps = group.Params;
        try
        {
            for (int i = 0; i < ps.Count; i++)
            {
                var p = ps[i];
                if (p.Grad is not { } grad) continue;
                Check.Float32(p, nameof(SGD));
                bool first = false;
                var s = GetState(p, static _ => new SgdState());
                CheckScalars(group, s.MomentumBuffer is not null);
                if (h.Momentum != 0 && s.MomentumBuffer is null)
                {
                    s.MomentumBuffer = Tensor.ZerosLike(p);
                    first = true;
                }
                plan.Add(new SgdJob(FloatSlice.Of(p), FloatSlice.Of(grad.Contiguous()), FloatSlice.OfOptional(s.MomentumBuffer), h, first), p.Numel);
                p.BumpVersion();
            }
        }
        finally
        {
            plan.Run(); // also when a later parameter is refused: the ones before it are updated, as one by one
        }
    }

    /// <summary>
    /// The scalars PyTorch's <c>_single_tensor_sgd</c> passes as <c>alpha</c> for this parameter, each refused as PyTorch
    /// refuses it when it overflows float32 (e.g. lr 1e308): weight_decay, 1 − dampening once a momentum buffer exists,
    /// momentum with Nesterov, −lr.
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
        new SgdState { MomentumBuffer = ParamState.ReadOptionalBuffer(entries, "momentum_buffer", param, paramName) };
}

/// <summary>SGD's state: the momentum buffer, absent without momentum.</summary>
public sealed class SgdState : ParamState
{
    /// <summary>PyTorch's <c>momentum_buffer</c>.</summary>
    public Tensor? MomentumBuffer { get; set; }

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict()
    {
        if (MomentumBuffer is not null) yield return new("momentum_buffer", MomentumBuffer);
    }
}
