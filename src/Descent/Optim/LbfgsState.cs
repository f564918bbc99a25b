using System.Numerics;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// L-BFGS's state, kept under the first parameter as PyTorch keeps it. Vectors are flat over all parameters, 1-D
/// tensors of the flat dtype (float64 when any parameter is, else float32); in the state dict they appear as such, the
/// history as lists of them, and the scalars as 0-dimensional tensors of that dtype, as in PyTorch.
/// </summary>
public sealed class LbfgsState : ParamState
{
    /// <summary>Closure evaluations over all steps (<c>func_evals</c>).</summary>
    public int FuncEvals { get; set; }

    /// <summary>Iterations over all steps (<c>n_iter</c>).</summary>
    public int NIter { get; set; }

    /// <summary>The last search direction (<c>d</c>).</summary>
    public Tensor? D { get; set; }

    /// <summary>The last step length (<c>t</c>).</summary>
    public double T { get; set; }

    /// <summary>The y (gradient change) history (<c>old_dirs</c>).</summary>
    public List<Tensor> OldDirs { get; set; } = [];

    /// <summary>The s (step) history (<c>old_stps</c>).</summary>
    public List<Tensor> OldStps { get; set; } = [];

    /// <summary>1/(yᵀs) for each history pair (<c>ro</c>), each a value of the flat dtype.</summary>
    public List<double> Ro { get; set; } = [];

    /// <summary>The initial Hessian scale yᵀs/yᵀy (<c>H_diag</c>), a value of the flat dtype.</summary>
    public double HDiag { get; set; } = 1;

    /// <summary>The previous flat gradient (<c>prev_flat_grad</c>).</summary>
    public Tensor? PrevFlatGrad { get; set; }

    /// <summary>The previous loss (<c>prev_loss</c>).</summary>
    public double PrevLoss { get; set; }

    /// <summary>The two-loop recursion's coefficients (<c>al</c>, history_size long, unset slots None), values of the flat dtype.</summary>
    public double?[]? Al { get; set; }

    // The dtype the scalars are saved in: the vectors'.
    private DType ScalarType => D?.DType ?? DType.Float32;

    /// <summary>
    /// The state-dict entries, each named once: PyTorch's keys, types and order. Stopped before the first iteration,
    /// PyTorch has only the counters.
    /// </summary>
    internal static readonly StateSchema<LbfgsState> Schema = new StateSchema<LbfgsState>(_ => new())
        .Custom("func_evals", s => s.FuncEvals, (s, e, name) => s.FuncEvals = (int)ReadStep(e, name, "func_evals"))
        .Custom("n_iter", s => s.NIter, (s, e, name) => s.NIter = (int)ReadStep(e, name, "n_iter"))
        .Custom("d", s => s.D?.Clone(), (s, e, _) =>
        {
            if (e.ContainsKey("d")) s.D = Vector(e["d"]);
        })
        .OnlyIf(s => s.D is not null)
        .Custom("t", s => s.T, (s, e, name) => s.T = ReadScalar(e, "t", name))
        .Custom("old_dirs", s => s.OldDirs.Select(v => v.Clone()).ToList(), (s, e, _) => s.OldDirs = List(e, "old_dirs").Select(Vector).ToList())
        .Custom("old_stps", s => s.OldStps.Select(v => v.Clone()).ToList(), (s, e, _) => s.OldStps = List(e, "old_stps").Select(Vector).ToList())
        .Custom("ro", s => s.Ro.Select(r => Tensor.Scalar(r, s.ScalarType)).ToList(),
            (s, e, _) => s.Ro = List(e, "ro").Select(r => ParamGroup.ToDouble(r, "ro")).ToList())
        .Custom("H_diag", s => Tensor.Scalar(s.HDiag, s.ScalarType), (s, e, name) => s.HDiag = ReadScalar(e, "H_diag", name))
        .Custom("prev_flat_grad", s => s.PrevFlatGrad!.Clone(), (s, e, _) => s.PrevFlatGrad = Vector(e["prev_flat_grad"]))
        .Custom("prev_loss", s => s.PrevLoss, (s, e, name) => s.PrevLoss = ReadScalar(e, "prev_loss", name))
        .Custom("al", s => s.Al?.Select(a => (object?)(a is double v ? Tensor.Scalar(v, s.ScalarType) : null)).ToList(), (s, e, _) =>
        {
            if (e.TryGetValue("al", out var al) && al is System.Collections.IEnumerable items)
                s.Al = items.Cast<object?>().Select(a => a is null ? (double?)null : ParamGroup.ToDouble(a, "al")).ToArray();
        });

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, object>> ToStateDict() => Schema.Save(this);

    /// <summary>A vector's elements as <typeparamref name="TElem"/>: its own array when it wraps one whole, else a converted copy.</summary>
    internal static TElem[]? Arr<TElem>(Tensor? v) where TElem : unmanaged, IBinaryFloatingPointIeee754<TElem>
    {
        if (v is null) return null;
        var c = v.Detach().To(TypeOf<TElem>.DType).Contiguous();
        var data = c.Data<TElem>();
        return c.StorageOffset == 0 && data.Length == c.Numel ? data : c.ToArray<TElem>();
    }

    /// <summary><see cref="Arr{TElem}"/> of each vector of a history.</summary>
    internal static List<TElem[]> Arrs<TElem>(List<Tensor> vs) where TElem : unmanaged, IBinaryFloatingPointIeee754<TElem> =>
        vs.Select(v => Arr<TElem>(v)!).ToList();

    /// <summary>A 1-D tensor over <paramref name="a"/> itself (no copy).</summary>
    internal static Tensor? Vec<TElem>(TElem[]? a) where TElem : unmanaged =>
        a is null ? null : new Tensor(new Storage<TElem>(a), [a.Length]);

    /// <summary><see cref="Vec{TElem}"/> of each array of a history.</summary>
    internal static List<Tensor> Vecs<TElem>(List<TElem[]> arrays) where TElem : unmanaged => arrays.Select(a => Vec(a)!).ToList();

    private static IEnumerable<object> List(IReadOnlyDictionary<string, object> e, string key) =>
        e.TryGetValue(key, out var v) && v is System.Collections.IEnumerable items
            ? items.Cast<object>()
            : throw new ArgumentException($"LBFGS state is missing '{key}'");

    private static Tensor Vector(object v) => v is Tensor t ? t.Detach().Contiguous().Clone() : throw new ArgumentException("LBFGS state vector is not a tensor");
}
