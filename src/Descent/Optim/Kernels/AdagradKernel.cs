namespace Descent.Optim.Kernels;

/// <summary>Adagrad's hyperparameters for one step (clr = lr / (1 + (t − 1)·lr_decay) already computed).</summary>
public readonly record struct AdagradHyper(float Clr, float Eps, float WeightDecay, bool Maximize)
{
    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static AdagradHyper For(long step, double lr, double lrDecay, double eps, double weightDecay, bool maximize) =>
        new((float)(lr / (1 + (step - 1) * lrDecay)), (float)eps, (float)weightDecay, maximize);
}

/// <summary>
/// Adagrad's dense update rule over spans, PyTorch's <c>_single_tensor_adagrad</c> in float32:
/// g ← ±grad + wd·p; s ← s + g²; p ← p − clr·g/(√s + ε).
/// </summary>
public static class AdagradKernel
{
    /// <summary>One step.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> sum, in AdagradHyper h)
    {
        if (grad.Length != param.Length || sum.Length != param.Length)
            throw new ArgumentException("Adagrad state and param lengths differ");
        float negClr = -h.Clr;
        for (int i = 0; i < param.Length; i++)
        {
            float g = h.Maximize ? -grad[i] : grad[i];
            if (h.WeightDecay != 0) g = MathF.FusedMultiplyAdd(param[i], h.WeightDecay, g);
            float s = sum[i] + 1f * g * g;
            sum[i] = s;
            float std = MathF.Sqrt(s) + h.Eps;
            param[i] = param[i] + negClr * g / std;
        }
    }
}
