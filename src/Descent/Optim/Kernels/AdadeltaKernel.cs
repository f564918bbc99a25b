namespace Descent.Optim.Kernels;

/// <summary>Adadelta's hyperparameters for one step; scalars are rounded to float32 the way PyTorch passes them.</summary>
public readonly record struct AdadeltaHyper(float Lr, float Rho, float OneMinusRho, float Eps, float WeightDecay, bool Maximize)
{
    /// <summary>From the group's double-precision options.</summary>
    public static AdadeltaHyper For(double lr, double rho, double eps, double weightDecay, bool maximize) =>
        new((float)lr, (float)rho, (float)(1 - rho), (float)eps, (float)weightDecay, maximize);
}

/// <summary>
/// Adadelta's update rule over spans, PyTorch's <c>_single_tensor_adadelta</c> in float32:
/// g ← ±grad + wd·p; v ← ρv + (1−ρ)g²; Δ ← √(u + ε)/√(v + ε)·g; u ← ρu + (1−ρ)Δ²; p ← p − lr·Δ.
/// </summary>
public static class AdadeltaKernel
{
    /// <summary>One step.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> accDelta, in AdadeltaHyper h)
    {
        if (grad.Length != param.Length || squareAvg.Length != param.Length || accDelta.Length != param.Length)
            throw new ArgumentException("Adadelta state and param lengths differ");
        float negLr = -h.Lr;
        for (int i = 0; i < param.Length; i++)
        {
            float g = h.Maximize ? -grad[i] : grad[i];
            if (h.WeightDecay != 0) g = MathF.FusedMultiplyAdd(param[i], h.WeightDecay, g);
            float v = squareAvg[i] * h.Rho + h.OneMinusRho * g * g;
            squareAvg[i] = v;
            float std = MathF.Sqrt(v + h.Eps);
            float delta = MathF.Sqrt(accDelta[i] + h.Eps) / std * g;
            accDelta[i] = accDelta[i] * h.Rho + h.OneMinusRho * delta * delta;
            param[i] = MathF.FusedMultiplyAdd(delta, negLr, param[i]);
        }
    }
}
