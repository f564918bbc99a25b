namespace Descent.Optim.Kernels;

/// <summary>SGD's hyperparameters for one step, as the kernel uses them.</summary>
public readonly record struct SgdHyper(float Lr, float Momentum, float Dampening, float WeightDecay, bool Nesterov, bool Maximize);

/// <summary>
/// SGD's update rule over spans, PyTorch's <c>_single_tensor_sgd</c> in float32 with the same operation order:
/// g ← ±grad + wd·p; with momentum, b ← g on the first step, else b ← μ·b + (1−τ)·g, and g ← g + μ·b (Nesterov) or b;
/// p ← p − lr·g.
/// </summary>
public static class SgdKernel
{
    /// <summary>One step. <paramref name="momentumBuffer"/> is ignored when momentum is 0; <paramref name="firstStep"/> seeds it.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> momentumBuffer, in SgdHyper h, bool firstStep)
    {
        if (grad.Length != param.Length) throw new ArgumentException("grad and param lengths differ");
        float negLr = -h.Lr, oneMinusDampening = 1 - h.Dampening;
        for (int i = 0; i < param.Length; i++)
        {
            float g = h.Maximize ? -grad[i] : grad[i];
            if (h.WeightDecay != 0) g = MathF.FusedMultiplyAdd(param[i], h.WeightDecay, g);
            if (h.Momentum != 0)
            {
                float b;
                if (firstStep) b = g;
                else b = MathF.FusedMultiplyAdd(g, oneMinusDampening, momentumBuffer[i] * h.Momentum);
                momentumBuffer[i] = b;
                g = h.Nesterov ? MathF.FusedMultiplyAdd(b, h.Momentum, g) : b;
            }
            param[i] = MathF.FusedMultiplyAdd(g, negLr, param[i]);
        }
    }
}
