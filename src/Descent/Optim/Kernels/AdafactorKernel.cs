using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Descent.Optim.Kernels;

/// <summary>Adafactor's hyperparameters for one step.</summary>
internal readonly record struct AdafactorHyper(
    double Rho, float Beta2Weight, float Eps1, float Eps1Squared, double Eps2, double D, float Decay, bool DecayOn, bool Maximize)
{
    /// <summary>
    /// The hyperparameters for step number <paramref name="step"/> (1-based): 1 − β̂₂ₜ = t^beta2_decay,
    /// ρₜ = min(lr, 1/√t); <paramref name="eps1"/> null means float32's machine epsilon, as in PyTorch.
    /// </summary>
    public static AdafactorHyper For(long step, double lr, double beta2Decay, double? eps1, double eps2, double d, double weightDecay, bool maximize)
    {
        double e1 = eps1 ?? MachineEpsilon;
        return new(Math.Min(lr, 1 / Math.Pow(step, 0.5)), (float)Math.Pow(step, beta2Decay), (float)e1, (float)(e1 * e1), eps2, d,
            (float)(1 - lr * weightDecay), weightDecay != 0, maximize);
    }

    /// <summary><c>torch.finfo(torch.float32).eps</c>.</summary>
    public const double MachineEpsilon = 1.1920928955078125e-07;
}

/// <summary>
/// Adafactor's update rule (Shazeer &amp; Stern, 2018) as current PyTorch's <c>_single_tensor_adafactor</c>, in float32.
/// A tensor of two or more dimensions keeps factored second moments over its last two dimensions
/// (<c>row_var</c>: mean of g² over the last dimension, <c>col_var</c>: over the one before), others a full
/// <c>variance</c>; α = max(ε₂, RMS(p))·ρₜ; p ← p·(1 − lr·wd); u = g/√max(V̂, ε₁²); p ← p − α·u/max(1, RMS(u)/d).
/// The two outer maxima are Python's <c>max</c> (a NaN RMS gives ε₂ resp. 1, so a NaN elsewhere in p or u does not
/// spread to the whole tensor); norms and the row mean overflow to +∞ as PyTorch's float32 sums do.
/// <see cref="Step"/> is bit-identical to <see cref="StepReference"/>: it fuses the elementwise loops into three passes
/// and vectorises them, and sums columns for all columns at once row by row (each column's sum in the same order), but
/// keeps the two RMS reductions and the row sums in the reference's sequential double-precision order, since a
/// reassociated sum can round differently; those sums bound its speed.
/// </summary>
internal static class AdafactorKernel
{
    // Elements per block of the fused passes: small enough that a block read by a vector loop is still in L1 when
    // the sequential sum reads it again.
    private const int Block = 2048;

    /// <summary>
    /// One step, fused and vectorised. Factored when <paramref name="rows"/> &gt; 0: the tensor is <c>batch × rows × cols</c>,
    /// <paramref name="rowVar"/> is <c>batch × rows</c> and <paramref name="colVar"/> <c>batch × cols</c>;
    /// otherwise <paramref name="variance"/> matches the parameter. <paramref name="update"/> is scratch of the parameter's size.
    /// </summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> rowVar, Span<float> colVar,
        Span<float> variance, Span<float> update, int rows, int cols, in AdafactorHyper h)
    {
        int n = param.Length;
        if (grad.Length != n || update.Length != n) throw new ArgumentException("Adafactor grad and param lengths differ");
        if (SimdWidth.Bits == 0 || n == 0)
        {
            StepReference(param, grad, rowVar, colVar, variance, update, rows, cols, h);
            return;
        }
        float sign = h.Maximize ? -1f : 1f;
        // Pass 1: RMS(p) from the values before decay, then the decay, block by block.
        double s = 0;
        for (int b = 0; b < n; b += Block)
        {
            var blk = param.Slice(b, Math.Min(Block, n - b));
            s = SumSquares(blk, s);
            if (h.DecayOn) Elementwise.Run(new AdafactorMaps.Scale(h.Decay), blk);
        }
        double alpha = Fp.PyMax(h.Eps2, Fp.NormFromSquares(s) / Math.Sqrt(n)) * h.Rho;
        // Pass 2: the second-moment estimate and u = g/√max(V̂, ε₁²), with RMS(u) summed in index order.
        double us = 0;
        if (rows > 0) us = FactoredUpdate(grad, rowVar, colVar, update, rows, cols, sign, h);
        else
            for (int b = 0; b < n; b += Block)
            {
                int len = Math.Min(Block, n - b);
                Elementwise.Run(new AdafactorMaps.Variance(sign, h.Beta2Weight, h.Eps1Squared), variance.Slice(b, len), grad.Slice(b, len), update.Slice(b, len));
                us = SumSquares(update.Slice(b, len), us);
            }
        double denom = Fp.PyMax(1.0, Fp.NormFromSquares(us) / (Math.Sqrt(n) * h.D));
        // Pass 3: p ← p + step·u.
        Elementwise.Run(new AdafactorMaps.Fma((float)(-alpha / denom)), param, update);
    }

    private static double FactoredUpdate(ReadOnlySpan<float> grad, Span<float> rowVar, Span<float> colVar, Span<float> update,
        int rows, int cols, float sign, in AdafactorHyper h)
    {
        int batch = grad.Length / (rows * cols);
        double[] colSums = ArrayPool<double>.Shared.Rent(cols);
        try
        {
            double us = 0;
            for (int b = 0; b < batch; b++)
            {
                int bo = b * rows * cols;
                var cs = colSums.AsSpan(0, cols);
                cs.Clear();
                for (int r = 0; r < rows; r++)
                {
                    var row = grad.Slice(bo + r * cols, cols);
                    float norm = Fp.NormFromSquares(SumSquares(row, 0));
                    rowVar[b * rows + r] = Fp.Lerp(rowVar[b * rows + r], norm * norm / cols, h.Beta2Weight);
                    AddSquares(row, cs);
                }
                for (int c = 0; c < cols; c++)
                {
                    float norm = Fp.NormFromSquares(cs[c]);
                    colVar[b * cols + c] = Fp.Lerp(colVar[b * cols + c], norm * norm / rows, h.Beta2Weight);
                }
                float rowMean = MathF.Max(RowMean(rowVar.Slice(b * rows, rows)), h.Eps1);
                var cv = colVar.Slice(b * cols, cols);
                for (int r = 0; r < rows; r++)
                {
                    int o = bo + r * cols;
                    Elementwise.Run(new AdafactorMaps.Factored(sign, rowVar[b * rows + r], h.Eps1Squared, rowMean), update.Slice(o, cols), grad.Slice(o, cols), cv);
                    us = SumSquares(update.Slice(o, cols), us);
                }
            }
            return us;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(colSums);
        }
    }

    // row_var.mean(dim=-2): summed in double and rounded once, +∞ where PyTorch's float32 sum overflows (row_var ≥ 0).
    private static float RowMean(ReadOnlySpan<float> rowVar)
    {
        double rs = 0;
        foreach (var v in rowVar) rs += v;
        return rs > float.MaxValue ? float.PositiveInfinity : (float)(rs / rowVar.Length);
    }

    // Σx² in double, element by element onto s: Fp.Norm's order, so the rounding matches the reference.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumSquares(ReadOnlySpan<float> x, double s)
    {
        foreach (var v in x) s += (double)v * v;
        return s;
    }

    // sums[c] += row[c]² in double for every column: each column's sum still runs over the rows in order.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddSquares(ReadOnlySpan<float> row, Span<double> sums)
    {
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float rr = ref SimdWidth.Ref(row);
            ref double sr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(sums);
            for (; c <= row.Length - 8; c += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref rr, (nuint)c));
                (Vector256.LoadUnsafe(ref sr, (nuint)c) + lo * lo).StoreUnsafe(ref sr, (nuint)c);
                (Vector256.LoadUnsafe(ref sr, (nuint)c + 4) + hi * hi).StoreUnsafe(ref sr, (nuint)c + 4);
            }
        }
        for (; c < row.Length; c++) sums[c] += (double)row[c] * row[c];
    }

    /// <summary>
    /// One step, loop by loop as PyTorch runs it: the reference the fast <see cref="Step"/> reproduces. Factored when <paramref name="rows"/> &gt; 0: the tensor is <c>batch × rows × cols</c>,
    /// <paramref name="rowVar"/> is <c>batch × rows</c> and <paramref name="colVar"/> <c>batch × cols</c>;
    /// otherwise <paramref name="variance"/> matches the parameter. <paramref name="update"/> is scratch of the parameter's size.
    /// </summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> rowVar, Span<float> colVar,
        Span<float> variance, Span<float> update, int rows, int cols, in AdafactorHyper h)
    {
        int n = param.Length;
        if (grad.Length != n || update.Length != n) throw new ArgumentException("Adafactor grad and param lengths differ");
        float sign = h.Maximize ? -1f : 1f;
        double alpha = Fp.PyMax(h.Eps2, Fp.Norm(param) / Math.Sqrt(n)) * h.Rho;
        if (h.DecayOn)
            for (int i = 0; i < n; i++) param[i] *= h.Decay;
        if (rows > 0)
        {
            int batch = n / (rows * cols);
            for (int b = 0; b < batch; b++)
            {
                int bo = b * rows * cols;
                for (int r = 0; r < rows; r++)
                {
                    double s = 0;
                    for (int c = 0; c < cols; c++) { double g = grad[bo + r * cols + c]; s += g * g; }
                    float norm = Fp.NormFromSquares(s);
                    float mean = norm * norm / cols;
                    rowVar[b * rows + r] = Fp.Lerp(rowVar[b * rows + r], mean, h.Beta2Weight);
                }
                for (int c = 0; c < cols; c++)
                {
                    double s = 0;
                    for (int r = 0; r < rows; r++) { double g = grad[bo + r * cols + c]; s += g * g; }
                    float norm = Fp.NormFromSquares(s);
                    float mean = norm * norm / rows;
                    colVar[b * cols + c] = Fp.Lerp(colVar[b * cols + c], mean, h.Beta2Weight);
                }
                float rowMean = MathF.Max(RowMean(rowVar.Slice(b * rows, rows)), h.Eps1);
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < cols; c++)
                        update[bo + r * cols + c] = rowVar[b * rows + r] * colVar[b * cols + c] / rowMean;
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                float g = sign * grad[i];
                variance[i] = Fp.Lerp(variance[i], g * g, h.Beta2Weight);
                update[i] = variance[i];
            }
        }
        for (int i = 0; i < n; i++)
            update[i] = 1f / MathF.Sqrt(MathF.Max(update[i], h.Eps1Squared)) * (sign * grad[i]);
        double denom = Fp.PyMax(1.0, Fp.Norm(update) / (Math.Sqrt(n) * h.D));
        float step = (float)(-alpha / denom);
        for (int i = 0; i < n; i++) param[i] = MathF.FusedMultiplyAdd(update[i], step, param[i]);
    }
}
