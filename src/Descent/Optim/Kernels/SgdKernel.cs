using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Descent.Optim.Kernels;

/// <summary>SGD's hyperparameters for one step, as the kernel uses them.</summary>
public readonly record struct SgdHyper(float Lr, float Momentum, float Dampening, float WeightDecay, bool Nesterov, bool Maximize);

/// <summary>
/// SGD's update rule over spans, PyTorch's <c>_single_tensor_sgd</c> in float32 with the same operation order:
/// g ← ±grad + wd·p; with momentum, b ← g on the first step, else b ← μ·b + (1−τ)·g, and g ← g + μ·b (Nesterov) or b;
/// p ← p − lr·g.
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/> (the same FMAs per lane).
/// </summary>
public static class SgdKernel
{
    /// <summary>One step, vectorised. <paramref name="momentumBuffer"/> is ignored when momentum is 0; <paramref name="firstStep"/> seeds it.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> momentumBuffer, in SgdHyper h, bool firstStep)
    {
        CheckLengths(param, grad, momentumBuffer, h);
        int done = SimdWidth.Bits switch
        {
            512 => Body<Vector512<float>, Simd512>(param, grad, momentumBuffer, h, firstStep),
            256 => Body<Vector256<float>, Simd256>(param, grad, momentumBuffer, h, firstStep),
            _ => 0,
        };
        if (done < param.Length) StepReference(param[done..], grad[done..], SimdWidth.From(momentumBuffer, done), h, firstStep);
    }

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> momentumBuffer, in SgdHyper h, bool firstStep)
    {
        CheckLengths(param, grad, momentumBuffer, h);
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

    private static void CheckLengths(Span<float> param, ReadOnlySpan<float> grad, Span<float> momentumBuffer, in SgdHyper h)
    {
        if (grad.Length != param.Length) throw new ArgumentException("grad and param lengths differ");
        if (h.Momentum != 0 && momentumBuffer.Length != param.Length) throw new ArgumentException("SGD momentum buffer and param lengths differ");
    }

    // The reference loop, S.Count lanes at a time; returns how many leading elements it updated.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a step calls it once per chunk: too rarely for tiered JIT to promote it soon
    private static int Body<TV, S>(Span<float> param, ReadOnlySpan<float> grad, Span<float> momentumBuffer, in SgdHyper h, bool firstStep)
        where TV : struct where S : struct, ISimd<TV>
    {
        int n = param.Length - param.Length % S.Count;
        ref float pr = ref SimdWidth.Ref(param);
        ref float gr = ref SimdWidth.Ref(grad);
        ref float br = ref SimdWidth.Ref(momentumBuffer);
        bool maximize = h.Maximize, decay = h.WeightDecay != 0, momentum = h.Momentum != 0, nesterov = h.Nesterov;
        TV wd = S.Splat(h.WeightDecay), mu = S.Splat(h.Momentum), oneMinusDampening = S.Splat(1 - h.Dampening), negLr = S.Splat(-h.Lr);
        for (nuint i = 0; i < (nuint)n; i += (nuint)S.Count)
        {
            TV g = S.Load(ref gr, i);
            if (maximize) g = S.Neg(g);
            TV p = S.Load(ref pr, i);
            if (decay) g = S.Fma(p, wd, g);
            if (momentum)
            {
                TV b = firstStep ? g : S.Fma(g, oneMinusDampening, S.Mul(S.Load(ref br, i), mu));
                S.Store(b, ref br, i);
                g = nesterov ? S.Fma(b, mu, g) : b;
            }
            S.Store(S.Fma(g, negLr, p), ref pr, i);
        }
        return n;
    }
}

/// <summary>One parameter's SGD update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct SgdJob(FloatSlice param, FloatSlice grad, FloatSlice momentumBuffer, SgdHyper h, bool firstStep) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        SgdKernel.Step(param.Span(start, length), grad.Span(start, length), momentumBuffer.Span(start, length), h, firstStep);
}
