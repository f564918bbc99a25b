using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Descent.Optim.Kernels;

/// <summary>Adagrad's hyperparameters for one step (clr = lr / (1 + (t − 1)·lr_decay) already computed).</summary>
public readonly record struct AdagradHyper(float Clr, float Eps, float WeightDecay, bool Maximize)
{
    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static AdagradHyper For(long step, double lr, double lrDecay, double eps, double weightDecay, bool maximize) =>
        new((float)(lr / (1 + (step - 1) * lrDecay)), (float)eps, (float)weightDecay, maximize);
}

/// <summary>
/// Adagrad's dense update rule over spans, PyTorch's <c>_single_tensor_adagrad</c> in float32:
/// g ← ±grad + wd·p; s ← s + g²; p ← p − clr·g/(√s + ε).
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/> (the reference's
/// 1·g·g, PyTorch's addcmul value 1, is g·g exactly: multiplying by one is exact).
/// </summary>
public static class AdagradKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> sum, in AdagradHyper h)
    {
        CheckLengths(param, grad, sum);
        int done = SimdWidth.Bits switch
        {
            512 => Body<Vector512<float>, Simd512>(param, grad, sum, h),
            256 => Body<Vector256<float>, Simd256>(param, grad, sum, h),
            _ => 0,
        };
        if (done < param.Length) StepReference(param[done..], grad[done..], sum[done..], h);
    }

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> sum, in AdagradHyper h)
    {
        CheckLengths(param, grad, sum);
        float negClr = -h.Clr;
        for (int i = 0; i < param.Length; i++)
        {
            float g = h.Maximize ? -grad[i] : grad[i];
            if (h.WeightDecay != 0) g = MathF.FusedMultiplyAdd(param[i], h.WeightDecay, g);
            float s = sum[i] + 1f * g * g;
            sum[i] = s;
            float std = MathF.Sqrt(s) + h.Eps;
            param[i] = param[i] + negClr * g / std;
        }
    }

    private static void CheckLengths(Span<float> param, ReadOnlySpan<float> grad, Span<float> sum)
    {
        if (grad.Length != param.Length || sum.Length != param.Length)
            throw new ArgumentException("Adagrad state and param lengths differ");
    }

    // The reference loop, S.Count lanes at a time; returns how many leading elements it updated.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a step calls it once per chunk: too rarely for tiered JIT to promote it soon
    private static int Body<TV, S>(Span<float> param, ReadOnlySpan<float> grad, Span<float> sum, in AdagradHyper h)
        where TV : struct where S : struct, ISimd<TV>
    {
        int n = param.Length - param.Length % S.Count;
        ref float pr = ref SimdWidth.Ref(param);
        ref float gr = ref SimdWidth.Ref(grad);
        ref float sr = ref SimdWidth.Ref(sum);
        bool maximize = h.Maximize, decay = h.WeightDecay != 0;
        TV wd = S.Splat(h.WeightDecay), eps = S.Splat(h.Eps), negClr = S.Splat(-h.Clr);
        for (nuint i = 0; i < (nuint)n; i += (nuint)S.Count)
        {
            TV g = S.Load(ref gr, i);
            if (maximize) g = S.Neg(g);
            TV p = S.Load(ref pr, i);
            if (decay) g = S.Fma(p, wd, g);
            TV s = S.Add(S.Load(ref sr, i), S.Mul(g, g));
            S.Store(s, ref sr, i);
            TV std = S.Add(S.Sqrt(s), eps);
            S.Store(S.Add(p, S.Div(S.Mul(negClr, g), std)), ref pr, i);
        }
        return n;
    }
}

/// <summary>One parameter's Adagrad update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct AdagradJob(FloatSlice param, FloatSlice grad, FloatSlice sum, AdagradHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        AdagradKernel.Step(param.Span(start, length), grad.Span(start, length), sum.Span(start, length), h);
}
