namespace Descent.Optim.Kernels;

/// <summary>ASGD's hyperparameters for one step: η and μ as read from the float32 state, and derived factors.</summary>
public readonly record struct AsgdHyper(float Decay, float NegEta, float Mu, float WeightDecay, bool Maximize)
{
    /// <summary>From the state's η and μ (float32, as PyTorch keeps them) and the group's options.</summary>
    public static AsgdHyper For(float eta, float mu, double lambd, double weightDecay, bool maximize) =>
        new((float)(1 - lambd * eta), (float)-(double)eta, mu, (float)weightDecay, maximize);
}

/// <summary>
/// ASGD's update rule over spans, PyTorch's <c>_single_tensor_asgd</c> in float32:
/// g ← ±grad + wd·p; p ← p·(1 − λη); p ← p − η·g; ā ← ā + μ(p − ā) (or ā ← p while μ = 1).
/// </summary>
public static class AsgdKernel
{
    /// <summary>One step; the caller then advances η and μ.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> ax, in AsgdHyper h)
    {
        if (grad.Length != param.Length || ax.Length != param.Length)
            throw new ArgumentException("ASGD state and param lengths differ");
        for (int i = 0; i < param.Length; i++)
        {
            float g = h.Maximize ? -grad[i] : grad[i];
            float p = param[i];
            if (h.WeightDecay != 0) g = MathF.FusedMultiplyAdd(p, h.WeightDecay, g);
            p *= h.Decay;
            p = MathF.FusedMultiplyAdd(g, h.NegEta, p);
            param[i] = p;
            ax[i] = h.Mu != 1 ? ax[i] + (p - ax[i]) * h.Mu : p;
        }
    }
}
