using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>RAdam's hyperparameters for one step (bias corrections and the rectification term already computed), as doubles.</summary>
internal readonly record struct RadamHyper(
    double Beta1Weight, double Beta2, double OneMinusBeta2, double Eps, double WeightDecay, bool Decoupled, double Decay,
    double Lr, double BiasCorrection1, double SqrtBiasCorrection2, bool Rectify, double Rect, bool Maximize);

/// <summary>
/// RAdam's update rule over spans, PyTorch's <c>_single_tensor_radam</c> in the tensor's dtype:
/// g ← ±grad (+ wd·p, or p ← p·(1 − lr·wd) when decoupled); m ← lerp(m, g, 1−β₁); v ← β₂v + (1−β₂)g²;
/// m̂ ← m/(1−β₁ᵗ); when ρₜ &gt; 5: p ← p − m̂·lr·(√(1−β₂ᵗ)/(√v + ε))·r, else p ← p − m̂·lr.
/// <see cref="Step{T}"/> is the vectorised kernel, bit-identical to <see cref="StepReference{T}"/>.
/// </summary>
internal static class RadamKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, in RadamHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.Run(new Op<T>(h), param, grad, expAvg, expAvgSq);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step{T}"/> reproduces.</summary>
    public static void StepReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, in RadamHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.RunReference(new Op<T>(h), param, grad, expAvg, expAvgSq);

    // The rule; slots: a = exp_avg, b = exp_avg_sq.
    private readonly struct Op<T> : IElementwiseOp<Op<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T Beta1Weight, Beta2, OneMinusBeta2, Eps, WeightDecay, Decay, Lr, BiasCorrection1, SqrtBiasCorrection2, Rect, LerpWeight;
        internal readonly bool Maximize, DecoupledOption, Decoupled, Coupled, LowWeight, Rectify;

        public Op(in RadamHyper h)
        {
            Beta1Weight = Fp.Of<T>(h.Beta1Weight);
            Beta2 = Fp.Of<T>(h.Beta2);
            OneMinusBeta2 = Fp.Of<T>(h.OneMinusBeta2);
            Eps = Fp.Of<T>(h.Eps);
            WeightDecay = Fp.Of<T>(h.WeightDecay);
            Decay = Fp.Of<T>(h.Decay);
            Lr = Fp.Of<T>(h.Lr);
            BiasCorrection1 = Fp.Of<T>(h.BiasCorrection1);
            SqrtBiasCorrection2 = Fp.Of<T>(h.SqrtBiasCorrection2);
            Rect = Fp.Of<T>(h.Rect);
            (Maximize, DecoupledOption, Rectify) = (h.Maximize, h.Decoupled, h.Rectify);
            Decoupled = WeightDecay != T.Zero && h.Decoupled;
            Coupled = WeightDecay != T.Zero && !h.Decoupled;
            (LowWeight, LerpWeight) = AdamMoments.LerpSide(Beta1Weight);
        }

        public static string Name => "RAdam";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i)
        {
            T p = s.Param[i], m = s.A[i], v = s.B[i];
            AdamMoments.Update(s.Grad[i], ref p, ref m, ref v, Maximize, WeightDecay, DecoupledOption, Decay,
                Beta1Weight, Beta2, OneMinusBeta2);
            s.A[i] = m;
            s.B[i] = v;
            T corrected = m / BiasCorrection1;
            T update = Rectify
                ? corrected * Lr * (SqrtBiasCorrection2 / (T.Sqrt(v) + Eps)) * Rect
                : corrected * Lr;
            s.Param[i] = p - update;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, Lanes<T, TV, S>>(new Lanes<T, TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<T, TV, S> : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly bool maximize, decoupled, coupled, lowWeight, rectify;
        private readonly TV wd, decay, beta2, oneMinusB2, lerpW, bc1, lr, sqrtBc2, eps, rect;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op<T> op)
        {
            (maximize, decoupled, coupled, lowWeight, rectify) = (op.Maximize, op.Decoupled, op.Coupled, op.LowWeight, op.Rectify);
            wd = S.Splat(op.WeightDecay);
            decay = S.Splat(op.Decay);
            beta2 = S.Splat(op.Beta2);
            oneMinusB2 = S.Splat(op.OneMinusBeta2);
            lerpW = S.Splat(op.LerpWeight);
            bc1 = S.Splat(op.BiasCorrection1);
            lr = S.Splat(op.Lr);
            sqrtBc2 = S.Splat(op.SqrtBiasCorrection2);
            eps = S.Splat(op.Eps);
            rect = S.Splat(op.Rect);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T grad, ref T expAvg, ref T expAvgSq, ref T unused, nuint i)
        {
            TV g = S.Load(ref grad, i), p = S.Load(ref param, i), m = S.Load(ref expAvg, i), v = S.Load(ref expAvgSq, i);
            AdamMoments.Update<T, TV, S>(ref g, ref p, ref m, ref v, maximize, decoupled, coupled, lowWeight, wd, decay, lerpW, beta2, oneMinusB2);
            S.Store(m, ref expAvg, i);
            S.Store(v, ref expAvgSq, i);
            TV update = S.Mul(S.Div(m, bc1), lr);
            if (rectify) update = S.Mul(S.Mul(update, S.Div(sqrtBc2, S.Add(S.Sqrt(v), eps))), rect);
            S.Store(S.Sub(p, update), ref param, i);
        }
    }
}

/// <summary>One parameter's RAdam update as a job a <see cref="StepPlan{TJob}"/> can run in chunks, in the parameter's dtype.</summary>
internal readonly struct RadamJob(TensorSlice param, TensorSlice grad, TensorSlice expAvg, TensorSlice expAvgSq, RadamHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length)
    {
        if (param.IsDouble) Run<double>(start, length);
        else Run<float>(start, length);
    }

    private void Run<T>(int start, int length) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        RadamKernel.Step(param.Span<T>(start, length), grad.Span<T>(start, length), expAvg.Span<T>(start, length), expAvgSq.Span<T>(start, length), h);
}
