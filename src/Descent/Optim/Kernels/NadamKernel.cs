namespace Descent.Optim.Kernels;

/// <summary>NAdam's hyperparameters for one step (momentum-cache step sizes already computed).</summary>
public readonly record struct NadamHyper(
    float Beta1Weight, float Beta2, float OneMinusBeta2, float Eps, float WeightDecay, bool Decoupled, float Decay,
    float BiasCorrection2, float GradStep, float AvgStep, bool Maximize);

/// <summary>
/// NAdam's update rule over spans, current PyTorch's <c>_single_tensor_nadam</c> in float32:
/// g ← ±grad (+ wd·p, or p ← p·(1 − lr·wd) when decoupled); m ← lerp(m, g, 1−β₁); v ← β₂v + (1−β₂)g²;
/// d ← √(v/(1−β₂ᵗ)) + ε; p ← p + gradStep·g/d; p ← p + avgStep·m/d.
/// </summary>
public static class NadamKernel
{
    /// <summary>One step.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq, in NadamHyper h)
    {
        if (grad.Length != param.Length || expAvg.Length != param.Length || expAvgSq.Length != param.Length)
            throw new ArgumentException("NAdam state and param lengths differ");
        for (int i = 0; i < param.Length; i++)
        {
            float g = h.Maximize ? -grad[i] : grad[i];
            float p = param[i];
            if (h.WeightDecay != 0)
            {
                if (h.Decoupled) p *= h.Decay;
                else g = MathF.FusedMultiplyAdd(p, h.WeightDecay, g);
            }
            float m = Fp.Lerp(expAvg[i], g, h.Beta1Weight);
            expAvg[i] = m;
            float v = expAvgSq[i] * h.Beta2 + h.OneMinusBeta2 * g * g;
            expAvgSq[i] = v;
            float denom = MathF.Sqrt(v / h.BiasCorrection2) + h.Eps;
            p = p + h.GradStep * g / denom;
            param[i] = p + h.AvgStep * m / denom;
        }
    }
}
