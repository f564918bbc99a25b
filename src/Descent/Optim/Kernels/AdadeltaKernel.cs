using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>Adadelta's hyperparameters for one step; scalars are rounded to float32 the way PyTorch passes them.</summary>
internal readonly record struct AdadeltaHyper(float Lr, float Rho, float OneMinusRho, float Eps, float WeightDecay, bool Maximize)
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
internal static class AdadeltaKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> accDelta, in AdadeltaHyper h) =>
        Elementwise.Run(new Op(h), param, grad, squareAvg, accDelta);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> squareAvg, Span<float> accDelta, in AdadeltaHyper h) =>
        Elementwise.RunReference(new Op(h), param, grad, squareAvg, accDelta);

    // The rule; slots: a = square_avg, b = acc_delta.
    private readonly struct Op(in AdadeltaHyper h) : IElementwiseOp<Op>
    {
        internal readonly AdadeltaHyper H = h;

        public static string Name => "Adadelta";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i)
        {
            float negLr = -H.Lr;
            float g = H.Maximize ? -s.Grad[i] : s.Grad[i];
            if (H.WeightDecay != 0) g = MathF.FusedMultiplyAdd(s.Param[i], H.WeightDecay, g);
            float v = s.A[i] * H.Rho + H.OneMinusRho * g * g;
            s.A[i] = v;
            float std = MathF.Sqrt(v + H.Eps);
            float delta = MathF.Sqrt(s.B[i] + H.Eps) / std * g;
            s.B[i] = s.B[i] * H.Rho + H.OneMinusRho * delta * delta;
            s.Param[i] = MathF.FusedMultiplyAdd(delta, negLr, s.Param[i]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, Lanes<TV, S>>(new Lanes<TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<TV, S> : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly bool maximize, decay;
        private readonly TV wd, rho, oneMinusRho, eps, negLr;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op op)
        {
            var h = op.H;
            (maximize, decay) = (h.Maximize, h.WeightDecay != 0);
            wd = S.Splat(h.WeightDecay);
            rho = S.Splat(h.Rho);
            oneMinusRho = S.Splat(h.OneMinusRho);
            eps = S.Splat(h.Eps);
            negLr = S.Splat(-h.Lr);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float param, ref float grad, ref float squareAvg, ref float accDelta, ref float unused, nuint i)
        {
            TV g = S.Load(ref grad, i);
            if (maximize) g = S.Neg(g);
            TV p = S.Load(ref param, i);
            if (decay) g = S.Fma(p, wd, g);
            TV v = S.Add(S.Mul(S.Load(ref squareAvg, i), rho), S.Mul(S.Mul(oneMinusRho, g), g));
            S.Store(v, ref squareAvg, i);
            TV std = S.Sqrt(S.Add(v, eps));
            TV u = S.Load(ref accDelta, i);
            TV delta = S.Mul(S.Div(S.Sqrt(S.Add(u, eps)), std), g);
            S.Store(S.Add(S.Mul(u, rho), S.Mul(S.Mul(oneMinusRho, delta), delta)), ref accDelta, i);
            S.Store(S.Fma(delta, negLr, p), ref param, i);
        }
    }
}

/// <summary>One parameter's Adadelta update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct AdadeltaJob(FloatSlice param, FloatSlice grad, FloatSlice squareAvg, FloatSlice accDelta, AdadeltaHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        AdadeltaKernel.Step(param.Span(start, length), grad.Span(start, length), squareAvg.Span(start, length), accDelta.Span(start, length), h);
}
