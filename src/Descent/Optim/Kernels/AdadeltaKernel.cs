using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/>.
/// </summary>
public static class AdadeltaKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> accDelta, in AdadeltaHyper h)
    {
        CheckLengths(param, grad, squareAvg, accDelta);
        int done = SimdWidth.Bits switch
        {
            512 => Body<Vector512<float>, Simd512>(param, grad, squareAvg, accDelta, h),
            256 => Body<Vector256<float>, Simd256>(param, grad, squareAvg, accDelta, h),
            _ => 0,
        };
        if (done < param.Length) StepReference(param[done..], grad[done..], squareAvg[done..], accDelta[done..], h);
    }

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> accDelta, in AdadeltaHyper h)
    {
        CheckLengths(param, grad, squareAvg, accDelta);
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

    private static void CheckLengths(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> accDelta)
    {
        if (grad.Length != param.Length || squareAvg.Length != param.Length || accDelta.Length != param.Length)
            throw new ArgumentException("Adadelta state and param lengths differ");
    }

    // The reference loop, S.Count lanes at a time; returns how many leading elements it updated.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a step calls it once per chunk: too rarely for tiered JIT to promote it soon
    private static int Body<TV, S>(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> accDelta, in AdadeltaHyper h)
        where TV : struct where S : struct, ISimd<TV>
    {
        int n = param.Length - param.Length % S.Count;
        ref float pr = ref SimdWidth.Ref(param);
        ref float gr = ref SimdWidth.Ref(grad);
        ref float vr = ref SimdWidth.Ref(squareAvg);
        ref float ur = ref SimdWidth.Ref(accDelta);
        bool maximize = h.Maximize, decay = h.WeightDecay != 0;
        TV wd = S.Splat(h.WeightDecay), rho = S.Splat(h.Rho), oneMinusRho = S.Splat(h.OneMinusRho), eps = S.Splat(h.Eps), negLr = S.Splat(-h.Lr);
        for (nuint i = 0; i < (nuint)n; i += (nuint)S.Count)
        {
            TV g = S.Load(ref gr, i);
            if (maximize) g = S.Neg(g);
            TV p = S.Load(ref pr, i);
            if (decay) g = S.Fma(p, wd, g);
            TV v = S.Add(S.Mul(S.Load(ref vr, i), rho), S.Mul(S.Mul(oneMinusRho, g), g));
            S.Store(v, ref vr, i);
            TV std = S.Sqrt(S.Add(v, eps));
            TV u = S.Load(ref ur, i);
            TV delta = S.Mul(S.Div(S.Sqrt(S.Add(u, eps)), std), g);
            S.Store(S.Add(S.Mul(u, rho), S.Mul(S.Mul(oneMinusRho, delta), delta)), ref ur, i);
            S.Store(S.Fma(delta, negLr, p), ref pr, i);
        }
        return n;
    }
}

/// <summary>One parameter's Adadelta update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct AdadeltaJob(FloatSlice param, FloatSlice grad, FloatSlice squareAvg, FloatSlice accDelta, AdadeltaHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        AdadeltaKernel.Step(param.Span(start, length), grad.Span(start, length), squareAvg.Span(start, length), accDelta.Span(start, length), h);
}
