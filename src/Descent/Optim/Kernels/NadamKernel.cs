using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>NAdam's hyperparameters for one step (momentum-cache step sizes already computed).</summary>
internal readonly record struct NadamHyper(
    float Beta1Weight, float Beta2, float OneMinusBeta2, float Eps, float WeightDecay, bool Decoupled, float Decay,
    float BiasCorrection2, float GradStep, float AvgStep, bool Maximize);

/// <summary>
/// NAdam's update rule over spans, current PyTorch's <c>_single_tensor_nadam</c> in float32:
/// g ← ±grad (+ wd·p, or p ← p·(1 − lr·wd) when decoupled); m ← lerp(m, g, 1−β₁); v ← β₂v + (1−β₂)g²;
/// d ← √(v/(1−β₂ᵗ)) + ε; p ← p + gradStep·g/d; p ← p + avgStep·m/d.
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/>.
/// </summary>
internal static class NadamKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq, in NadamHyper h) =>
        Elementwise.Run(new Op(h), param, grad, expAvg, expAvgSq);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq, in NadamHyper h) =>
        Elementwise.RunReference(new Op(h), param, grad, expAvg, expAvgSq);

    // The rule; slots: a = exp_avg, b = exp_avg_sq.
    private readonly struct Op(in NadamHyper h) : IElementwiseOp<Op>
    {
        internal readonly NadamHyper H = h;
        internal readonly bool Decoupled = h.WeightDecay != 0 && h.Decoupled, Coupled = h.WeightDecay != 0 && !h.Decoupled;
        internal readonly bool LowWeight = MathF.Abs(h.Beta1Weight) < 0.5f; // Fp.Lerp's two sides

        public static string Name => "NAdam";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i)
        {
            float p = s.Param[i], m = s.A[i], v = s.B[i];
            float g = AdamMoments.Update(s.Grad[i], ref p, ref m, ref v, H.Maximize, H.WeightDecay, H.Decoupled, H.Decay,
                H.Beta1Weight, H.Beta2, H.OneMinusBeta2);
            s.A[i] = m;
            s.B[i] = v;
            float denom = MathF.Sqrt(v / H.BiasCorrection2) + H.Eps;
            p = p + H.GradStep * g / denom;
            s.Param[i] = p + H.AvgStep * m / denom;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, Lanes<TV, S>>(new Lanes<TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<TV, S> : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly bool maximize, decoupled, coupled, lowWeight;
        private readonly TV wd, decay, beta2, oneMinusB2, lerpW, bc2, eps, gradStep, avgStep;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op op)
        {
            var h = op.H;
            (maximize, decoupled, coupled, lowWeight) = (h.Maximize, op.Decoupled, op.Coupled, op.LowWeight);
            wd = S.Splat(h.WeightDecay);
            decay = S.Splat(h.Decay);
            beta2 = S.Splat(h.Beta2);
            oneMinusB2 = S.Splat(h.OneMinusBeta2);
            lerpW = S.Splat(lowWeight ? h.Beta1Weight : h.Beta1Weight - 1f);
            bc2 = S.Splat(h.BiasCorrection2);
            eps = S.Splat(h.Eps);
            gradStep = S.Splat(h.GradStep);
            avgStep = S.Splat(h.AvgStep);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float param, ref float grad, ref float expAvg, ref float expAvgSq, ref float unused, nuint i)
        {
            TV g = S.Load(ref grad, i), p = S.Load(ref param, i), m = S.Load(ref expAvg, i), v = S.Load(ref expAvgSq, i);
            AdamMoments.Update<TV, S>(ref g, ref p, ref m, ref v, maximize, decoupled, coupled, lowWeight, wd, decay, lerpW, beta2, oneMinusB2);
            S.Store(m, ref expAvg, i);
            S.Store(v, ref expAvgSq, i);
            TV denom = S.Add(S.Sqrt(S.Div(v, bc2)), eps);
            p = S.Add(p, S.Div(S.Mul(gradStep, g), denom));
            S.Store(S.Add(p, S.Div(S.Mul(avgStep, m), denom)), ref param, i);
        }
    }
}

/// <summary>One parameter's NAdam update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct NadamJob(FloatSlice param, FloatSlice grad, FloatSlice expAvg, FloatSlice expAvgSq, NadamHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        NadamKernel.Step(param.Span(start, length), grad.Span(start, length), expAvg.Span(start, length), expAvgSq.Span(start, length), h);
}
