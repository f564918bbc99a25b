using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>RMSprop's hyperparameters for one step, as doubles.</summary>
internal readonly record struct RmspropHyper(double Lr, double Alpha, double Eps, double WeightDecay, double Momentum, bool Centered, bool Maximize)
{
    /// <summary>1 − α as PyTorch passes it: computed in double, then rounded to the tensor's dtype.</summary>
    public double OneMinusAlpha => 1 - Alpha;
}

/// <summary>
/// RMSprop's update rule over spans, PyTorch's <c>_single_tensor_rmsprop</c> in the tensor's dtype:
/// g ← ±grad + wd·p; v ← fma((1−α)g, g, αv); centred: ḡ ← lerp(ḡ, g, 1−α) and a ← √fma(−ḡ, ḡ, v), else a ← √v; a ← a + ε;
/// with momentum b ← μb + g/a and p ← p − lr·b, else p ← p − lr·g/a.
/// The two <c>addcmul</c>s are single FMAs, as ATen's compiled kernel evaluates them (see <see cref="AdamMoments"/>):
/// the centred one keeps √(∞ − ḡ²) infinite where ḡ² alone would overflow, and rounds v − ḡ² once, which matters when
/// the two nearly cancel.
/// <see cref="Step{T}"/> is the vectorised kernel, bit-identical to <see cref="StepReference{T}"/>.
/// </summary>
internal static class RmspropKernel
{
    /// <summary>One step, vectorised; <paramref name="gradAvg"/> is used only when centred, <paramref name="momentumBuffer"/> only with momentum.</summary>
    public static void Step<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> squareAvg, Span<T> gradAvg,
        Span<T> momentumBuffer, in RmspropHyper h) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.Run(new Op<T>(h), param, grad, squareAvg, gradAvg, momentumBuffer);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step{T}"/> reproduces.</summary>
    public static void StepReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> squareAvg, Span<T> gradAvg,
        Span<T> momentumBuffer, in RmspropHyper h) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.RunReference(new Op<T>(h), param, grad, squareAvg, gradAvg, momentumBuffer);

    // The rule; slots: a = square_avg, b = grad_avg (centred only), c = momentum_buffer (momentum only).
    private readonly struct Op<T>(in RmspropHyper h) : IElementwiseOp<Op<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T NegLr = -Fp.Of<T>(h.Lr), Alpha = Fp.Of<T>(h.Alpha), OneMinusAlpha = Fp.Of<T>(h.OneMinusAlpha), Eps = Fp.Of<T>(h.Eps),
            WeightDecay = Fp.Of<T>(h.WeightDecay), Momentum = Fp.Of<T>(h.Momentum);
        internal readonly bool Centered = h.Centered, Maximize = h.Maximize;

        public static string Name => "RMSprop";

        public ElementBuffers Buffers =>
            ElementBuffers.Grad | ElementBuffers.A | (Centered ? ElementBuffers.B : 0) | (Momentum > T.Zero ? ElementBuffers.C : 0);

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i)
        {
            T g = Maximize ? -s.Grad[i] : s.Grad[i];
            if (WeightDecay != T.Zero) g = T.FusedMultiplyAdd(s.Param[i], WeightDecay, g);
            T v = T.FusedMultiplyAdd(OneMinusAlpha * g, g, s.A[i] * Alpha); // addcmul_, as ATen contracts it
            s.A[i] = v;
            T avg;
            if (Centered)
            {
                T ga = Fp.Lerp(s.B[i], g, OneMinusAlpha); // current PyTorch: grad_avg.lerp_(grad, 1 - alpha)
                s.B[i] = ga;
                avg = T.Sqrt(T.FusedMultiplyAdd(-ga, ga, v)); // addcmul(ga, ga, value=-1), one rounding as ATen's
            }
            else avg = T.Sqrt(v);
            avg += Eps;
            if (Momentum > T.Zero)
            {
                T b = s.C[i] * Momentum + g / avg;
                s.C[i] = b;
                s.Param[i] = T.FusedMultiplyAdd(b, NegLr, s.Param[i]);
            }
            else s.Param[i] = s.Param[i] + NegLr * g / avg;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, Lanes<T, TV, S>>(new Lanes<T, TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<T, TV, S> : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly bool maximize, decay, centered, momentum, lowWeight;
        private readonly TV wd, alpha, oneMinusAlpha, lerpW, eps, mu, negLr;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op<T> op)
        {
            (maximize, decay, centered, momentum) = (op.Maximize, op.WeightDecay != T.Zero, op.Centered, op.Momentum > T.Zero);
            (lowWeight, T w) = AdamMoments.LerpSide(op.OneMinusAlpha);
            wd = S.Splat(op.WeightDecay);
            alpha = S.Splat(op.Alpha);
            oneMinusAlpha = S.Splat(op.OneMinusAlpha);
            lerpW = S.Splat(w);
            eps = S.Splat(op.Eps);
            mu = S.Splat(op.Momentum);
            negLr = S.Splat(op.NegLr);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T grad, ref T squareAvg, ref T gradAvg, ref T momentumBuffer, nuint i)
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

/// <summary>One parameter's RMSprop update as a job a <see cref="StepPlan{TJob}"/> can run in chunks, in the parameter's dtype.</summary>
internal readonly struct RmspropJob(TensorSlice param, TensorSlice grad, TensorSlice squareAvg, TensorSlice gradAvg, TensorSlice momentumBuffer, RmspropHyper h)
    : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length)
    {
        if (param.IsDouble) Run<double>(start, length);
        else Run<float>(start, length);
    }

    private void Run<T>(int start, int length) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        RmspropKernel.Step(param.Span<T>(start, length), grad.Span<T>(start, length), squareAvg.Span<T>(start, length),
            gradAvg.Span<T>(start, length), momentumBuffer.Span<T>(start, length), h);
}
