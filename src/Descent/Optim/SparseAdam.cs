using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// SparseAdam, the lazy Adam for row-sparse gradients such as an embedding table's, like <c>torch.optim.SparseAdam</c>:
/// only the rows present in the gradient are updated, and only their moments decay.
/// <code>
/// for each present row:  m ← m + (g − m)(1 − β₁);  v ← v + (g² − v)(1 − β₂)
///                        p ← p − lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m/(√v + ε)
/// </code>
/// Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, maximize false.
/// State per parameter: <c>step</c> (a plain integer, as in PyTorch), <c>exp_avg</c>, <c>exp_avg_sq</c>.
/// <para>
/// Row-sparse gradients: a sparse gradient (an <c>Embedding</c> with <c>sparse: true</c>, see <see cref="Tensor.IsSparse"/>)
/// updates exactly the rows it lists, as PyTorch's coalesced sparse gradient. A dense gradient, which PyTorch refuses,
/// is read as row-sparse along dimension 0 —
/// a row (slice <c>p[i]</c>) whose gradient is all zeros is absent, any other row is present. This is exactly
/// PyTorch's <c>grad.to_sparse(1)</c> of the dense gradient; the one difference from a hand-built sparse gradient
/// is that an explicitly stored all-zero row, which PyTorch would count as present (decaying its moments), is absent here.
/// </para>
/// </summary>
public sealed class SparseAdam : Optimizer
{
    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 1e-3, DefaultEps = 1e-8;
    /// <summary>PyTorch's defaults of the switches.</summary>
    public const bool DefaultMaximize = false;
    /// <summary>PyTorch's default <c>betas</c>: (0.9, 0.999).</summary>
    public static readonly (double, double) DefaultBetas = (0.9, 0.999);

    /// <summary>SparseAdam over one group of parameters.</summary>
    public SparseAdam(IEnumerable<Tensor> parameters, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, bool maximize = DefaultMaximize)
        : base(parameters, MakeDefaults(lr, betas ?? DefaultBetas, eps, maximize)) { }

    /// <summary>SparseAdam over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public SparseAdam(IEnumerable<ParamGroup> groups, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, bool maximize = DefaultMaximize)
        : base(groups, MakeDefaults(lr, betas ?? DefaultBetas, eps, maximize)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, (double, double) betas, double eps, bool maximize)
    {
        // SparseAdam, unlike the others, refuses a zero lr or eps.
        if (!(lr > 0)) throw Check.OutOfRange($"Invalid learning rate: {Check.Num(lr)}");
        if (!(eps > 0)) throw Check.OutOfRange($"Invalid epsilon value: {Check.Num(eps)}");
        Check.Betas(betas);
        return new() { ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["maximize"] = maximize };
    }

    /// <summary>The rows of <paramref name="grad"/> (slices along dimension 0) that are not all zero.</summary>
    public static int[] PresentRows(ReadOnlySpan<float> grad, int rows)
    {
        int rowLength = rows == 0 ? 0 : grad.Length / rows;
        var present = new List<int>(rows);
        for (int r = 0; r < rows; r++)
            if (grad.Slice(r * rowLength, rowLength).ContainsAnyExcept(0f)) present.Add(r);
        return [.. present];
    }

    // Reused every step: the step loop and its plan of per-parameter updates.
    private readonly StepLoop<SparseAdamState, SparseAdamJob> steps = new();

    /// <inheritdoc/>
    private protected override string? SparseGradientError(ParamGroup group) => null;

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) => steps.Run(this, group, new Rule(group));

    // One group's step: its hyperparameters, and each parameter's state and update.
    private readonly struct Rule : IStepRule<SparseAdamState, SparseAdamJob>
    {
        private readonly double lr, beta1, beta2, eps;
        private readonly bool maximize;

        public Rule(ParamGroup group)
        {
            (beta1, beta2) = group.GetPair("betas");
            (lr, eps, maximize) = (group.Lr, group.GetDouble("eps"), group.GetBool("maximize"));
        }

        public SparseAdamState NewState(Tensor p) => SparseAdamState.Schema.Create(p);

        public bool TryJob(Tensor p, Tensor g, SparseAdamState s, out SparseAdamJob job)
        {
            s.Step++;
            var grad = g.Contiguous();
            var listed = g.sparseRows;
            if (listed is { Length: 0 })
            {
                job = default;
                return false;
            }
            // An all-zero dense gradient has no rows: nothing changes (the rows themselves are found by the kernel, per chunk).
            if (listed is null && (grad.DType == DType.Float64 ? !grad.AsSpan<double>().ContainsAnyExcept(0.0) : !grad.AsSpan().ContainsAnyExcept(0f)))
            {
                job = default;
                return false;
            }
            int rows = p.Dim == 0 ? 1 : p.Size(0), numel = p.Numel;
            job = new SparseAdamJob(TensorSlice.Of(p), TensorSlice.Of(grad), TensorSlice.Of(s.ExpAvg), TensorSlice.Of(s.ExpAvgSq), numel, numel / rows,
                SparseAdamHyper.For(s.Step, lr, beta1, beta2, eps, maximize), listed);
            return true;
        }
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        SparseAdamState.Schema.Load(param, entries, paramName);
}

/// <summary>SparseAdam's state.</summary>
public sealed class SparseAdamState : ParamState
{
    /// <summary>Steps taken (PyTorch keeps a plain int here, not a tensor).</summary>
    public long Step { get; set; }

    /// <summary>PyTorch's <c>exp_avg</c> (dense).</summary>
    public required Tensor ExpAvg { get; init; }

    /// <summary>PyTorch's <c>exp_avg_sq</c> (dense).</summary>
    public required Tensor ExpAvgSq { get; init; }

    /// <summary>The state-dict entries, each named once: PyTorch's keys, types and order.</summary>
    internal static readonly StateSchema<SparseAdamState> Schema = new StateSchema<SparseAdamState>(p => new() { ExpAvg = Tensor.ZerosLike(p), ExpAvgSq = Tensor.ZerosLike(p) })
        .Step(s => s.Step, (s, v) => s.Step = v, asTensor: false)
        .Buffer("exp_avg", s => s.ExpAvg)
        .Buffer("exp_avg_sq", s => s.ExpAvgSq);

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);
}
