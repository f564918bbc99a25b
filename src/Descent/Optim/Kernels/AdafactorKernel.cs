using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Optim.Kernels;

/// <summary>Adafactor's hyperparameters for one step, as doubles; a kernel rounds them to its dtype.</summary>
internal readonly record struct AdafactorHyper(
    double Rho, double Beta2Weight, double Eps1, double Eps2, double D, double Decay, bool DecayOn, bool Maximize)
{
    /// <summary>
    /// The hyperparameters for step number <paramref name="step"/> (1-based): 1 − β̂₂ₜ = t^beta2_decay,
    /// ρₜ = min(lr, 1/√t); <paramref name="eps1"/> is already resolved (see <see cref="MachineEpsilon"/>).
    /// </summary>
    public static AdafactorHyper For(long step, double lr, double beta2Decay, double eps1, double eps2, double d, double weightDecay, bool maximize) =>
        new(Math.Min(lr, 1 / Math.Pow(step, 0.5)), Math.Pow(step, beta2Decay), eps1, eps2, d, 1 - lr * weightDecay, weightDecay != 0, maximize);

    /// <summary>ε₁², computed in double as Python computes <c>eps1 * eps1</c>.</summary>
    public double Eps1Squared => Eps1 * Eps1;

    /// <summary><c>torch.finfo(dtype).eps</c>, PyTorch's ε₁ when the group gives None: float32's, or float64's when <paramref name="isDouble"/>.</summary>
    public static double MachineEpsilon(bool isDouble) => isDouble ? 2.220446049250313e-16 : 1.1920928955078125e-07;
}

/// <summary>
/// Adafactor's update rule (Shazeer &amp; Stern, 2018) as current PyTorch's <c>_single_tensor_adafactor</c>, in the
/// tensor's dtype. A tensor of two or more dimensions keeps factored second moments over its last two dimensions
/// (<c>row_var</c>: mean of g² over the last dimension, <c>col_var</c>: over the one before), others a full
/// <c>variance</c>; α = max(ε₂, RMS(p))·ρₜ; p ← p·(1 − lr·wd); u = g/√max(V̂, ε₁²); p ← p − α·u/max(1, RMS(u)/d).
/// The two outer maxima are Python's <c>max</c> (a NaN RMS gives ε₂ resp. 1, so a NaN elsewhere in p or u does not
/// spread to the whole tensor); float32 norms and the row mean overflow to +∞ as PyTorch's float32 sums do.
/// <see cref="Step{T}"/> is bit-identical to <see cref="StepReference{T}"/>: it fuses the elementwise loops into three passes
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
    public static void Step<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> rowVar, Span<T> colVar,
        Span<T> variance, Span<T> update, int rows, int cols, in AdafactorHyper h) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = param.Length;
        if (grad.Length != n || update.Length != n) throw new ArgumentException("Adafactor grad and param lengths differ");
        if (SimdWidth.Bits == 0 || n == 0)
        {
            StepReference(param, grad, rowVar, colVar, variance, update, rows, cols, h);
            return;
        }
        T sign = h.Maximize ? -T.One : T.One;
        // Pass 1: RMS(p) from the values before decay, then the decay, block by block.
        double s = 0;
        for (int b = 0; b < n; b += Block)
        {
            var blk = param.Slice(b, Math.Min(Block, n - b));
            s = SumSquares<T>(blk, s);
            if (h.DecayOn) Elementwise.Run(new AdafactorMaps.Scale<T>(Fp.Of<T>(h.Decay)), blk);
        }
        double alpha = Fp.PyMax(h.Eps2, double.CreateTruncating(Fp.NormFromSquares<T>(s)) / Math.Sqrt(n)) * h.Rho;
        // Pass 2: the second-moment estimate and u = g/√max(V̂, ε₁²), with RMS(u) summed in index order.
        double us = 0;
        if (rows > 0) us = FactoredUpdate(grad, rowVar, colVar, update, rows, cols, sign, h);
        else
        {
            var map = new AdafactorMaps.Variance<T>(sign, Fp.Of<T>(h.Beta2Weight), Fp.Of<T>(h.Eps1Squared));
            for (int b = 0; b < n; b += Block)
            {
                int len = Math.Min(Block, n - b);
                Elementwise.Run(map, variance.Slice(b, len), grad.Slice(b, len), update.Slice(b, len));
                us = SumSquares<T>(update.Slice(b, len), us);
            }
        }
        double denom = Fp.PyMax(1.0, double.CreateTruncating(Fp.NormFromSquares<T>(us)) / (Math.Sqrt(n) * h.D));
        // Pass 3: p ← p + step·u.
        Elementwise.Run(new AdafactorMaps.Fma<T>(Fp.Of<T>(-alpha / denom)), param, update);
    }

    // The factored estimate's u for every batch, and Σu² in index order.
    private static double FactoredUpdate<T>(ReadOnlySpan<T> grad, Span<T> rowVar, Span<T> colVar, Span<T> update,
        int rows, int cols, T sign, in AdafactorHyper h) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int batch = grad.Length / (rows * cols);
        T weight = Fp.Of<T>(h.Beta2Weight), eps1 = Fp.Of<T>(h.Eps1), eps1Squared = Fp.Of<T>(h.Eps1Squared);
        T colsT = T.CreateTruncating(cols), rowsT = T.CreateTruncating(rows);
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
                    T norm = Fp.NormFromSquares<T>(SumSquares(row, 0));
                    rowVar[b * rows + r] = Fp.Lerp(rowVar[b * rows + r], norm * norm / colsT, weight);
                    AddSquares(row, cs);
                }
                for (int c = 0; c < cols; c++)
                {
                    T norm = Fp.NormFromSquares<T>(cs[c]);
                    colVar[b * cols + c] = Fp.Lerp(colVar[b * cols + c], norm * norm / rowsT, weight);
                }
                T rowMean = T.Max(RowMean<T>(rowVar.Slice(b * rows, rows)), eps1);
                var cv = colVar.Slice(b * cols, cols);
                for (int r = 0; r < rows; r++)
                {
                    int o = bo + r * cols;
                    Elementwise.Run(new AdafactorMaps.Factored<T>(sign, rowVar[b * rows + r], eps1Squared, rowMean), update.Slice(o, cols), grad.Slice(o, cols), cv);
                    us = SumSquares<T>(update.Slice(o, cols), us);
                }
            }
            return us;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(colSums);
        }
    }

    // row_var.mean(dim=-2): summed in double and rounded once; in float32 +∞ where PyTorch's float32 sum overflows (row_var ≥ 0).
    private static T RowMean<T>(ReadOnlySpan<T> rowVar) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double rs = 0;
        foreach (var v in rowVar) rs += double.CreateTruncating(v);
        return typeof(T) == typeof(float) && rs > float.MaxValue ? T.PositiveInfinity : T.CreateTruncating(rs / rowVar.Length);
    }

    // Σx² in double, element by element onto s: Fp.Norm's order, so the rounding matches the reference.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumSquares<T>(ReadOnlySpan<T> x, double s) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (var v in x)
        {
            double d = double.CreateTruncating(v);
            s += d * d;
        }
        return s;
    }

    // sums[c] += row[c]² in double for every column: each column's sum still runs over the rows in order.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddSquares<T>(ReadOnlySpan<T> row, Span<double> sums) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double sr = ref MemoryMarshal.GetReference(sums);
            if (typeof(T) == typeof(float))
            {
                ref float rr = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, float>(row));
                for (; c <= row.Length - 8; c += 8)
                {
                    var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref rr, (nuint)c));
                    (Vector256.LoadUnsafe(ref sr, (nuint)c) + lo * lo).StoreUnsafe(ref sr, (nuint)c);
                    (Vector256.LoadUnsafe(ref sr, (nuint)c + 4) + hi * hi).StoreUnsafe(ref sr, (nuint)c + 4);
                }
            }
            else
            {
                ref double rr = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<T, double>(row));
                for (; c <= row.Length - 4; c += 4)
                {
                    var x = Vector256.LoadUnsafe(ref rr, (nuint)c);
                    (Vector256.LoadUnsafe(ref sr, (nuint)c) + x * x).StoreUnsafe(ref sr, (nuint)c);
                }
            }
        }
        for (; c < row.Length; c++)
        {
            double d = double.CreateTruncating(row[c]);
            sums[c] += d * d;
        }
    }

    /// <summary>
    /// One step, loop by loop as PyTorch runs it: the reference the fast <see cref="Step{T}"/> reproduces. Factored when <paramref name="rows"/> &gt; 0: the tensor is <c>batch × rows × cols</c>,
    /// <paramref name="rowVar"/> is <c>batch × rows</c> and <paramref name="colVar"/> <c>batch × cols</c>;
    /// otherwise <paramref name="variance"/> matches the parameter. <paramref name="update"/> is scratch of the parameter's size.
    /// </summary>
    public static void StepReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> rowVar, Span<T> colVar,
        Span<T> variance, Span<T> update, int rows, int cols, in AdafactorHyper h) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = param.Length;
        if (grad.Length != n || update.Length != n) throw new ArgumentException("Adafactor grad and param lengths differ");
        T sign = h.Maximize ? -T.One : T.One;
        T weight = Fp.Of<T>(h.Beta2Weight), eps1 = Fp.Of<T>(h.Eps1), eps1Squared = Fp.Of<T>(h.Eps1Squared), decay = Fp.Of<T>(h.Decay);
        double alpha = Fp.PyMax(h.Eps2, double.CreateTruncating(Fp.Norm<T>(param)) / Math.Sqrt(n)) * h.Rho;
        if (h.DecayOn)
            for (int i = 0; i < n; i++) param[i] *= decay;
        if (rows > 0)
        {
            int batch = n / (rows * cols);
            for (int b = 0; b < batch; b++)
            {
                int bo = b * rows * cols;
                for (int r = 0; r < rows; r++)
                {
                    double s = 0;
                    for (int c = 0; c < cols; c++) { double g = double.CreateTruncating(grad[bo + r * cols + c]); s += g * g; }
                    T norm = Fp.NormFromSquares<T>(s);
                    T mean = norm * norm / T.CreateTruncating(cols);
                    rowVar[b * rows + r] = Fp.Lerp(rowVar[b * rows + r], mean, weight);
                }
                for (int c = 0; c < cols; c++)
                {
                    double s = 0;
                    for (int r = 0; r < rows; r++) { double g = double.CreateTruncating(grad[bo + r * cols + c]); s += g * g; }
                    T norm = Fp.NormFromSquares<T>(s);
                    T mean = norm * norm / T.CreateTruncating(rows);
                    colVar[b * cols + c] = Fp.Lerp(colVar[b * cols + c], mean, weight);
                }
                T rowMean = T.Max(RowMean<T>(rowVar.Slice(b * rows, rows)), eps1);
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < cols; c++)
                        update[bo + r * cols + c] = rowVar[b * rows + r] * colVar[b * cols + c] / rowMean;
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                T g = sign * grad[i];
                variance[i] = Fp.Lerp(variance[i], g * g, weight);
                update[i] = variance[i];
            }
        }
        for (int i = 0; i < n; i++)
            update[i] = T.One / T.Sqrt(T.Max(update[i], eps1Squared)) * (sign * grad[i]);
        double denom = Fp.PyMax(1.0, double.CreateTruncating(Fp.Norm<T>(update)) / (Math.Sqrt(n) * h.D));
        T step = Fp.Of<T>(-alpha / denom);
        for (int i = 0; i < n; i++) param[i] = T.FusedMultiplyAdd(update[i], step, param[i]);
    }
}
