namespace Descent.Optim.Kernels;

/// <summary>Adafactor's hyperparameters for one step.</summary>
public readonly record struct AdafactorHyper(
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
/// </summary>
public static class AdafactorKernel
{
    /// <summary>
    /// One step. Factored when <paramref name="rows"/> &gt; 0: the tensor is <c>batch × rows × cols</c>,
    /// <paramref name="rowVar"/> is <c>batch × rows</c> and <paramref name="colVar"/> <c>batch × cols</c>;
    /// otherwise <paramref name="variance"/> matches the parameter. <paramref name="update"/> is scratch of the parameter's size.
    /// </summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> rowVar, Span<float> colVar,
        Span<float> variance, Span<float> update, int rows, int cols, in AdafactorHyper h)
    {
        int n = param.Length;
        if (grad.Length != n || update.Length != n) throw new ArgumentException("Adafactor grad and param lengths differ");
        float sign = h.Maximize ? -1f : 1f;
        double alpha = Math.Max(h.Eps2, Fp.Norm(param) / Math.Sqrt(n)) * h.Rho;
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
                    float norm = (float)Math.Sqrt(s);
                    float mean = norm * norm / cols;
                    rowVar[b * rows + r] = Fp.Lerp(rowVar[b * rows + r], mean, h.Beta2Weight);
                }
                for (int c = 0; c < cols; c++)
                {
                    double s = 0;
                    for (int r = 0; r < rows; r++) { double g = grad[bo + r * cols + c]; s += g * g; }
                    float norm = (float)Math.Sqrt(s);
                    float mean = norm * norm / rows;
                    colVar[b * cols + c] = Fp.Lerp(colVar[b * cols + c], mean, h.Beta2Weight);
                }
                double rs = 0;
                for (int r = 0; r < rows; r++) rs += rowVar[b * rows + r];
                float rowMean = MathF.Max((float)(rs / rows), h.Eps1);
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
        double denom = Math.Max(1.0, Fp.Norm(update) / (Math.Sqrt(n) * h.D));
        float step = (float)(-alpha / denom);
        for (int i = 0; i < n; i++) param[i] = MathF.FusedMultiplyAdd(update[i], step, param[i]);
    }
}
