using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>RAdam's hyperparameters for one step (bias corrections and the rectification term already computed).</summary>
internal readonly record struct RadamHyper(
    float Beta1Weight, float Beta2, float OneMinusBeta2, float Eps, float WeightDecay, bool Decoupled, float Decay,
    float Lr, float BiasCorrection1, float SqrtBiasCorrection2, bool Rectify, float Rect, bool Maximize);

/// <summary>
/// RAdam's update rule over spans, PyTorch's <c>_single_tensor_radam</c> in float32:
/// g ← ±grad (+ wd·p, or p ← p·(1 − lr·wd) when decoupled); m ← lerp(m, g, 1−β₁); v ← β₂v + (1−β₂)g²;
/// m̂ ← m/(1−β₁ᵗ); when ρₜ &gt; 5: p ← p − m̂·lr·(√(1−β₂ᵗ)/(√v + ε))·r, else p ← p − m̂·lr.
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/>.
/// </summary>
internal static class RadamKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq, in RadamHyper h) =>
        Elementwise.Run(new Op(h), param, grad, expAvg, expAvgSq);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq, in RadamHyper h) =>
        Elementwise.RunReference(new Op(h), param, grad, expAvg, expAvgSq);

    // The rule; slots: a = exp_avg, b = exp_avg_sq.
    private readonly struct Op(in RadamHyper h) : IElementwiseOp<Op>
    {
        internal readonly RadamHyper H = h;
        internal readonly bool Decoupled = h.WeightDecay != 0 && h.Decoupled, Coupled = h.WeightDecay != 0 && !h.Decoupled;
        internal readonly bool LowWeight = MathF.Abs(h.Beta1Weight) < 0.5f; // Fp.Lerp's two sides

        public static string Name => "RAdam";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i)
        {
            float p = s.Param[i], m = s.A[i], v = s.B[i];
            AdamMoments.Update(s.Grad[i], ref p, ref m, ref v, H.Maximize, H.WeightDecay, H.Decoupled, H.Decay,
                H.Beta1Weight, H.Beta2, H.OneMinusBeta2);
            s.A[i] = m;
            s.B[i] = v;
            float corrected = m / H.BiasCorrection1;
            float update = H.Rectify
                ? corrected * H.Lr * (H.SqrtBiasCorrection2 / (MathF.Sqrt(v) + H.Eps)) * H.Rect
                : corrected * H.Lr;
            s.Param[i] = p - update;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, Lanes<TV, S>>(new Lanes<TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<TV, S> : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly bool maximize, decoupled, coupled, lowWeight, rectify;
        private readonly TV wd, decay, beta2, oneMinusB2, lerpW, bc1, lr, sqrtBc2, eps, rect;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op op)
        {
            var h = op.H;
            (maximize, decoupled, coupled, lowWeight, rectify) = (h.Maximize, op.Decoupled, op.Coupled, op.LowWeight, h.Rectify);
            wd = S.Splat(h.WeightDecay);
            decay = S.Splat(h.Decay);
            beta2 = S.Splat(h.Beta2);
            oneMinusB2 = S.Splat(h.OneMinusBeta2);
            lerpW = S.Splat(lowWeight ? h.Beta1Weight : h.Beta1Weight - 1f);
            bc1 = S.Splat(h.BiasCorrection1);
            lr = S.Splat(h.Lr);
            sqrtBc2 = S.Splat(h.SqrtBiasCorrection2);
            eps = S.Splat(h.Eps);
            rect = S.Splat(h.Rect);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float param, ref float grad, ref float expAvg, ref float expAvgSq, ref float unused, nuint i)
        {
            TV g = S.Load(ref grad, i), p = S.Load(ref param, i), m = S.Load(ref expAvg, i), v = S.Load(ref expAvgSq, i);
            AdamMoments.Update<TV, S>(ref g, ref p, ref m, ref v, maximize, decoupled, coupled, lowWeight, wd, decay, lerpW, beta2, oneMinusB2);
            S.Store(m, ref expAvg, i);
            S.Store(v, ref expAvgSq, i);
            TV update = S.Mul(S.Div(m, bc1), lr);
            if (rectify) update = S.Mul(S.Mul(update, S.Div(sqrtBc2, S.Add(S.Sqrt(v), eps))), rect);
            S.Store(S.Sub(p, update), ref param, i);
        }
    }
}

/// <summary>One parameter's RAdam update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct RadamJob(FloatSlice param, FloatSlice grad, FloatSlice expAvg, FloatSlice expAvgSq, RadamHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        RadamKernel.Step(param.Span(start, length), grad.Span(start, length), expAvg.Span(start, length), expAvgSq.Span(start, length), h);
}
