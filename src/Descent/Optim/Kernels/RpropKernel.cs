using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Descent.Optim.Kernels;

/// <summary>Rprop's hyperparameters (float32, as PyTorch stores the factors into the sign tensor).</summary>
public readonly record struct RpropHyper(float EtaMinus, float EtaPlus, float StepSizeMin, float StepSizeMax, bool Maximize);

/// <summary>
/// Rprop's update rule over spans, PyTorch's <c>_single_tensor_rprop</c> in float32:
/// s ← sign(g·g_prev) mapped to η₊ / η₋ / 1; Δ ← clamp(Δ·s, Δmin, Δmax); g ← 0 where s = η₋;
/// p ← p − sign(g)·Δ; g_prev ← g.
/// <c>torch.sign</c> is (0 &lt; x) − (x &lt; 0): 0 for NaN and +0 for −0. So a NaN product maps to 1 (the step size
/// stays), and a NaN gradient moves nothing, though it is kept in <c>prev</c> (the next product is NaN again).
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/>: its branches become
/// lane selects in the same order, NaN included (Math.Clamp's two comparisons).
/// </summary>
public static class RpropKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> prev, Span<float> stepSize, in RpropHyper h)
    {
        CheckLengths(param, grad, prev, stepSize);
        int done = SimdWidth.Bits switch
        {
            512 => Body<Vector512<float>, Simd512>(param, grad, prev, stepSize, h),
            256 => Body<Vector256<float>, Simd256>(param, grad, prev, stepSize, h),
            _ => 0,
        };
        if (done < param.Length) StepReference(param[done..], grad[done..], prev[done..], stepSize[done..], h);
    }

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> prev, Span<float> stepSize, in RpropHyper h)
    {
        CheckLengths(param, grad, prev, stepSize);
        for (int i = 0; i < param.Length; i++)
        {
            float g = h.Maximize ? -grad[i] : grad[i];
            float prod = g * prev[i];
            float sign = prod > 0 ? h.EtaPlus : prod < 0 ? h.EtaMinus : 1f; // sign(NaN) is 0, so NaN maps to 1
            float s = Math.Clamp(stepSize[i] * sign, h.StepSizeMin, h.StepSizeMax);
            stepSize[i] = s;
            if (sign == h.EtaMinus) g = 0;
            float sg = g > 0 ? 1f : g < 0 ? -1f : 0f; // torch.sign: 0 for NaN and ±0
            param[i] = param[i] + -1f * sg * s;
            prev[i] = g;
        }
    }

    private static void CheckLengths(Span<float> param, ReadOnlySpan<float> grad, Span<float> prev, Span<float> stepSize)
    {
        if (grad.Length != param.Length || prev.Length != param.Length || stepSize.Length != param.Length)
            throw new ArgumentException("Rprop state and param lengths differ");
    }

    // The reference loop, S.Count lanes at a time; returns how many leading elements it updated.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a step calls it once per chunk: too rarely for tiered JIT to promote it soon
    private static int Body<TV, S>(Span<float> param, ReadOnlySpan<float> grad, Span<float> prev, Span<float> stepSize, in RpropHyper h)
        where TV : struct where S : struct, ISimd<TV>
    {
        if (h.StepSizeMin > h.StepSizeMax) return 0; // Math.Clamp throws; let the reference raise it
        int n = param.Length - param.Length % S.Count;
        ref float pr = ref SimdWidth.Ref(param);
        ref float gr = ref SimdWidth.Ref(grad);
        ref float qr = ref SimdWidth.Ref(prev);
        ref float sr = ref SimdWidth.Ref(stepSize);
        bool maximize = h.Maximize;
        TV zero = S.Splat(0f), one = S.Splat(1f), minusOne = S.Splat(-1f);
        TV etaPlus = S.Splat(h.EtaPlus), etaMinus = S.Splat(h.EtaMinus), min = S.Splat(h.StepSizeMin), max = S.Splat(h.StepSizeMax);
        for (nuint i = 0; i < (nuint)n; i += (nuint)S.Count)
        {
            TV g = S.Load(ref gr, i);
            if (maximize) g = S.Neg(g);
            TV prod = S.Mul(g, S.Load(ref qr, i));
            TV sign = S.Select(S.GreaterThan(prod, zero), etaPlus, S.Select(S.LessThan(prod, zero), etaMinus, one));
            TV x = S.Mul(S.Load(ref sr, i), sign);
            TV s = S.Select(S.LessThan(x, min), min, S.Select(S.GreaterThan(x, max), max, x));
            S.Store(s, ref sr, i);
            g = S.Select(S.Equal(sign, etaMinus), zero, g);
            TV sg = S.Select(S.GreaterThan(g, zero), one, S.Select(S.LessThan(g, zero), minusOne, zero));
            S.Store(S.Add(S.Load(ref pr, i), S.Mul(S.Mul(minusOne, sg), s)), ref pr, i);
            S.Store(g, ref qr, i);
        }
        return n;
    }
}

/// <summary>One parameter's Rprop update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct RpropJob(FloatSlice param, FloatSlice grad, FloatSlice prev, FloatSlice stepSize, RpropHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        RpropKernel.Step(param.Span(start, length), grad.Span(start, length), prev.Span(start, length), stepSize.Span(start, length), h);
}
