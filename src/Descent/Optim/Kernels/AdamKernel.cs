namespace Descent.Optim.Kernels;

/// <summary>Adam's hyperparameters for one step (bias corrections already computed for this step).</summary>
public readonly record struct AdamHyper(
    float Lr, float Beta1, float Beta2, float Eps, float WeightDecay, bool Decoupled, bool Amsgrad, bool Maximize,
    double BiasCorrection1, double BiasCorrection2)
{
    /// <summary>The decoupled decay factor 1 − lr·wd, computed in double as PyTorch does before it meets float32.</summary>
    public float Decay { get; init; } = (float)(1 - (double)Lr * WeightDecay);

    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static AdamHyper For(long step, double lr, double beta1, double beta2, double eps, double weightDecay,
        bool decoupled, bool amsgrad, bool maximize) =>
        new((float)lr, (float)beta1, (float)beta2, (float)eps, (float)weightDecay, decoupled, amsgrad, maximize,
            1 - Math.Pow(beta1, step), 1 - Math.Pow(beta2, step))
        { Decay = (float)(1 - lr * weightDecay), OneMinusBeta1 = (float)(1 - beta1), OneMinusBeta2 = (float)(1 - beta2) };

    /// <summary>1 − β₁ rounded from double, the lerp weight PyTorch passes.</summary>
    public float OneMinusBeta1 { get; init; } = 1 - Beta1;

    /// <summary>1 − β₂ rounded from double.</summary>
    public float OneMinusBeta2 { get; init; } = 1 - Beta2;
}

/// <summary>
/// Adam's update rule over spans, PyTorch's <c>_single_tensor_adam</c> in float32:
/// g ← ±grad (+ wd·p unless decoupled; decoupled: p ← p·(1 − lr·wd), which is AdamW);
/// m ← lerp(m, g, 1−β₁); v ← β₂v + (1−β₂)g²; v̂ ← max(v̂, v) with amsgrad;
/// p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
/// </summary>
public static class AdamKernel
{
    /// <summary>One step; <paramref name="maxExpAvgSq"/> is used only with amsgrad.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq,
        Span<float> maxExpAvgSq, in AdamHyper h)
    {
        if (grad.Length != param.Length || expAvg.Length != param.Length || expAvgSq.Length != param.Length)
            throw new ArgumentException("Adam state and param lengths differ");
        float oneMinusB1 = h.OneMinusBeta1, oneMinusB2 = h.OneMinusBeta2;
        float stepSize = (float)(h.Lr / h.BiasCorrection1);
        float bc2Sqrt = (float)Math.Sqrt(h.BiasCorrection2);
        float decay = h.Decay;
        for (int i = 0; i < param.Length; i++)
        {
            float g = h.Maximize ? -grad[i] : grad[i];
            float p = param[i];
            if (h.WeightDecay != 0)
            {
                if (h.Decoupled) p *= decay;
                else g = MathF.FusedMultiplyAdd(p, h.WeightDecay, g);
            }
            float m = Fp.Lerp(expAvg[i], g, oneMinusB1); // current PyTorch: exp_avg.lerp_(grad, 1 - beta1)
            float v = expAvgSq[i] * h.Beta2 + oneMinusB2 * g * g;
            expAvg[i] = m;
            expAvgSq[i] = v;
            float vHat = v;
            if (h.Amsgrad)
            {
                vHat = MathF.Max(maxExpAvgSq[i], v);
                maxExpAvgSq[i] = vHat;
            }
            float denom = MathF.Sqrt(vHat) / bc2Sqrt + h.Eps;
            param[i] = p + -stepSize * m / denom;
        }
    }
}
