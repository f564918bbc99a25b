using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Descent.Optim.Kernels;

/// <summary>Adamax's hyperparameters for one step (clr = lr / (1 − β₁ᵗ) already computed).</summary>
public readonly record struct AdamaxHyper(float Beta1Weight, float Beta2, float Eps, float WeightDecay, float Clr, bool Maximize)
{
    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static AdamaxHyper For(long step, double lr, double beta1, double beta2, double eps, double weightDecay, bool maximize) =>
        new((float)(1 - beta1), (float)beta2, (float)eps, (float)weightDecay, (float)(lr / (1 - Math.Pow(beta1, step))), maximize);
}

/// <summary>
/// Adamax's update rule over spans, PyTorch's <c>_single_tensor_adamax</c> in float32:
/// g ← ±grad + wd·p; m ← lerp(m, g, 1−β₁); u ← max(β₂u, |g| + ε); p ← p − clr·m/u.
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/> (vector max has
/// <see cref="MathF.Max"/>'s NaN and signed-zero rules).
/// </summary>
public static class AdamaxKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expInf, in AdamaxHyper h)
    {
        CheckLengths(param, grad, expAvg, expInf);
        int done = SimdWidth.Bits switch
        {
            512 => Body<Vector512<float>, Simd512>(param, grad, expAvg, expInf, h),
            256 => Body<Vector256<float>, Simd256>(param, grad, expAvg, expInf, h),
            _ => 0,
        };
        if (done < param.Length) StepReference(param[done..], grad[done..], expAvg[done..], expInf[done..], h);
    }

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expInf, in AdamaxHyper h)
    {
        CheckLengths(param, grad, expAvg, expInf);
        float negClr = -h.Clr;
        for (int i = 0; i < param.Length; i++)
        {
            float g = h.Maximize ? -grad[i] : grad[i];
            if (h.WeightDecay != 0) g = MathF.FusedMultiplyAdd(param[i], h.WeightDecay, g);
            float m = Fp.Lerp(expAvg[i], g, h.Beta1Weight);
            expAvg[i] = m;
            float u = MathF.Max(expInf[i] * h.Beta2, MathF.Abs(g) + h.Eps);
            expInf[i] = u;
            param[i] = param[i] + negClr * m / u;
        }
    }

    private static void CheckLengths(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expInf)
    {
        if (grad.Length != param.Length || expAvg.Length != param.Length || expInf.Length != param.Length)
            throw new ArgumentException("Adamax state and param lengths differ");
    }

    // The reference loop, S.Count lanes at a time; returns how many leading elements it updated.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a step calls it once per chunk: too rarely for tiered JIT to promote it soon
    private static int Body<TV, S>(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expInf, in AdamaxHyper h)
        where TV : struct where S : struct, ISimd<TV>
    {
        int n = param.Length - param.Length % S.Count;
        ref float pr = ref SimdWidth.Ref(param);
        ref float gr = ref SimdWidth.Ref(grad);
        ref float mr = ref SimdWidth.Ref(expAvg);
        ref float ur = ref SimdWidth.Ref(expInf);
        bool maximize = h.Maximize, decay = h.WeightDecay != 0, lowWeight = MathF.Abs(h.Beta1Weight) < 0.5f;
        TV wd = S.Splat(h.WeightDecay), beta2 = S.Splat(h.Beta2), eps = S.Splat(h.Eps), negClr = S.Splat(-h.Clr);
        TV lerpW = S.Splat(lowWeight ? h.Beta1Weight : h.Beta1Weight - 1f); // Fp.Lerp's two sides
        for (nuint i = 0; i < (nuint)n; i += (nuint)S.Count)
        {
            TV g = S.Load(ref gr, i);
            if (maximize) g = S.Neg(g);
            TV p = S.Load(ref pr, i);
            if (decay) g = S.Fma(p, wd, g);
            TV m0 = S.Load(ref mr, i);
            TV m = S.Fma(lerpW, S.Sub(g, m0), lowWeight ? m0 : g);
            S.Store(m, ref mr, i);
            TV u = S.Max(S.Mul(S.Load(ref ur, i), beta2), S.Add(S.Abs(g), eps));
            S.Store(u, ref ur, i);
            S.Store(S.Add(p, S.Div(S.Mul(negClr, m), u)), ref pr, i);
        }
        return n;
    }
}

/// <summary>One parameter's Adamax update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct AdamaxJob(FloatSlice param, FloatSlice grad, FloatSlice expAvg, FloatSlice expInf, AdamaxHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        AdamaxKernel.Step(param.Span(start, length), grad.Span(start, length), expAvg.Span(start, length), expInf.Span(start, length), h);
}
