using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// L-BFGS's state, kept under the first parameter as PyTorch keeps it. Vectors are flat over all parameters;
/// in the state dict they appear as 1-D tensors, the history as lists of them, as in PyTorch.
/// </summary>
public sealed class LbfgsState : ParamState
{
    /// <summary>Closure evaluations over all steps (<c>func_evals</c>).</summary>
    public int FuncEvals { get; set; }

    /// <summary>Iterations over all steps (<c>n_iter</c>).</summary>
    public int NIter { get; set; }

    /// <summary>The last search direction (<c>d</c>).</summary>
    public float[]? D { get; set; }

    /// <summary>The last step length (<c>t</c>).</summary>
    public double T { get; set; }

    /// <summary>The y (gradient change) history (<c>old_dirs</c>).</summary>
    public List<float[]> OldDirs { get; set; } = [];

    /// <summary>The s (step) history (<c>old_stps</c>).</summary>
    public List<float[]> OldStps { get; set; } = [];

    /// <summary>1/(yᵀs) for each history pair (<c>ro</c>).</summary>
    public List<float> Ro { get; set; } = [];

    /// <summary>The initial Hessian scale yᵀs/yᵀy (<c>H_diag</c>).</summary>
    public float HDiag { get; set; } = 1;

    /// <summary>The previous flat gradient (<c>prev_flat_grad</c>).</summary>
    public float[]? PrevFlatGrad { get; set; }

    /// <summary>The previous loss (<c>prev_loss</c>).</summary>
    public double PrevLoss { get; set; }

    /// <summary>The two-loop recursion's coefficients (<c>al</c>, history_size long, unset slots None).</summary>
    public float?[]? Al { get; set; }

    /// <summary>
    /// The state-dict entries, each named once: PyTorch's keys, types and order. Stopped before the first iteration,
    /// PyTorch has only the counters.
    /// </summary>
    internal static readonly StateSchema<LbfgsState> Schema = new StateSchema<LbfgsState>(_ => new())
        .Custom("func_evals", s => s.FuncEvals, (s, e, name) => s.FuncEvals = (int)ReadStep(e, name, "func_evals"))
        .Custom("n_iter", s => s.NIter, (s, e, name) => s.NIter = (int)ReadStep(e, name, "n_iter"))
        .Custom("d", s => s.D is null ? null : Vec(s.D), (s, e, _) =>
        {
            if (e.ContainsKey("d")) s.D = Floats(e["d"]);
        })
        .OnlyIf(s => s.D is not null)
        .Custom("t", s => s.T, (s, e, name) => s.T = ReadScalar(e, "t", name))
        .Custom("old_dirs", s => s.OldDirs.Select(Vec).ToList(), (s, e, _) => s.OldDirs = List(e, "old_dirs").Select(Floats).ToList())
        .Custom("old_stps", s => s.OldStps.Select(Vec).ToList(), (s, e, _) => s.OldStps = List(e, "old_stps").Select(Floats).ToList())
        .Custom("ro", s => s.Ro.Select(r => Tensor.Scalar(r)).ToList(),
            (s, e, _) => s.Ro = List(e, "ro").Select(r => (float)ParamGroup.ToDouble(r, "ro")).ToList())
        .Custom("H_diag", s => Tensor.Scalar(s.HDiag), (s, e, name) => s.HDiag = (float)ReadScalar(e, "H_diag", name))
        .Custom("prev_flat_grad", s => Vec(s.PrevFlatGrad!), (s, e, _) => s.PrevFlatGrad = Floats(e["prev_flat_grad"]))
        .Custom("prev_loss", s => s.PrevLoss, (s, e, name) => s.PrevLoss = ReadScalar(e, "prev_loss", name))
        .Custom("al", s => s.Al?.Select(a => (object?)(a is float f ? Tensor.Scalar(f) : null)).ToList(), (s, e, _) =>
        {
            if (e.TryGetValue("al", out var al) && al is System.Collections.IEnumerable items)
                s.Al = items.Cast<object?>().Select(a => a is null ? (float?)null : (float)ParamGroup.ToDouble(a, "al")).ToArray();
        });

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);

    private static Tensor Vec(float[] v) => Tensor.FromArray((float[])v.Clone(), v.Length);

    private static IEnumerable<object> List(IReadOnlyDictionary<string, object> e, string key) =>
        e.TryGetValue(key, out var v) && v is System.Collections.IEnumerable items
            ? items.Cast<object>()
            : throw new ArgumentException($"LBFGS state is missing '{key}'");

    private static float[] Floats(object v) => v is Tensor t ? t.Detach().ToArray() : throw new ArgumentException("LBFGS state vector is not a tensor");
}
