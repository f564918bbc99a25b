using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        {
            Decay = (float)(1 - lr * weightDecay), OneMinusBeta1 = (float)(1 - beta1), OneMinusBeta2 = (float)(1 - beta2),
            StepSize = (float)(lr / (1 - Math.Pow(beta1, step))),
        };

    /// <summary>
    /// lr / (1 − β₁ᵗ), computed in double from the double lr as PyTorch does in Python before it meets float32
    /// (from the float lr it can round differently, e.g. at step 1 with lr 1e-3).
    /// </summary>
    public float StepSize { get; init; } = (float)(Lr / BiasCorrection1);

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
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/>: the same operations in
/// the same order on each lane (one FMA where the reference has one, no contraction elsewhere).
/// </summary>
public static class AdamKernel
{
    /// <summary>One step, vectorised; <paramref name="maxExpAvgSq"/> is used only with amsgrad.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq,
        Span<float> maxExpAvgSq, in AdamHyper h)
    {
        CheckLengths(param, grad, expAvg, expAvgSq, maxExpAvgSq, h);
        int done = SimdWidth.Bits switch
        {
            512 => Body<Vector512<float>, Simd512>(param, grad, expAvg, expAvgSq, maxExpAvgSq, h),
            256 => Body<Vector256<float>, Simd256>(param, grad, expAvg, expAvgSq, maxExpAvgSq, h),
            _ => 0,
        };
        if (done < param.Length)
            StepReference(param[done..], grad[done..], expAvg[done..], expAvgSq[done..], SimdWidth.From(maxExpAvgSq, done), h);
    }

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq,
        Span<float> maxExpAvgSq, in AdamHyper h)
    {
        CheckLengths(param, grad, expAvg, expAvgSq, maxExpAvgSq, h);
        float oneMinusB1 = h.OneMinusBeta1, oneMinusB2 = h.OneMinusBeta2;
        float stepSize = h.StepSize;
        float bc2Sqrt = (float)Math.Sqrt(h.BiasCorrection2);
        float decay = h.Decay;
        for (int i = 0; i < param.Length; i++)
        {
            float p = param[i], m = expAvg[i], v = expAvgSq[i]; // current PyTorch: exp_avg.lerp_(grad, 1 - beta1)
            AdamMoments.Update(grad[i], ref p, ref m, ref v, h.Maximize, h.WeightDecay, h.Decoupled, decay, oneMinusB1, h.Beta2, oneMinusB2);
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

    private static void CheckLengths(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq,
        Span<float> maxExpAvgSq, in AdamHyper h)
    {
        if (grad.Length != param.Length || expAvg.Length != param.Length || expAvgSq.Length != param.Length
            || (h.Amsgrad && maxExpAvgSq.Length != param.Length))
            throw new ArgumentException("Adam state and param lengths differ");
    }

    // The reference loop, S.Count lanes at a time; returns how many leading elements it updated.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a step calls it once per chunk: too rarely for tiered JIT to promote it soon
    private static int Body<TV, S>(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq,
        Span<float> maxExpAvgSq, in AdamHyper h) where TV : struct where S : struct, ISimd<TV>
    {
        int n = param.Length - param.Length % S.Count;
        ref float pr = ref SimdWidth.Ref(param);
        ref float gr = ref SimdWidth.Ref(grad);
        ref float mr = ref SimdWidth.Ref(expAvg);
        ref float vr = ref SimdWidth.Ref(expAvgSq);
        ref float xr = ref SimdWidth.Ref(maxExpAvgSq);
        bool maximize = h.Maximize, amsgrad = h.Amsgrad, decoupled = h.WeightDecay != 0 && h.Decoupled;
        bool coupled = h.WeightDecay != 0 && !h.Decoupled, lowWeight = MathF.Abs(h.OneMinusBeta1) < 0.5f;
        TV wd = S.Splat(h.WeightDecay), decay = S.Splat(h.Decay), beta2 = S.Splat(h.Beta2), oneMinusB2 = S.Splat(h.OneMinusBeta2);
        // Fp.Lerp's two sides: w·(e − s) + s for |w| < 0.5, else (w − 1)·(e − s) + e.
        TV lerpW = S.Splat(lowWeight ? h.OneMinusBeta1 : h.OneMinusBeta1 - 1f);
        TV negStep = S.Splat(-h.StepSize);
        TV bc2Sqrt = S.Splat((float)Math.Sqrt(h.BiasCorrection2)), eps = S.Splat(h.Eps);
        for (nuint i = 0; i < (nuint)n; i += (nuint)S.Count)
        {
            TV g = S.Load(ref gr, i), p = S.Load(ref pr, i), m = S.Load(ref mr, i), v = S.Load(ref vr, i);
            AdamMoments.Update<TV, S>(ref g, ref p, ref m, ref v, maximize, decoupled, coupled, lowWeight, wd, decay, lerpW, beta2, oneMinusB2);
            S.Store(m, ref mr, i);
            S.Store(v, ref vr, i);
            if (amsgrad)
            {
                v = S.Max(S.Load(ref xr, i), v);
                S.Store(v, ref xr, i);
            }
            TV denom = S.Add(S.Div(S.Sqrt(v), bc2Sqrt), eps);
            S.Store(S.Add(p, S.Div(S.Mul(negStep, m), denom)), ref pr, i);
        }
        return n;
    }
}

/// <summary>One parameter's Adam update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct AdamJob(FloatSlice param, FloatSlice grad, FloatSlice expAvg, FloatSlice expAvgSq, FloatSlice maxExpAvgSq, AdamHyper h)
    : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        AdamKernel.Step(param.Span(start, length), grad.Span(start, length), expAvg.Span(start, length),
            expAvgSq.Span(start, length), maxExpAvgSq.Span(start, length), h);
}
