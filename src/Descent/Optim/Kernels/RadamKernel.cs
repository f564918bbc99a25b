namespace Descent.Optim.Kernels;

/// <summary>RAdam's hyperparameters for one step (bias corrections and the rectification term already computed).</summary>
public readonly record struct RadamHyper(
    float Beta1Weight, float Beta2, float OneMinusBeta2, float Eps, float WeightDecay, bool Decoupled, float Decay,
    float Lr, float BiasCorrection1, float SqrtBiasCorrection2, bool Rectify, float Rect, bool Maximize);

/// <summary>
/// RAdam's update rule over spans, PyTorch's <c>_single_tensor_radam</c> in float32:
/// g ← ±grad (+ wd·p, or p ← p·(1 − lr·wd) when decoupled); m ← lerp(m, g, 1−β₁); v ← β₂v + (1−β₂)g²;
/// m̂ ← m/(1−β₁ᵗ); when ρₜ &gt; 5: p ← p − m̂·lr·(√(1−β₂ᵗ)/(√v + ε))·r, else p ← p − m̂·lr.
/// </summary>
public static class RadamKernel
{
    /// <summary>One step.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq, in RadamHyper h)
    {
        if (grad.Length != param.Length || expAvg.Length != param.Length || expAvgSq.Length != param.Length)
            throw new ArgumentException("RAdam state and param lengths differ");
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
            float corrected = m / h.BiasCorrection1;
            float update = h.Rectify
                ? corrected * h.Lr * (h.SqrtBiasCorrection2 / (MathF.Sqrt(v) + h.Eps)) * h.Rect
                : corrected * h.Lr;
            param[i] = p - update;
        }
    }
}
