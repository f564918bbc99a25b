namespace Descent.Optim.Kernels;

/// <summary>SparseAdam's hyperparameters for one step (the bias-corrected step size already computed).</summary>
public readonly record struct SparseAdamHyper(float OneMinusBeta1, float OneMinusBeta2, float Eps, float NegStepSize, bool Maximize)
{
    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static SparseAdamHyper For(long step, double lr, double beta1, double beta2, double eps, bool maximize) =>
        new((float)(1 - beta1), (float)(1 - beta2), (float)eps,
            (float)-(lr * Math.Sqrt(1 - Math.Pow(beta2, step)) / (1 - Math.Pow(beta1, step))), maximize);
}

/// <summary>
/// SparseAdam's update rule over the rows a row-sparse gradient holds, PyTorch's <c>sparse_adam</c> in float32.
/// Rows absent from the gradient are not touched, their moments included:
/// m ← m + (g − m)(1−β₁); v ← v + (g² − v)(1−β₂); p ← p − s·m/(√v + ε), s = lr·√(1−β₂ᵗ)/(1−β₁ᵗ).
/// </summary>
public static class SparseAdamKernel
{
    /// <summary>One step over <paramref name="rows"/> (each <paramref name="rowLength"/> elements long).</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq,
        ReadOnlySpan<int> rows, int rowLength, in SparseAdamHyper h)
    {
        if (grad.Length != param.Length || expAvg.Length != param.Length || expAvgSq.Length != param.Length)
            throw new ArgumentException("SparseAdam state and param lengths differ");
        foreach (int r in rows)
        {
            int start = r * rowLength;
            for (int i = start; i < start + rowLength; i++)
            {
                float g = h.Maximize ? -grad[i] : grad[i];
                float oldM = expAvg[i], oldV = expAvgSq[i];
                float updM = (g - oldM) * h.OneMinusBeta1;
                float updV = (g * g - oldV) * h.OneMinusBeta2;
                expAvg[i] = oldM + updM;
                expAvgSq[i] = oldV + updV;
                float numer = updM + oldM;
                float denom = MathF.Sqrt(updV + oldV) + h.Eps;
                param[i] = param[i] + h.NegStepSize * (numer / denom);
            }
        }
    }
}
