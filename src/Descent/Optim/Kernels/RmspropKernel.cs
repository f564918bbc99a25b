using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Descent.Optim.Kernels;

/// <summary>RMSprop's hyperparameters for one step.</summary>
public readonly record struct RmspropHyper(float Lr, float Alpha, float Eps, float WeightDecay, float Momentum, bool Centered, bool Maximize)
{
    /// <summary>1 − α as PyTorch passes it: computed in double, then rounded (1f − α differs in the last bit).</summary>
    public float OneMinusAlpha { get; init; } = 1 - Alpha;
}

/// <summary>
/// RMSprop's update rule over spans, PyTorch's <c>_single_tensor_rmsprop</c> in float32:
/// g ← ±grad + wd·p; v ← fma((1−α)g, g, αv); centred: ḡ ← lerp(ḡ, g, 1−α) and a ← √fma(−ḡ, ḡ, v), else a ← √v; a ← a + ε;
/// with momentum b ← μb + g/a and p ← p − lr·b, else p ← p − lr·g/a.
/// The two <c>addcmul</c>s are single FMAs, as ATen's compiled kernel evaluates them (see <see cref="AdamMoments"/>):
/// the centred one keeps √(∞ − ḡ²) infinite where ḡ² alone would overflow, and rounds v − ḡ² once, which matters when
/// the two nearly cancel.
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/>.
/// </summary>
public static class RmspropKernel
{
    /// <summary>One step, vectorised; <paramref name="gradAvg"/> is used only when centred, <paramref name="momentumBuffer"/> only with momentum.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> gradAvg,
        Span<float> momentumBuffer, in RmspropHyper h)
    {
        CheckLengths(param, grad, squareAvg, gradAvg, momentumBuffer, h);
        int done = SimdWidth.Bits switch
        {
            512 => Body<Vector512<float>, Simd512>(param, grad, squareAvg, gradAvg, momentumBuffer, h),
            256 => Body<Vector256<float>, Simd256>(param, grad, squareAvg, gradAvg, momentumBuffer, h),
            _ => 0,
        };
        if (done < param.Length)
            StepReference(param[done..], grad[done..], squareAvg[done..], SimdWidth.From(gradAvg, done), SimdWidth.From(momentumBuffer, done), h);
    }

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> gradAvg,
        Span<float> momentumBuffer, in RmspropHyper h)
    {
        CheckLengths(param, grad, squareAvg, gradAvg, momentumBuffer, h);
        float oneMinusAlpha = h.OneMinusAlpha, negLr = -h.Lr;
        for (int i = 0; i < param.Length; i++)
        {
            float g = h.Maximize ? -grad[i] : grad[i];
            if (h.WeightDecay != 0) g = MathF.FusedMultiplyAdd(param[i], h.WeightDecay, g);
            float v = MathF.FusedMultiplyAdd(oneMinusAlpha * g, g, squareAvg[i] * h.Alpha); // addcmul_, as ATen contracts it
            squareAvg[i] = v;
            float avg;
            if (h.Centered)
            {
                float ga = Fp.Lerp(gradAvg[i], g, oneMinusAlpha); // current PyTorch: grad_avg.lerp_(grad, 1 - alpha)
                gradAvg[i] = ga;
                avg = MathF.Sqrt(MathF.FusedMultiplyAdd(-ga, ga, v)); // addcmul(ga, ga, value=-1), one rounding as ATen's
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

    private static void CheckLengths(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> gradAvg,
        Span<float> momentumBuffer, in RmspropHyper h)
    {
        if (grad.Length != param.Length || squareAvg.Length != param.Length
            || (h.Centered && gradAvg.Length != param.Length) || (h.Momentum > 0 && momentumBuffer.Length != param.Length))
            throw new ArgumentException("RMSprop state and param lengths differ");
    }

    // The reference loop, S.Count lanes at a time; returns how many leading elements it updated.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a step calls it once per chunk: too rarely for tiered JIT to promote it soon
    private static int Body<TV, S>(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> gradAvg,
        Span<float> momentumBuffer, in RmspropHyper h) where TV : struct where S : struct, ISimd<TV>
    {
        int n = param.Length - param.Length % S.Count;
        ref float pr = ref SimdWidth.Ref(param);
        ref float gr = ref SimdWidth.Ref(grad);
        ref float vr = ref SimdWidth.Ref(squareAvg);
        ref float ar = ref SimdWidth.Ref(gradAvg);
        ref float br = ref SimdWidth.Ref(momentumBuffer);
        bool maximize = h.Maximize, decay = h.WeightDecay != 0, centered = h.Centered, momentum = h.Momentum > 0;
        bool lowWeight = MathF.Abs(h.OneMinusAlpha) < 0.5f;
        TV wd = S.Splat(h.WeightDecay), alpha = S.Splat(h.Alpha), oneMinusAlpha = S.Splat(h.OneMinusAlpha);
        TV lerpW = S.Splat(lowWeight ? h.OneMinusAlpha : h.OneMinusAlpha - 1f); // Fp.Lerp's two sides
        TV eps = S.Splat(h.Eps), mu = S.Splat(h.Momentum), negLr = S.Splat(-h.Lr);
        for (nuint i = 0; i < (nuint)n; i += (nuint)S.Count)
        {
            TV g = S.Load(ref gr, i);
            if (maximize) g = S.Neg(g);
            TV p = S.Load(ref pr, i);
            if (decay) g = S.Fma(p, wd, g);
            TV v = S.Fma(S.Mul(oneMinusAlpha, g), g, S.Mul(S.Load(ref vr, i), alpha));
            S.Store(v, ref vr, i);
            TV avg;
            if (centered)
            {
                TV ga0 = S.Load(ref ar, i);
                TV ga = S.Fma(lerpW, S.Sub(g, ga0), lowWeight ? ga0 : g);
                S.Store(ga, ref ar, i);
                avg = S.Sqrt(S.Fma(S.Neg(ga), ga, v));
            }
            else avg = S.Sqrt(v);
            avg = S.Add(avg, eps);
            if (momentum)
            {
                TV b = S.Add(S.Mul(S.Load(ref br, i), mu), S.Div(g, avg));
                S.Store(b, ref br, i);
                S.Store(S.Fma(b, negLr, p), ref pr, i);
            }
            else S.Store(S.Add(p, S.Div(S.Mul(negLr, g), avg)), ref pr, i);
        }
        return n;
    }
}

/// <summary>One parameter's RMSprop update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct RmspropJob(FloatSlice param, FloatSlice grad, FloatSlice squareAvg, FloatSlice gradAvg, FloatSlice momentumBuffer, RmspropHyper h)
    : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        RmspropKernel.Step(param.Span(start, length), grad.Span(start, length), squareAvg.Span(start, length),
            gradAvg.Span(start, length), momentumBuffer.Span(start, length), h);
}
