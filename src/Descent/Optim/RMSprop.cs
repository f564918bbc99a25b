using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// RMSprop (Hinton, Lecture 6e of "Neural Networks for Machine Learning"; centred form from Graves, 2013),
/// like <c>torch.optim.RMSprop</c>.
/// <code>
/// g ← ∇ (negated when maximize) + weight_decay·p;  v ← αv + (1 − α)g²
/// centred: ḡ ← αḡ + (1 − α)g, a ← √(v − ḡ²) + ε; else a ← √v + ε
/// momentum: b ← μb + g/a, p ← p − lr·b;  else p ← p − lr·g/a
/// </code>
/// Defaults: lr 1e-2, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered false, maximize false.
/// State per parameter: <c>step</c>, <c>square_avg</c>, <c>momentum_buffer</c> (momentum &gt; 0), <c>grad_avg</c> (centred).
/// </summary>
public sealed class RMSprop : Optimizer
{
    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 1e-2, DefaultAlpha = 0.99, DefaultEps = 1e-8, DefaultWeightDecay = 0, DefaultMomentum = 0;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultCentered = false, DefaultMaximize = false;

    /// <summary>RMSprop over one group of parameters.</summary>
    public RMSprop(IEnumerable<Tensor> parameters, double lr = DefaultLr, double alpha = DefaultAlpha,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay, double momentum = DefaultMomentum,
        bool centered = DefaultCentered, bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(parameters, MakeDefaults(lr, alpha, eps, weightDecay, momentum, centered, maximize).With(forEach, capturable, differentiable, null)) { }

    /// <summary>RMSprop over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public RMSprop(IEnumerable<ParamGroup> groups, double lr = DefaultLr, double alpha = DefaultAlpha,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay, double momentum = DefaultMomentum,
        bool centered = DefaultCentered, bool maximize = DefaultMaximize,
        bool? forEach = null, bool capturable = DefaultCapturable, bool differentiable = DefaultDifferentiable)
        : base(groups, MakeDefaults(lr, alpha, eps, weightDecay, momentum, centered, maximize).With(forEach, capturable, differentiable, null)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, double alpha, double eps, double weightDecay,
        double momentum, bool centered, bool maximize)
    {
        Check.Lr(lr);
        Check.Eps(eps);
        Check.Momentum(momentum);
        Check.WeightDecay(weightDecay);
        if (!(alpha >= 0)) throw new ArgumentOutOfRangeException(null, $"Invalid alpha value: {Check.Num(alpha)}");
        return new()
        {
            ["lr"] = lr, ["momentum"] = momentum, ["alpha"] = alpha, ["eps"] = eps, ["centered"] = centered,
            ["weight_decay"] = weightDecay, ["capturable"] = false, ["foreach"] = null, ["maximize"] = maximize,
            ["differentiable"] = false,
        };
    }

    // Reused every step: the step loop and its plan of per-parameter updates.
    private readonly StepLoop<RmspropState, RmspropJob> steps = new();

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) => steps.Run(this, group, new Rule(group));

    /// <summary>
    /// The step as tensor operations, PyTorch's <c>_single_tensor_rmsprop</c> with <c>differentiable=True</c>: with
    /// <c>differentiable</c> the optimizer steps with gradients enabled, so autograd records the update (ε is added out
    /// of place, so the square root's saved result is left alone).
    /// </summary>
    private protected override void DifferentiableStep(ParamGroup group)
    {
        double lr = group.Lr, alpha = group.GetDouble("alpha"), eps = group.GetDouble("eps"),
            weightDecay = group.GetDouble("weight_decay"), momentum = group.GetDouble("momentum");
        bool centered = group.GetBool("centered"), maximize = group.GetBool("maximize");
        foreach (var (p, grad) in RecordedStep.WithGrads(group, nameof(RMSprop)))
        {
            var s = GetState(p, RmspropState.Schema.Create);
            s.Step++;
            var g = RecordedStep.Grad(p, grad, maximize, weightDecay);
            s.SquareAvg.Mul_(alpha).Addcmul_(g, g, 1 - alpha);
            Tensor avg;
            if (centered)
            {
                var gradAvg = s.GradAvg ??= Tensor.ZerosLike(p);
                gradAvg.Lerp_(g, 1 - alpha);
                avg = s.SquareAvg.Addcmul(gradAvg, gradAvg, -1).Sqrt_();
            }
            else avg = s.SquareAvg.Sqrt();
            avg = avg.Add(eps);
            if (momentum > 0)
            {
                var buf = s.MomentumBuffer ??= Tensor.ZerosLike(p);
                buf.Mul_(momentum).Addcdiv_(g, avg);
                p.Add_(buf, -lr);
            }
            else p.Addcdiv_(g, avg, -lr);
        }
    }

    // One group's step: its hyperparameters, and each parameter's state and update.
    private readonly struct Rule : IStepRule<RmspropState, RmspropJob>
    {
        private readonly RmspropHyper h;

        public Rule(ParamGroup group)
        {
            double alpha = group.GetDouble("alpha");
            h = new RmspropHyper(group.Lr, alpha, group.GetDouble("eps"),
                group.GetDouble("weight_decay"), group.GetDouble("momentum"), group.GetBool("centered"), group.GetBool("maximize"));
        }

        public RmspropState NewState(Tensor p) => RmspropState.Schema.Create(p);

        public bool TryJob(Tensor p, Tensor grad, RmspropState s, out RmspropJob job)
        {
            if (h.Momentum > 0) s.MomentumBuffer ??= Tensor.ZerosLike(p);
            if (h.Centered) s.GradAvg ??= Tensor.ZerosLike(p);
            s.Step++;
            job = new RmspropJob(TensorSlice.Of(p), TensorSlice.Of(grad.Contiguous()), TensorSlice.Of(s.SquareAvg),
                TensorSlice.OfOptional(s.GradAvg), TensorSlice.OfOptional(s.MomentumBuffer), h);
            return true;
        }
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        RmspropState.Schema.Load(param, entries, paramName);
}

/// <summary>RMSprop's state.</summary>
public sealed class RmspropState : ParamState
{
    /// <summary>Steps taken.</summary>
    public long Step { get; set; }

    /// <summary>PyTorch's <c>square_avg</c>.</summary>
    public required Tensor SquareAvg { get; init; }

    /// <summary>PyTorch's <c>momentum_buffer</c>, only with momentum.</summary>
    public Tensor? MomentumBuffer { get; set; }

    /// <summary>PyTorch's <c>grad_avg</c>, only when centred.</summary>
    public Tensor? GradAvg { get; set; }

    /// <summary>The state-dict entries, each named once: PyTorch's keys, types and order.</summary>
    internal static readonly StateSchema<RmspropState> Schema = new StateSchema<RmspropState>(p => new() { SquareAvg = Tensor.ZerosLike(p) })
        .Step(s => s.Step, (s, v) => s.Step = v)
        .Buffer("square_avg", s => s.SquareAvg)
        .OptionalBuffer("momentum_buffer", s => s.MomentumBuffer, (s, v) => s.MomentumBuffer = v)
        .OptionalBuffer("grad_avg", s => s.GradAvg, (s, v) => s.GradAvg = v);

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);
}
