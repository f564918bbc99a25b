namespace Descent.Optim.Kernels;

/// <summary>Adamax's hyperparameters for one step (clr = lr / (1 − β₁ᵗ) already computed).</summary>
public readonly record struct AdamaxHyper(float Beta1Weight, float Beta2, float Eps, float WeightDecay, float Clr, bool Maximize)
{
    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static AdamaxHyper For(long step, double lr, double beta1, double beta2, double eps, double weightDecay, bool maximize) =>
        new((float)(1 - beta1), (float)beta2, (float)eps, (float)weightDecay, (float)(lr / (1 - Math.Pow(beta1, step))), maximize);
}

/// <summary>
/// Adamax's update rule over spans, PyTorch's <c>_single_tensor_adamax</c> in float32:
/// g ← ±grad + wd·p; m ← lerp(m, g, 1−β₁); u ← max(β₂u, |g| + ε); p ← p − clr·m/u.
/// </summary>
public static class AdamaxKernel
{
    /// <summary>One step.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expInf, in AdamaxHyper h)
    {
        if (grad.Length != param.Length || expAvg.Length != param.Length || expInf.Length != param.Length)
            throw new ArgumentException("Adamax state and param lengths differ");
        float negClr = -h.Clr;
        for (int i = 0; i < param.Length; i++)
        {
            float g = h.Maximize ? -grad[i] : grad[i];
            if (h.WeightDecay != 0) g = MathF.FusedMultiplyAdd(param[i], h.WeightDecay, g);
            float m = Fp.Lerp(expAvg[i], g, h.Beta1Weight);
            expAvg[i] = m;
            float u = MathF.Max(expInf[i] * h.Beta2, MathF.Abs(g) + h.Eps);
            expInf[i] = u;
            param[i] = param[i] + negClr * m / u;
        }
    }
}
