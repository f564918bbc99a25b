namespace Descent.Optim.Kernels;

/// <summary>Rprop's hyperparameters (float32, as PyTorch stores the factors into the sign tensor).</summary>
public readonly record struct RpropHyper(float EtaMinus, float EtaPlus, float StepSizeMin, float StepSizeMax, bool Maximize);

/// <summary>
/// Rprop's update rule over spans, PyTorch's <c>_single_tensor_rprop</c> in float32:
/// s ← sign(g·g_prev) mapped to η₊ / η₋ / 1; Δ ← clamp(Δ·s, Δmin, Δmax); g ← 0 where s = η₋;
/// p ← p − sign(g)·Δ; g_prev ← g.
/// </summary>
public static class RpropKernel
{
    /// <summary>One step.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> prev, Span<float> stepSize, in RpropHyper h)
    {
        if (grad.Length != param.Length || prev.Length != param.Length || stepSize.Length != param.Length)
            throw new ArgumentException("Rprop state and param lengths differ");
        for (int i = 0; i < param.Length; i++)
        {
            float g = h.Maximize ? -grad[i] : grad[i];
            float prod = g * prev[i];
            float sign = prod > 0 ? h.EtaPlus : prod < 0 ? h.EtaMinus : 1f;
            if (float.IsNaN(prod)) sign = prod; // sign(NaN) is NaN and matches none of the three masks
            float s = Math.Clamp(stepSize[i] * sign, h.StepSizeMin, h.StepSizeMax);
            stepSize[i] = s;
            if (sign == h.EtaMinus) g = 0;
            float sg = g > 0 ? 1f : g < 0 ? -1f : g; // torch.sign keeps 0 and NaN
            param[i] = param[i] + -1f * sg * s;
            prev[i] = g;
        }
    }
}
