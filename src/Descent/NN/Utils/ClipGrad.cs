using Descent.Autograd;
using Descent.Optim;
using Descent.Tensors;
using Descent.Text;

namespace Descent.NN.Utils;

/// <summary>
/// Gradient clipping, like <c>torch.nn.utils.clip_grad_norm_</c>, <c>clip_grad_value_</c>,
/// <c>get_total_norm</c> and <c>clip_grads_with_norm_</c>. Gradients are changed in place and nothing is
/// recorded for autograd. The total norm is the p-norm of the per-tensor p-norms, each a 0-d tensor of its gradient's
/// dtype as PyTorch returns it; the total is float64 when any gradient is (torch.stack promotes).
/// </summary>
public static class ClipGrad
{
    /// <summary>
    /// Scales all gradients so their total <paramref name="normType"/>-norm is at most <paramref name="maxNorm"/>;
    /// returns the total norm before clipping. Each gradient is multiplied by
    /// <c>min(1, maxNorm / (total_norm + 1e-6))</c> (computed in float32 as PyTorch does, so gradients already
    /// within the bound are multiplied by exactly 1 only when the coefficient rounds to ≥ 1).
    /// <paramref name="normType"/> may be <see cref="double.PositiveInfinity"/> (max |g|). With
    /// <paramref name="errorIfNonfinite"/>, a NaN or infinite total norm throws instead of scaling.
    /// Defaults: normType 2, errorIfNonfinite false.
    /// </summary>
    public static Tensor ClipGradNorm_(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var ps = parameters.ToList();
        var grads = ps.Where(p => p.Grad is not null).Select(p => p.Grad!).ToList();
        var total = GetTotalNorm(grads, normType, errorIfNonfinite);
        ClipGradsWithNorm_(ps, maxNorm, total);
        return total;
    }

    /// <summary><see cref="ClipGradNorm_(IEnumerable{Tensor}, double, double, bool)"/> for one tensor.</summary>
    public static Tensor ClipGradNorm_(Tensor parameter, double maxNorm, double normType = 2, bool errorIfNonfinite = false) =>
        ClipGradNorm_([parameter], maxNorm, normType, errorIfNonfinite);

    /// <summary>
    /// The <paramref name="normType"/>-norm of <paramref name="tensors"/> viewed as one vector, like
    /// <c>get_total_norm</c>: the norm of the stacked per-tensor norms. An empty list gives 0. With
    /// <paramref name="errorIfNonfinite"/>, a NaN or infinite result throws PyTorch's error.
    /// </summary>
    public static Tensor GetTotalNorm(IEnumerable<Tensor> tensors, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        if (list.Count == 0) return Tensor.Scalar(0.0);
        // The per-tensor norms are stacked as torch.stack does, promoted: float64 if any gradient is.
        var dtype = list[0].DType;
        foreach (var t in list) dtype = DTypeExtensions.Promote(dtype, t.DType);
        var norms = new double[list.Count];
        for (int i = 0; i < list.Count; i++) norms[i] = Round(VectorNorm(Values(list[i]), normType), list[i].DType);
        double total = Round(VectorNorm(norms, normType), dtype);
        if (errorIfNonfinite && !double.IsFinite(total))
            throw new InvalidOperationException(
                $"The total norm of order {PyRepr.Float(normType)} for gradients from `parameters` is non-finite, so it cannot be clipped. " +
                "To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`");
        return Tensor.Scalar(total, dtype);
    }

    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> by <c>min(1, maxNorm / (totalNorm + 1e-6))</c>, like
    /// <c>clip_grads_with_norm_</c>, given a total norm computed beforehand (e.g. by <see cref="GetTotalNorm"/>).
    /// </summary>
    public static void ClipGradsWithNorm_(IEnumerable<Tensor> parameters, double maxNorm, Tensor totalNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(totalNorm);
        var grads = parameters.Where(p => p.Grad is not null).Select(p => p.Grad!).ToList();
        if (grads.Count == 0) return;
        double coef = ClipCoefficient(maxNorm, totalNorm);
        using (GradMode.Set(false))
            foreach (var g in grads) g.Mul_(coef);
    }

    /// <summary>
    /// <c>clamp(max_norm / (total_norm + 1e-6), max=1)</c> in the norm's dtype. Python evaluates
    /// <c>number / tensor</c> as <c>tensor.reciprocal() * number</c>, so the float32 rounding is reproduced step by step.
    /// </summary>
    internal static double ClipCoefficient(double maxNorm, Tensor totalNorm)
    {
        double t = totalNorm.Item();
        if (totalNorm.DType == DType.Float64) return Math.Min(1 / (t + 1e-6) * maxNorm, 1.0);
        float denom = (float)t + 1e-6f;
        float coef = 1f / denom * (float)maxNorm;
        return float.IsNaN(coef) ? double.NaN : Math.Min(coef, 1f);
    }

    /// <summary>
    /// Clamps every gradient to [−clipValue, clipValue] in place, like <c>clip_grad_value_</c>.
    /// </summary>
    public static void ClipGradValue_(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using (GradMode.Set(false))
            foreach (var p in parameters)
                p.Grad?.Clamp_(-clipValue, clipValue);
    }

    /// <summary><see cref="ClipGradValue_(IEnumerable{Tensor}, double)"/> for one tensor.</summary>
    public static void ClipGradValue_(Tensor parameter, double clipValue) => ClipGradValue_([parameter], clipValue);

    private static double[] Values(Tensor t) => t.DType switch
    {
        DType.Float32 => Array.ConvertAll(t.ToArray<float>(), v => (double)v),
        DType.Float64 => t.ToArray<double>(),
        _ => throw new NotSupportedException($"clip_grad_norm_ needs floating point gradients, got {t.DType.TorchName()}"),
    };

    private static double Round(double v, DType dtype) => dtype == DType.Float32 ? (float)v : v;

    /// <summary>
    /// <c>linalg.vector_norm</c> accumulated in double: max |x| for ∞, min |x| for −∞, the count of non-zeros for
    /// 0, else (Σ|x|^p)^(1/p); empty input gives 0 (∞-norm of nothing included, as the stacked list is never empty).
    /// </summary>
    private static double VectorNorm(double[] x, double p)
    {
        if (x.Length == 0) return 0;
        if (double.IsInfinity(p))
        {
            // NaN propagates, as in PyTorch's max/min reductions (LINQ's Max would skip it).
            double r = Math.Abs(x[0]);
            foreach (var v in x)
            {
                double a = Math.Abs(v);
                if (double.IsNaN(a)) return double.NaN;
                r = p > 0 ? Math.Max(r, a) : Math.Min(r, a);
            }
            return r;
        }
        if (p == 0) return x.Count(v => v != 0);
        if (p == 1) return x.Sum(Math.Abs);
        if (p == 2)
        {
            double s = 0;
            foreach (var v in x) s += v * v;
            return Math.Sqrt(s);
        }
        double acc = 0;
        foreach (var v in x) acc += Math.Pow(Math.Abs(v), p);
        return Math.Pow(acc, 1 / p);
    }
}
