using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Descent.Optim.Kernels;

/// <summary>RAdam's hyperparameters for one step (bias corrections and the rectification term already computed).</summary>
public readonly record struct RadamHyper(
    float Beta1Weight, float Beta2, float OneMinusBeta2, float Eps, float WeightDecay, bool Decoupled, float Decay,
    float Lr, float BiasCorrection1, float SqrtBiasCorrection2, bool Rectify, float Rect, bool Maximize);

/// <summary>
/// RAdam's update rule over spans, PyTorch's <c>_single_tensor_radam</c> in float32:
/// g ← ±grad (+ wd·p, or p ← p·(1 − lr·wd) when decoupled); m ← lerp(m, g, 1−β₁); v ← β₂v + (1−β₂)g²;
/// m̂ ← m/(1−β₁ᵗ); when ρₜ &gt; 5: p ← p − m̂·lr·(√(1−β₂ᵗ)/(√v + ε))·r, else p ← p − m̂·lr.
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/>.
/// </summary>
public static class RadamKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq, in RadamHyper h)
    {
        CheckLengths(param, grad, expAvg, expAvgSq);
        int done = SimdWidth.Bits switch
        {
            512 => Body<Vector512<float>, Simd512>(param, grad, expAvg, expAvgSq, h),
            256 => Body<Vector256<float>, Simd256>(param, grad, expAvg, expAvgSq, h),
            _ => 0,
        };
        if (done < param.Length) StepReference(param[done..], grad[done..], expAvg[done..], expAvgSq[done..], h);
    }

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq, in RadamHyper h)
    {
        CheckLengths(param, grad, expAvg, expAvgSq);
        for (int i = 0; i < param.Length; i++)
        {
            float p = param[i], m = expAvg[i], v = expAvgSq[i];
            AdamMoments.Update(grad[i], ref p, ref m, ref v, h.Maximize, h.WeightDecay, h.Decoupled, h.Decay,
                h.Beta1Weight, h.Beta2, h.OneMinusBeta2);
            expAvg[i] = m;
            expAvgSq[i] = v;
            float corrected = m / h.BiasCorrection1;
            float update = h.Rectify
                ? corrected * h.Lr * (h.SqrtBiasCorrection2 / (MathF.Sqrt(v) + h.Eps)) * h.Rect
                : corrected * h.Lr;
            param[i] = p - update;
        }
    }

    private static void CheckLengths(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq)
    {
        if (grad.Length != param.Length || expAvg.Length != param.Length || expAvgSq.Length != param.Length)
            throw new ArgumentException("RAdam state and param lengths differ");
    }

    // The reference loop, S.Count lanes at a time; returns how many leading elements it updated.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a step calls it once per chunk: too rarely for tiered JIT to promote it soon
    private static int Body<TV, S>(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq, in RadamHyper h)
        where TV : struct where S : struct, ISimd<TV>
    {
        int n = param.Length - param.Length % S.Count;
        ref float pr = ref SimdWidth.Ref(param);
        ref float gr = ref SimdWidth.Ref(grad);
        ref float mr = ref SimdWidth.Ref(expAvg);
        ref float vr = ref SimdWidth.Ref(expAvgSq);
        bool maximize = h.Maximize, decoupled = h.WeightDecay != 0 && h.Decoupled, coupled = h.WeightDecay != 0 && !h.Decoupled;
        bool lowWeight = MathF.Abs(h.Beta1Weight) < 0.5f, rectify = h.Rectify;
        TV wd = S.Splat(h.WeightDecay), decay = S.Splat(h.Decay), beta2 = S.Splat(h.Beta2), oneMinusB2 = S.Splat(h.OneMinusBeta2);
        TV lerpW = S.Splat(lowWeight ? h.Beta1Weight : h.Beta1Weight - 1f); // Fp.Lerp's two sides
        TV bc1 = S.Splat(h.BiasCorrection1), lr = S.Splat(h.Lr), sqrtBc2 = S.Splat(h.SqrtBiasCorrection2), eps = S.Splat(h.Eps), rect = S.Splat(h.Rect);
        for (nuint i = 0; i < (nuint)n; i += (nuint)S.Count)
        {
            TV g = S.Load(ref gr, i), p = S.Load(ref pr, i), m = S.Load(ref mr, i), v = S.Load(ref vr, i);
            AdamMoments.Update<TV, S>(ref g, ref p, ref m, ref v, maximize, decoupled, coupled, lowWeight, wd, decay, lerpW, beta2, oneMinusB2);
            S.Store(m, ref mr, i);
            S.Store(v, ref vr, i);
            TV update = S.Mul(S.Div(m, bc1), lr);
            if (rectify) update = S.Mul(S.Mul(update, S.Div(sqrtBc2, S.Add(S.Sqrt(v), eps))), rect);
            S.Store(S.Sub(p, update), ref pr, i);
        }
        return n;
    }
}

/// <summary>One parameter's RAdam update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct RadamJob(FloatSlice param, FloatSlice grad, FloatSlice expAvg, FloatSlice expAvgSq, RadamHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        RadamKernel.Step(param.Span(start, length), grad.Span(start, length), expAvg.Span(start, length), expAvgSq.Span(start, length), h);
}
