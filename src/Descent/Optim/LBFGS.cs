using System.Numerics;
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
/// line_search_fn None (or "strong_wolfe"). One parameter group only. The flat vectors, and all the arithmetic on
/// them, are float64 when any parameter is (as <c>torch.cat</c> promotes the gradients), else float32.
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

    // PyTorch reads a sparse gradient densely (to_dense), as Descent stores it.
    /// <inheritdoc/>
    private protected override string? SparseGradientError(ParamGroup group) => null;

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group) =>
        throw new InvalidOperationException("LBFGS steps through its closure; call Step(closure)");

    /// <inheritdoc/>
    protected override Tensor? StepCore(Func<Tensor>? closure)
    {
        if (closure is null) throw new ArgumentException("LBFGS needs a closure that reevaluates the model and returns the loss");
        if (ParamGroups.Count != 1) throw new InvalidOperationException(GroupsMessage);
        bool anyDouble = false;
        foreach (var p in Params)
        {
            if (p.DType is not (DType.Float32 or DType.Float64))
                throw new NotSupportedException($"LBFGS steps float32 and float64 parameters; got {p.DType.TorchName()}.");
            anyDouble |= p.DType == DType.Float64;
        }
        return anyDouble ? Run<double>(closure) : Run<float>(closure);
    }

    // PyTorch's LBFGS.step, statement by statement, with the flat vectors in T.
    private Tensor Run<T>(Func<Tensor> closure) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
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
        double loss = origLoss.Item(); // float(orig_loss)
        int currentEvals = 1;
        state.FuncEvals++;
        var flatGrad = GatherFlatGrad<T>();
        if (MaxAbs(flatGrad) <= Fp.Of<T>(tolGrad)) return origLoss;

        T[]? d = LbfgsState.Arr<T>(state.D), prevFlatGrad = LbfgsState.Arr<T>(state.PrevFlatGrad);
        double t = state.T;
        var oldDirs = LbfgsState.Arrs<T>(state.OldDirs);
        var oldStps = LbfgsState.Arrs<T>(state.OldStps);
        var ro = state.Ro;
        T hDiag = Fp.Of<T>(state.HDiag);
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
                hDiag = T.One;
            }
            else
            {
                var y = new T[flatGrad.Length];
                var s = new T[flatGrad.Length];
                T tt = Fp.Of<T>(t);
                for (int i = 0; i < y.Length; i++) { y[i] = flatGrad[i] - prevFlatGrad![i]; s[i] = d![i] * tt; }
                T ys = Fp.Dot<T>(y, s);
                if (ys > Fp.Of<T>(1e-10))
                {
                    if (oldDirs.Count == historySize) { oldDirs.RemoveAt(0); oldStps.RemoveAt(0); ro.RemoveAt(0); }
                    oldDirs.Add(y); oldStps.Add(s); ro.Add(double.CreateTruncating(T.One / ys));
                    hDiag = ys / Fp.Dot<T>(y, y);
                }
                int numOld = oldDirs.Count;
                state.Al ??= new double?[historySize];
                var al = state.Al;
                var q = Neg(flatGrad);
                for (int i = numOld - 1; i >= 0; i--)
                {
                    T a = Fp.Dot<T>(oldStps[i], q) * Fp.Of<T>(ro[i]);
                    al[i] = double.CreateTruncating(a);
                    Axpy(q, oldDirs[i], -a);
                }
                var r = new T[q.Length];
                for (int i = 0; i < r.Length; i++) r[i] = q[i] * hDiag;
                for (int i = 0; i < numOld; i++)
                {
                    T be = Fp.Dot<T>(oldDirs[i], r) * Fp.Of<T>(ro[i]);
                    Axpy(r, oldStps[i], Fp.Of<T>(al[i]!.Value) - be);
                }
                d = r;
            }
            if (prevFlatGrad is null) prevFlatGrad = (T[])flatGrad.Clone();
            else flatGrad.CopyTo(prevFlatGrad, 0);
            prevLoss = loss;

            if (state.NIter == 1)
            {
                // min(1., 1. / flat_grad.abs().sum()) * lr: a tensor of the flat dtype when the reciprocal wins.
                T inv = T.One / SumAbs(flatGrad);
                t = inv < T.One ? double.CreateTruncating(inv * Fp.Of<T>(lr)) : 1.0 * lr;
            }
            else t = lr;

            T gtd = Fp.Dot<T>(flatGrad, d!);
            if (gtd > Fp.Of<T>(-tolChange)) break;

            int lsFuncEvals = 0;
            bool optCond = false;
            if (lineSearchFn is not null)
            {
                if (lineSearchFn != "strong_wolfe") throw new InvalidOperationException("only 'strong_wolfe' is supported");
                var xInit = Params.Select(p => p.Detach().Clone()).ToArray();
                (double, T[]) Objective(double tt, T[] dd)
                {
                    AddGrad(tt, dd);
                    double l = Evaluate().Item();
                    var fg = GatherFlatGrad<T>();
                    for (int i = 0; i < Params.Count; i++) { Params[i].CopyFromUnchecked(xInit[i]); Params[i].BumpVersion(); }
                    return (l, fg);
                }
                (loss, flatGrad, t, lsFuncEvals) = LbfgsLineSearch.StrongWolfe<T>(Objective, t, d!, loss, flatGrad, gtd);
                AddGrad(t, d!);
                optCond = MaxAbs(flatGrad) <= Fp.Of<T>(tolGrad);
            }
            else
            {
                AddGrad(t, d!);
                if (nIter != maxIter)
                {
                    loss = Evaluate().Item();
                    flatGrad = GatherFlatGrad<T>();
                    optCond = MaxAbs(flatGrad) <= Fp.Of<T>(tolGrad);
                    lsFuncEvals = 1;
                }
            }
            currentEvals += lsFuncEvals;
            state.FuncEvals += lsFuncEvals;

            if (nIter == maxIter) break;
            if (currentEvals >= maxEval) break;
            if (optCond) break;
            T maxStep = T.Zero, ts = Fp.Of<T>(t);
            foreach (var v in d!) maxStep = T.Max(maxStep, T.Abs(v * ts));
            if (maxStep <= Fp.Of<T>(tolChange)) break;
            if (Math.Abs(loss - prevLoss) < tolChange) break;
        }
        state.D = LbfgsState.Vec(d); state.T = t; state.OldDirs = LbfgsState.Vecs(oldDirs); state.OldStps = LbfgsState.Vecs(oldStps);
        state.Ro = ro; state.HDiag = double.CreateTruncating(hDiag); state.PrevFlatGrad = LbfgsState.Vec(prevFlatGrad); state.PrevLoss = prevLoss;
        return origLoss;
    }

    // torch.cat of the gradients (zeros for a missing one), promoted to T.
    private T[] GatherFlatGrad<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = 0;
        foreach (var p in Params) n += p.Numel;
        var flat = new T[n];
        int o = 0;
        foreach (var p in Params)
        {
            if (p.Grad is not null) p.Grad.To(TypeOf<T>.DType).Contiguous().AsSpan<T>().CopyTo(flat.AsSpan(o));
            o += p.Numel;
        }
        return flat;
    }

    // p ← p + t·d, parameter by parameter, as PyTorch's _add_grad (add_ with alpha=t). A float32 parameter among
    // float64 ones is updated in float64 and rounded back, as add_ computes a float32 tensor plus a float64 one.
    private void AddGrad<T>(double t, T[] d) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T ft = Fp.Of<T>(t);
        int o = 0;
        foreach (var p in Params)
        {
            if (p.DType == TypeOf<T>.DType)
            {
                var span = p.AsSpan<T>();
                for (int i = 0; i < span.Length; i++) span[i] = T.FusedMultiplyAdd(d[o + i], ft, span[i]);
            }
            else
            {
                var span = p.AsSpan<float>();
                for (int i = 0; i < span.Length; i++)
                    span[i] = (float)Math.FusedMultiplyAdd(double.CreateTruncating(d[o + i]), t, span[i]);
            }
            o += p.Numel;
            p.BumpVersion();
        }
    }

    private static void Axpy<T>(T[] y, T[] x, T a) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < y.Length; i++) y[i] = T.FusedMultiplyAdd(x[i], a, y[i]);
    }

    private static T[] Neg<T>(T[] x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var r = new T[x.Length];
        for (int i = 0; i < r.Length; i++) r[i] = -x[i];
        return r;
    }

    private static T MaxAbs<T>(T[] x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T m = T.Zero;
        foreach (var v in x) m = T.Max(m, T.Abs(v));
        return m;
    }

    // |x|₁: a float32 sum accumulated in double and rounded once; a float64 one in double.
    private static T SumAbs<T>(T[] x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double s = 0;
        foreach (var v in x) s += Math.Abs(double.CreateTruncating(v));
        return T.CreateTruncating(s);
    }

    /// <inheritdoc/>
    protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
        LbfgsState.Schema.Load(param, entries, paramName);
}
