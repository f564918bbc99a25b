using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>Adamax's hyperparameters for one step (clr = lr / (1 − β₁ᵗ) already computed).</summary>
internal readonly record struct AdamaxHyper(float Beta1Weight, float Beta2, float Eps, float WeightDecay, float Clr, bool Maximize)
{
    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static AdamaxHyper For(long step, double lr, double beta1, double beta2, double eps, double weightDecay, bool maximize) =>
        new((float)(1 - beta1), (float)beta2, (float)eps, (float)weightDecay, (float)(lr / (1 - Math.Pow(beta1, step))), maximize);
}

/// <summary>
/// Adamax's update rule over spans, PyTorch's <c>_single_tensor_adamax</c> in float32:
/// g ← ±grad + wd·p; m ← lerp(m, g, 1−β₁); u ← max(β₂u, |g| + ε); p ← p − clr·m/u.
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/> (vector max has
/// <see cref="MathF.Max"/>'s NaN and signed-zero rules).
/// </summary>
internal static class AdamaxKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expInf, in AdamaxHyper h) =>
        Elementwise.Run(new Op(h), param, grad, expAvg, expInf);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expInf, in AdamaxHyper h) =>
        Elementwise.RunReference(new Op(h), param, grad, expAvg, expInf);

    // The rule; slots: a = exp_avg, b = exp_inf.
    private readonly struct Op(in AdamaxHyper h) : IElementwiseOp<Op>
    {
        internal readonly AdamaxHyper H = h;

        public static string Name => "Adamax";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i)
        {
            float negClr = -H.Clr;
            float g = H.Maximize ? -s.Grad[i] : s.Grad[i];
            if (H.WeightDecay != 0) g = MathF.FusedMultiplyAdd(s.Param[i], H.WeightDecay, g);
            float m = Fp.Lerp(s.A[i], g, H.Beta1Weight);
            s.A[i] = m;
            float u = MathF.Max(s.B[i] * H.Beta2, MathF.Abs(g) + H.Eps);
            s.B[i] = u;
            s.Param[i] = s.Param[i] + negClr * m / u;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, Lanes<TV, S>>(new Lanes<TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<TV, S> : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly bool maximize, decay, lowWeight;
        private readonly TV wd, beta2, eps, negClr, lerpW;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op op)
        {
            var h = op.H;
            (maximize, decay, lowWeight) = (h.Maximize, h.WeightDecay != 0, MathF.Abs(h.Beta1Weight) < 0.5f);
            wd = S.Splat(h.WeightDecay);
            beta2 = S.Splat(h.Beta2);
            eps = S.Splat(h.Eps);
            negClr = S.Splat(-h.Clr);
            lerpW = S.Splat(lowWeight ? h.Beta1Weight : h.Beta1Weight - 1f); // Fp.Lerp's two sides
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float param, ref float grad, ref float expAvg, ref float expInf, ref float unused, nuint i)
        {
            TV g = S.Load(ref grad, i);
            if (maximize) g = S.Neg(g);
            TV p = S.Load(ref param, i);
            if (decay) g = S.Fma(p, wd, g);
            TV m0 = S.Load(ref expAvg, i);
            TV m = S.Fma(lerpW, S.Sub(g, m0), lowWeight ? m0 : g);
            S.Store(m, ref expAvg, i);
            TV u = S.Max(S.Mul(S.Load(ref expInf, i), beta2), S.Add(S.Abs(g), eps));
            S.Store(u, ref expInf, i);
            S.Store(S.Add(p, S.Div(S.Mul(negClr, m), u)), ref param, i);
        }
    }
}

/// <summary>One parameter's Adamax update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct AdamaxJob(FloatSlice param, FloatSlice grad, FloatSlice expAvg, FloatSlice expInf, AdamaxHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        AdamaxKernel.Step(param.Span(start, length), grad.Span(start, length), expAvg.Span(start, length), expInf.Span(start, length), h);
}
