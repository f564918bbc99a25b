using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/>.
/// </summary>
public static class AsgdKernel
{
    /// <summary>One step, vectorised; the caller then advances η and μ.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> ax, in AsgdHyper h)
    {
        CheckLengths(param, grad, ax);
        int done = SimdWidth.Bits switch
        {
            512 => Body<Vector512<float>, Simd512>(param, grad, ax, h),
            256 => Body<Vector256<float>, Simd256>(param, grad, ax, h),
            _ => 0,
        };
        if (done < param.Length) StepReference(param[done..], grad[done..], ax[done..], h);
    }

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> ax, in AsgdHyper h)
    {
        CheckLengths(param, grad, ax);
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

    private static void CheckLengths(Span<float> param, ReadOnlySpan<float> grad, Span<float> ax)
    {
        if (grad.Length != param.Length || ax.Length != param.Length)
            throw new ArgumentException("ASGD state and param lengths differ");
    }

    // The reference loop, S.Count lanes at a time; returns how many leading elements it updated.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a step calls it once per chunk: too rarely for tiered JIT to promote it soon
    private static int Body<TV, S>(Span<float> param, ReadOnlySpan<float> grad, Span<float> ax, in AsgdHyper h)
        where TV : struct where S : struct, ISimd<TV>
    {
        int n = param.Length - param.Length % S.Count;
        ref float pr = ref SimdWidth.Ref(param);
        ref float gr = ref SimdWidth.Ref(grad);
        ref float ar = ref SimdWidth.Ref(ax);
        bool maximize = h.Maximize, decay = h.WeightDecay != 0, average = h.Mu != 1;
        TV wd = S.Splat(h.WeightDecay), shrink = S.Splat(h.Decay), negEta = S.Splat(h.NegEta), mu = S.Splat(h.Mu);
        for (nuint i = 0; i < (nuint)n; i += (nuint)S.Count)
        {
            TV g = S.Load(ref gr, i);
            if (maximize) g = S.Neg(g);
            TV p = S.Load(ref pr, i);
            if (decay) g = S.Fma(p, wd, g);
            p = S.Fma(g, negEta, S.Mul(p, shrink));
            S.Store(p, ref pr, i);
            if (average)
            {
                TV a = S.Load(ref ar, i);
                p = S.Add(a, S.Mul(S.Sub(p, a), mu));
            }
            S.Store(p, ref ar, i);
        }
        return n;
    }
}

/// <summary>One parameter's ASGD update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct AsgdJob(FloatSlice param, FloatSlice grad, FloatSlice ax, AsgdHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) => AsgdKernel.Step(param.Span(start, length), grad.Span(start, length), ax.Span(start, length), h);
}
