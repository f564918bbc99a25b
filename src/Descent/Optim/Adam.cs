using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015, "Adam: A Method for Stochastic Optimization"), like <c>torch.optim.Adam</c>;
/// with amsgrad the variant of Reddi et al. (2018), with decoupledWeightDecay it is AdamW (Loshchilov &amp; Hutter, 2019).
/// <code>
/// g ← ∇ (negated when maximize) + weight_decay·p   (decoupled: p ← p·(1 − lr·weight_decay) instead)
/// m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  v̂ ← max(v̂, v) with amsgrad
/// p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, amsgrad false, maximize false, decoupled_weight_decay false.
/// State per parameter: <c>step</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>, and <c>max_exp_avg_sq</c> only with amsgrad.
/// </summary>
public class Adam : Optimizer
{
    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 1e-3, DefaultEps = 1e-8, DefaultWeightDecay = 0;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultAmsgrad = false, DefaultMaximize = false, DefaultDecoupledWeightDecay = false;
    /// <summary>PyTorch's default <c>betas</c>: (0.9, 0.999).</summary>
    public static readonly (double, double) DefaultBetas = (0.9, 0.999);

    /// <summary>Adam over one group of parameters.</summary>
    public Adam(IEnumerable<Tensor> parameters, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay, bool amsgrad = DefaultAmsgrad,
        bool maximize = DefaultMaximize, bool decoupledWeightDecay = DefaultDecoupledWeightDecay,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable, bool? fused = null)
        : base(parameters, MakeDefaults(lr, betas ?? DefaultBetas, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay).With(forEach, capturable, differentiable, fused)) { }

    /// <summary>Adam over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public Adam(IEnumerable<ParamGroup> groups, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay, bool amsgrad = DefaultAmsgrad,
        bool maximize = DefaultMaximize, bool decoupledWeightDecay = DefaultDecoupledWeightDecay,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable, bool? fused = null)
        : base(groups, MakeDefaults(lr, betas ?? DefaultBetas, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay).With(forEach, capturable, differentiable, fused)) { }

    private protected static Dictionary<string, object?> MakeDefaults(double lr, (double, double) betas, double eps,
        double weightDecay, bool amsgrad, bool maximize, bool decoupledWeightDecay)
    {
        Check.Lr(lr);
        Check.Eps(eps);
        Check.Betas(betas);
        Check.WeightDecay(weightDecay);
        return new()
        {
            ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["amsgrad"] = amsgrad,
            ["maximize"] = maximize, ["foreach"] = null, ["capturable"] = false, ["differentiable"] = false,
            ["fused"] = null, ["decoupled_weight_decay"] = decoupledWeightDecay,
        };
    }

    // Reused every step: the step loop and its plan of per-parameter updates.
    private readonly StepLoop<AdamState, AdamJob> steps = new();

    /// <inheritdoc/>
    private protected override string? SparseGradientError(ParamGroup group) => GetType() == typeof(Adam)
        ? "Adam does not support sparse gradients, please consider SparseAdam instead" : base.SparseGradientError(group);

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) => steps.Run(this, group, new Rule(group));

    /// <summary>
    /// The step as tensor operations, PyTorch's <c>_single_tensor_adam</c> with <c>differentiable=True</c>: with
    /// <c>differentiable</c> the optimizer steps with gradients enabled, so autograd records the update. As in PyTorch,
    /// this path takes the capturable form of the update, whose bias corrections are float32 scalars (PyTorch's step
    /// count is a float32 tensor there): p ← p + m / (√v / (√(1 − β₂ᵗ)·(−lr/(1 − β₁ᵗ))) + ε/(−lr/(1 − β₁ᵗ))).
    /// </summary>
    private protected override void DifferentiableStep(ParamGroup group)
    {
        var (beta1, beta2) = group.GetPair("betas");
        double lr = group.Lr, eps = group.GetDouble("eps"), weightDecay = group.GetDouble("weight_decay");
        bool amsgrad = group.GetBool("amsgrad"), maximize = group.GetBool("maximize");
        bool decoupled = group.Has("decoupled_weight_decay") && group.GetBool("decoupled_weight_decay");
        foreach (var (p, grad) in RecordedStep.WithGrads(group, GetType().Name))
        {
            var s = GetState(p, AdamState.Schema.Create);
            if (amsgrad) s.MaxExpAvgSq ??= Tensor.ZerosLike(p);
            s.Step++;
            var g = RecordedStep.Grad(p, grad, maximize, weightDecay, decoupled, lr);
            s.ExpAvg.Lerp_(g, 1 - beta1);
            s.ExpAvgSq.Mul_(beta2).Addcmul_(g, g, 1 - beta2);
            var (scale, shift) = CapturableScalars(s.Step, lr, beta1, beta2, eps);
            Tensor denom;
            if (amsgrad)
            {
                var max = s.MaxExpAvgSq!;
                max.Copy_(max.Clone().Maximum(s.ExpAvgSq));
                denom = max.Sqrt().Div(scale).Add_(shift);
            }
            else denom = s.ExpAvgSq.Sqrt().Div(scale).Add_(shift);
            p.Addcdiv_(s.ExpAvg.Clone(), denom);
        }
    }

    /// <summary>
    /// The capturable path's scalars as PyTorch computes them on its float32 step tensor, each operation rounded to
    /// float32: bc₁ = 1 − β₁ᵗ, bc₂ = 1 − β₂ᵗ, step_size_neg = −(lr/bc₁) (Python's <c>lr / t</c> is
    /// <c>t.reciprocal() * lr</c>); the divisor √bc₂·step_size_neg and the shift ε/step_size_neg.
    /// </summary>
    private static (float Scale, float Shift) CapturableScalars(long step, double lr, double beta1, double beta2, double eps)
    {
        float t = step;
        float bc1 = 1f - MathF.Pow((float)beta1, t), bc2 = 1f - MathF.Pow((float)beta2, t);
        float stepSizeNeg = -(1f / bc1 * (float)lr);
        return (MathF.Sqrt(bc2) * stepSizeNeg, 1f / stepSizeNeg * (float)eps);
    }

    // One group's step: its hyperparameters, and each parameter's state and update.
    private struct Rule : IStepRule<AdamState, AdamJob>
    {
        private readonly double lr, beta1, beta2, eps, wd;
        private readonly bool amsgrad, maximize, decoupled;
        private long hyperStep; // the step count `hyper` was computed for (0: none yet)
        private AdamHyper hyper;

        public Rule(ParamGroup group)
        {
            (beta1, beta2) = group.GetPair("betas");
            (lr, eps, wd) = (group.Lr, group.GetDouble("eps"), group.GetDouble("weight_decay"));
            (amsgrad, maximize) = (group.GetBool("amsgrad"), group.GetBool("maximize"));
            decoupled = group.Has("decoupled_weight_decay") && group.GetBool("decoupled_weight_decay");
        }

        public readonly AdamState NewState(Tensor p) => AdamState.Schema.Create(p);

        public bool TryJob(Tensor p, Tensor grad, AdamState s, out AdamJob job)
        {
            if (amsgrad) s.MaxExpAvgSq ??= Tensor.ZerosLike(p);
            s.Step++;
            // Parameters usually share a step count, so the bias corrections are computed once per group.
            if (s.Step != hyperStep)
            {
                hyper = AdamHyper.For(s.Step, lr, beta1, beta2, eps, wd, decoupled, amsgrad, maximize);
                hyperStep = s.Step;
            }
            job = new AdamJob(TensorSlice.Of(p), TensorSlice.Of(grad.Contiguous()), TensorSlice.Of(s.ExpAvg), TensorSlice.Of(s.ExpAvgSq),
                amsgrad ? TensorSlice.Of(s.MaxExpAvgSq!) : default, hyper);
            return true;
        }
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        AdamState.Schema.Load(param, entries, paramName);
}

/// <summary>Adam's state: step count, first and second moments, and the running maximum with amsgrad.</summary>
public sealed class AdamState : ParamState
{
    /// <summary>Steps taken.</summary>
    public long Step { get; set; }

    /// <summary>PyTorch's <c>exp_avg</c> (first moment).</summary>
    public required Tensor ExpAvg { get; init; }

    /// <summary>PyTorch's <c>exp_avg_sq</c> (second moment).</summary>
    public required Tensor ExpAvgSq { get; init; }

    /// <summary>PyTorch's <c>max_exp_avg_sq</c>, only with amsgrad.</summary>
    public Tensor? MaxExpAvgSq { get; set; }

    /// <summary>The state-dict entries, each named once: PyTorch's keys, types and order.</summary>
    internal static readonly StateSchema<AdamState> Schema = new StateSchema<AdamState>(p => new() { ExpAvg = Tensor.ZerosLike(p), ExpAvgSq = Tensor.ZerosLike(p) })
        .Step(s => s.Step, (s, v) => s.Step = v)
        .Buffer("exp_avg", s => s.ExpAvg)
        .Buffer("exp_avg_sq", s => s.ExpAvgSq)
        .OptionalBuffer("max_exp_avg_sq", s => s.MaxExpAvgSq, (s, v) => s.MaxExpAvgSq = v);

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);
}
