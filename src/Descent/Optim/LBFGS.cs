using Descent.Autograd;
using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// L-BFGS (Nocedal, 1980, "Updating Quasi-Newton Matrices with Limited Storage"; Liu &amp; Nocedal, 1989), like
/// <c>torch.optim.LBFGS</c>, after minFunc, with an optional strong-Wolfe line search. Each <see cref="Optimizer.Step"/>
/// needs a closure that re-evaluates the loss and its gradients, and runs up to max_iter iterations:
/// <code>
/// d ← −H·g by the two-loop recursion over the last history_size pairs (s, y), H₀ = (sᵀy / yᵀy)·I
/// t ← min(1, 1/‖g‖₁)·lr on the very first iteration, else lr;  strong_wolfe: t from the line search
/// p ← p + t·d;  stop on max_iter, max_eval, ‖g‖∞ ≤ tolerance_grad, ‖t·d‖∞ ≤ tolerance_change, |Δloss| &lt; tolerance_change
/// </code>
/// Defaults: lr 1, max_iter 20, max_eval max_iter·5/4, tolerance_grad 1e-7, tolerance_change 1e-9, history_size 100,
/// line_search_fn None (or "strong_wolfe"). One parameter group only.
/// State (kept, as in PyTorch, under the first parameter): <c>func_evals</c>, <c>n_iter</c>, <c>d</c>, <c>t</c>,
/// <c>old_dirs</c>, <c>old_stps</c>, <c>ro</c>, <c>H_diag</c>, <c>prev_flat_grad</c>, <c>prev_loss</c>, <c>al</c>.
/// </summary>
public sealed class LBFGS : Optimizer
{
    private const string GroupsMessage = "LBFGS doesn't support per-parameter options (parameter groups)";

    /// <summary>PyTorch's defaults, shared by the constructors and the optimizer registry.</summary>
    public const double DefaultLr = 1, DefaultToleranceGrad = 1e-7, DefaultToleranceChange = 1e-9;
    /// <summary>PyTorch's defaults of the integer options.</summary>
    public const int DefaultMaxIter = 20, DefaultHistorySize = 100;
    /// <summary>PyTorch's defaults of the string options (None).</summary>
    public const string? DefaultLineSearchFn = null;

    /// <summary>L-BFGS over the parameters.</summary>
    public LBFGS(IEnumerable<Tensor> parameters, double lr = DefaultLr, int maxIter = DefaultMaxIter, int? maxEval = null,
        double toleranceGrad = DefaultToleranceGrad, double toleranceChange = DefaultToleranceChange,
        int historySize = DefaultHistorySize, string? lineSearchFn = DefaultLineSearchFn)
        : base(parameters, MakeDefaults(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn)) { }

    /// <summary>L-BFGS over one group given as a <see cref="ParamGroup"/>; more than one group is refused, as in PyTorch.</summary>
    public LBFGS(IEnumerable<ParamGroup> groups, double lr = DefaultLr, int maxIter = DefaultMaxIter, int? maxEval = null,
        double toleranceGrad = DefaultToleranceGrad, double toleranceChange = DefaultToleranceChange,
        int historySize = DefaultHistorySize, string? lineSearchFn = DefaultLineSearchFn)
        : base(groups, MakeDefaults(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, int maxIter, int? maxEval, double toleranceGrad,
        double toleranceChange, int historySize, string? lineSearchFn)
    {
        Check.Lr(lr);
        return new()
        {
            ["lr"] = lr, ["max_iter"] = maxIter, ["max_eval"] = maxEval ?? DefaultMaxEval(maxIter), ["tolerance_grad"] = toleranceGrad,
            ["tolerance_change"] = toleranceChange, ["history_size"] = historySize, ["line_search_fn"] = lineSearchFn,
        };
    }

    // PyTorch's max_iter * 5 // 4 (Python integers: floor division, no overflow), clamped to int: no run gets near it.
    private static int DefaultMaxEval(int maxIter) =>
        (int)Math.Clamp(Math.Floor(maxIter * 5.0 / 4), int.MinValue, int.MaxValue);

    /// <inheritdoc/>
    protected override void ValidateGroup(ParamGroup group)
    {
        if (ParamGroups.Count >= 1) throw new ArgumentException(GroupsMessage);
    }

    private List<Tensor> Params => ParamGroups[0].Params;

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) =>
        throw new InvalidOperationException("LBFGS steps through its closure; call Step(closure)");

    /// <inheritdoc/>
    protected override Tensor? StepCore(Func<Tensor>? closure)
    {
        if (closure is null) throw new ArgumentException("LBFGS needs a closure that reevaluates the model and returns the loss");
        if (ParamGroups.Count != 1) throw new InvalidOperationException(GroupsMessage);
        foreach (var p in Params) Check.Float32(p, nameof(LBFGS));
        var group = ParamGroups[0];
        double lr = group.Lr, tolGrad = group.GetDouble("tolerance_grad"), tolChange = group.GetDouble("tolerance_change");
        int maxIter = group.GetInt("max_iter"), maxEval = group.GetInt("max_eval"), historySize = group.GetInt("history_size");
        string? lineSearchFn = group.GetString("line_search_fn");
        var state = GetState(Params[0], _ => new LbfgsState());

        Tensor Evaluate()
        {
            using (GradMode.Set(true)) return closure();
        }

        var origLoss = Evaluate();
        double loss = (float)origLoss.Item();
        int currentEvals = 1;
        state.FuncEvals++;
        var flatGrad = GatherFlatGrad();
        if (MaxAbs(flatGrad) <= (float)tolGrad) return origLoss;

        float[]? d = state.D, prevFlatGrad = state.PrevFlatGrad;
        double t = state.T;
        var oldDirs = state.OldDirs; var oldStps = state.OldStps; var ro = state.Ro;
        float hDiag = state.HDiag;
        double prevLoss = state.PrevLoss;
        int nIter = 0;
        while (nIter < maxIter)
        {
            nIter++;
            state.NIter++;
            if (state.NIter == 1)
            {
                d = Neg(flatGrad);
                oldDirs = []; oldStps = []; ro = [];
                hDiag = 1;
            }
            else
            {
                var y = new float[flatGrad.Length];
                var s = new float[flatGrad.Length];
                for (int i = 0; i < y.Length; i++) { y[i] = flatGrad[i] - prevFlatGrad![i]; s[i] = d![i] * (float)t; }
                float ys = Fp.Dot(y, s);
                if (ys > (float)1e-10)
                {
                    if (oldDirs.Count == historySize) { oldDirs.RemoveAt(0); oldStps.RemoveAt(0); ro.RemoveAt(0); }
                    oldDirs.Add(y); oldStps.Add(s); ro.Add(1f / ys);
                    hDiag = ys / Fp.Dot(y, y);
                }
                int numOld = oldDirs.Count;
                state.Al ??= new float?[historySize];
                var al = state.Al;
                var q = Neg(flatGrad);
                for (int i = numOld - 1; i >= 0; i--)
                {
                    float a = Fp.Dot(oldStps[i], q) * ro[i];
                    al[i] = a;
                    Axpy(q, oldDirs[i], -a);
                }
                var r = new float[q.Length];
                for (int i = 0; i < r.Length; i++) r[i] = q[i] * hDiag;
                for (int i = 0; i < numOld; i++)
                {
                    float be = Fp.Dot(oldDirs[i], r) * ro[i];
                    Axpy(r, oldStps[i], al[i]!.Value - be);
                }
                d = r;
            }
            if (prevFlatGrad is null) prevFlatGrad = (float[])flatGrad.Clone();
            else flatGrad.CopyTo(prevFlatGrad, 0);
            prevLoss = loss;

            if (state.NIter == 1)
            {
                // min(1., 1. / flat_grad.abs().sum()) * lr: a float32 tensor when the reciprocal wins.
                float inv = 1f / SumAbs(flatGrad);
                t = inv < 1f ? inv * (float)lr : 1.0 * lr;
            }
            else t = lr;

            float gtd = Fp.Dot(flatGrad, d!);
            if (gtd > (float)-tolChange) break;

            int lsFuncEvals = 0;
            bool optCond = false;
            if (lineSearchFn is not null)
            {
                if (lineSearchFn != "strong_wolfe") throw new InvalidOperationException("only 'strong_wolfe' is supported");
                var xInit = Params.Select(p => p.AsSpan().ToArray()).ToArray();
                (double, float[]) Objective(double tt, float[] dd)
                {
                    AddGrad(tt, dd);
                    double l = (float)Evaluate().Item();
                    var fg = GatherFlatGrad();
                    for (int i = 0; i < Params.Count; i++) { xInit[i].CopyTo(Params[i].AsSpan()); Params[i].BumpVersion(); }
                    return (l, fg);
                }
                (loss, flatGrad, t, lsFuncEvals) = LbfgsLineSearch.StrongWolfe(Objective, t, d!, loss, flatGrad, gtd);
                AddGrad(t, d!);
                optCond = MaxAbs(flatGrad) <= (float)tolGrad;
            }
            else
            {
                AddGrad(t, d!);
                if (nIter != maxIter)
                {
                    loss = (float)Evaluate().Item();
                    flatGrad = GatherFlatGrad();
                    optCond = MaxAbs(flatGrad) <= (float)tolGrad;
                    lsFuncEvals = 1;
                }
            }
            currentEvals += lsFuncEvals;
            state.FuncEvals += lsFuncEvals;

            if (nIter == maxIter) break;
            if (currentEvals >= maxEval) break;
            if (optCond) break;
            float maxStep = 0;
            foreach (var v in d!) maxStep = MathF.Max(maxStep, MathF.Abs(v * (float)t));
            if (maxStep <= (float)tolChange) break;
            if (Math.Abs(loss - prevLoss) < tolChange) break;
        }
        state.D = d; state.T = t; state.OldDirs = oldDirs; state.OldStps = oldStps; state.Ro = ro;
        state.HDiag = hDiag; state.PrevFlatGrad = prevFlatGrad; state.PrevLoss = prevLoss;
        return origLoss;
    }

    private float[] GatherFlatGrad()
    {
        int n = 0;
        foreach (var p in Params) n += p.Numel;
        var flat = new float[n];
        int o = 0;
        foreach (var p in Params)
        {
            if (p.Grad is not null) p.Grad.Contiguous().AsSpan().CopyTo(flat.AsSpan(o));
            o += p.Numel;
        }
        return flat;
    }

    // p ← p + t·d, parameter by parameter, as PyTorch's _add_grad (add_ with alpha=t).
    private void AddGrad(double t, float[] d)
    {
        float ft = (float)t;
        int o = 0;
        foreach (var p in Params)
        {
            var span = p.AsSpan();
            for (int i = 0; i < span.Length; i++) span[i] = MathF.FusedMultiplyAdd(d[o + i], ft, span[i]);
            o += span.Length;
            p.BumpVersion();
        }
    }

    private static void Axpy(float[] y, float[] x, float a)
    {
        for (int i = 0; i < y.Length; i++) y[i] = MathF.FusedMultiplyAdd(x[i], a, y[i]);
    }

    private static float[] Neg(float[] x)
    {
        var r = new float[x.Length];
        for (int i = 0; i < r.Length; i++) r[i] = -x[i];
        return r;
    }

    private static float MaxAbs(float[] x)
    {
        float m = 0;
        foreach (var v in x) m = MathF.Max(m, MathF.Abs(v));
        return m;
    }

    private static float SumAbs(float[] x)
    {
        double s = 0;
        foreach (var v in x) s += Math.Abs(v);
        return (float)s;
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        LbfgsState.Schema.Load(param, entries, paramName);
}
