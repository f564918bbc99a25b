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

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict()
    {
        yield return new("func_evals", FuncEvals);
        yield return new("n_iter", NIter);
        if (D is null) yield break; // stopped before the first iteration: PyTorch has only the counters
        yield return new("d", Vec(D));
        yield return new("t", T);
        yield return new("old_dirs", OldDirs.Select(Vec).ToList());
        yield return new("old_stps", OldStps.Select(Vec).ToList());
        yield return new("ro", Ro.Select(r => Tensor.Scalar(r)).ToList());
        yield return new("H_diag", Tensor.Scalar(HDiag));
        yield return new("prev_flat_grad", Vec(PrevFlatGrad!));
        yield return new("prev_loss", PrevLoss);
        if (Al is not null) yield return new("al", Al.Select(a => (object?)(a is float f ? Tensor.Scalar(f) : null)).ToList());
    }

    private static Tensor Vec(float[] v) => Tensor.FromArray((float[])v.Clone(), v.Length);

    internal static LbfgsState FromDict(IReadOnlyDictionary<string, object> e, string paramName)
    {
        var s = new LbfgsState
        {
            FuncEvals = (int)ReadStep(e, paramName, "func_evals"),
            NIter = (int)ReadStep(e, paramName, "n_iter"),
        };
        if (!e.ContainsKey("d")) return s;
        s.D = Floats(e["d"]);
        s.T = ReadScalar(e, "t", paramName);
        s.OldDirs = List(e, "old_dirs").Select(Floats).ToList();
        s.OldStps = List(e, "old_stps").Select(Floats).ToList();
        s.Ro = List(e, "ro").Select(r => (float)ParamGroup.ToDouble(r, "ro")).ToList();
        s.HDiag = (float)ReadScalar(e, "H_diag", paramName);
        s.PrevFlatGrad = Floats(e["prev_flat_grad"]);
        s.PrevLoss = ReadScalar(e, "prev_loss", paramName);
        if (e.TryGetValue("al", out var al) && al is System.Collections.IEnumerable items)
            s.Al = items.Cast<object?>().Select(a => a is null ? (float?)null : (float)ParamGroup.ToDouble(a, "al")).ToArray();
        return s;
    }

    private static IEnumerable<object> List(IReadOnlyDictionary<string, object> e, string key) =>
        e.TryGetValue(key, out var v) && v is System.Collections.IEnumerable items
            ? items.Cast<object>()
            : throw new ArgumentException($"LBFGS state is missing '{key}'");

    private static float[] Floats(object v) => v is Tensor t ? t.Detach().ToArray() : throw new ArgumentException("LBFGS state vector is not a tensor");
}
