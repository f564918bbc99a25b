namespace Descent.Optim.Kernels;

/// <summary>RMSprop's hyperparameters for one step.</summary>
public readonly record struct RmspropHyper(float Lr, float Alpha, float Eps, float WeightDecay, float Momentum, bool Centered, bool Maximize)
{
    /// <summary>1 − α as PyTorch passes it: computed in double, then rounded (1f − α differs in the last bit).</summary>
    public float OneMinusAlpha { get; init; } = 1 - Alpha;
}

/// <summary>
/// RMSprop's update rule over spans, PyTorch's <c>_single_tensor_rmsprop</c> in float32:
/// g ← ±grad + wd·p; v ← αv + (1−α)g²; centred: ḡ ← αḡ + (1−α)g and a ← √(v − ḡ²), else a ← √v; a ← a + ε;
/// with momentum b ← μb + g/a and p ← p − lr·b, else p ← p − lr·g/a.
/// </summary>
public static class RmspropKernel
{
    /// <summary>One step; <paramref name="gradAvg"/> is used only when centred, <paramref name="momentumBuffer"/> only with momentum.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> gradAvg,
        Span<float> momentumBuffer, in RmspropHyper h)
    {
        if (grad.Length != param.Length || squareAvg.Length != param.Length)
            throw new ArgumentException("RMSprop state and param lengths differ");
        float oneMinusAlpha = h.OneMinusAlpha, negLr = -h.Lr;
        for (int i = 0; i < param.Length; i++)
        {
            float g = h.Maximize ? -grad[i] : grad[i];
            if (h.WeightDecay != 0) g = MathF.FusedMultiplyAdd(param[i], h.WeightDecay, g);
            float v = squareAvg[i] * h.Alpha + oneMinusAlpha * g * g;
            squareAvg[i] = v;
            float avg;
            if (h.Centered)
            {
                float ga = MathF.FusedMultiplyAdd(g, oneMinusAlpha, gradAvg[i] * h.Alpha);
                gradAvg[i] = ga;
                avg = MathF.Sqrt(v + -1f * ga * ga);
            }
            else avg = MathF.Sqrt(v);
            avg += h.Eps;
            if (h.Momentum > 0)
            {
                float b = momentumBuffer[i] * h.Momentum + g / avg;
                momentumBuffer[i] = b;
                param[i] = MathF.FusedMultiplyAdd(b, negLr, param[i]);
            }
            else param[i] = param[i] + negLr * g / avg;
        }
    }
}
