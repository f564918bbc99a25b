using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>RMSprop's hyperparameters for one step.</summary>
internal readonly record struct RmspropHyper(float Lr, float Alpha, float Eps, float WeightDecay, float Momentum, bool Centered, bool Maximize)
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
internal static class RmspropKernel
{
    /// <summary>One step, vectorised; <paramref name="gradAvg"/> is used only when centred, <paramref name="momentumBuffer"/> only with momentum.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> gradAvg,
        Span<float> momentumBuffer, in RmspropHyper h) =>
        Elementwise.Run(new Op(h), param, grad, squareAvg, gradAvg, momentumBuffer);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> gradAvg,
        Span<float> momentumBuffer, in RmspropHyper h) =>
        Elementwise.RunReference(new Op(h), param, grad, squareAvg, gradAvg, momentumBuffer);

    // The rule; slots: a = square_avg, b = grad_avg (centred only), c = momentum_buffer (momentum only).
    private readonly struct Op(in RmspropHyper h) : IElementwiseOp<Op>
    {
        internal readonly RmspropHyper H = h;

        public static string Name => "RMSprop";

        public ElementBuffers Buffers =>
            ElementBuffers.Grad | ElementBuffers.A | (H.Centered ? ElementBuffers.B : 0) | (H.Momentum > 0 ? ElementBuffers.C : 0);

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i)
        {
            float oneMinusAlpha = H.OneMinusAlpha, negLr = -H.Lr;
            float g = H.Maximize ? -s.Grad[i] : s.Grad[i];
            if (H.WeightDecay != 0) g = MathF.FusedMultiplyAdd(s.Param[i], H.WeightDecay, g);
            float v = MathF.FusedMultiplyAdd(oneMinusAlpha * g, g, s.A[i] * H.Alpha); // addcmul_, as ATen contracts it
            s.A[i] = v;
            float avg;
            if (H.Centered)
            {
                float ga = Fp.Lerp(s.B[i], g, oneMinusAlpha); // current PyTorch: grad_avg.lerp_(grad, 1 - alpha)
                s.B[i] = ga;
                avg = MathF.Sqrt(MathF.FusedMultiplyAdd(-ga, ga, v)); // addcmul(ga, ga, value=-1), one rounding as ATen's
            }
            else avg = MathF.Sqrt(v);
            avg += H.Eps;
            if (H.Momentum > 0)
            {
                float b = s.C[i] * H.Momentum + g / avg;
                s.C[i] = b;
                s.Param[i] = MathF.FusedMultiplyAdd(b, negLr, s.Param[i]);
            }
            else s.Param[i] = s.Param[i] + negLr * g / avg;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, Lanes<TV, S>>(new Lanes<TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<TV, S> : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly bool maximize, decay, centered, momentum, lowWeight;
        private readonly TV wd, alpha, oneMinusAlpha, lerpW, eps, mu, negLr;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op op)
        {
            var h = op.H;
            (maximize, decay, centered, momentum) = (h.Maximize, h.WeightDecay != 0, h.Centered, h.Momentum > 0);
            lowWeight = MathF.Abs(h.OneMinusAlpha) < 0.5f;
            wd = S.Splat(h.WeightDecay);
            alpha = S.Splat(h.Alpha);
            oneMinusAlpha = S.Splat(h.OneMinusAlpha);
            lerpW = S.Splat(lowWeight ? h.OneMinusAlpha : h.OneMinusAlpha - 1f); // Fp.Lerp's two sides
            eps = S.Splat(h.Eps);
            mu = S.Splat(h.Momentum);
            negLr = S.Splat(-h.Lr);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float param, ref float grad, ref float squareAvg, ref float gradAvg, ref float momentumBuffer, nuint i)
        {
            TV g = S.Load(ref grad, i);
            if (maximize) g = S.Neg(g);
            TV p = S.Load(ref param, i);
            if (decay) g = S.Fma(p, wd, g);
            TV v = S.Fma(S.Mul(oneMinusAlpha, g), g, S.Mul(S.Load(ref squareAvg, i), alpha));
            S.Store(v, ref squareAvg, i);
            TV avg;
            if (centered)
            {
                TV ga0 = S.Load(ref gradAvg, i);
                TV ga = S.Fma(lerpW, S.Sub(g, ga0), lowWeight ? ga0 : g);
                S.Store(ga, ref gradAvg, i);
                avg = S.Sqrt(S.Fma(S.Neg(ga), ga, v));
            }
            else avg = S.Sqrt(v);
            avg = S.Add(avg, eps);
            if (momentum)
            {
                TV b = S.Add(S.Mul(S.Load(ref momentumBuffer, i), mu), S.Div(g, avg));
                S.Store(b, ref momentumBuffer, i);
                S.Store(S.Fma(b, negLr, p), ref param, i);
            }
            else S.Store(S.Add(p, S.Div(S.Mul(negLr, g), avg)), ref param, i);
        }
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
