using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>SGD's hyperparameters for one step, as the kernel uses them.</summary>
internal readonly record struct SgdHyper(float Lr, float Momentum, float Dampening, float WeightDecay, bool Nesterov, bool Maximize);

/// <summary>
/// SGD's update rule over spans, PyTorch's <c>_single_tensor_sgd</c> in float32 with the same operation order:
/// g ← ±grad + wd·p; with momentum, b ← g on the first step, else b ← μ·b + (1−τ)·g, and g ← g + μ·b (Nesterov) or b;
/// p ← p − lr·g.
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/> (the same FMAs per lane).
/// </summary>
internal static class SgdKernel
{
    /// <summary>One step, vectorised. <paramref name="momentumBuffer"/> is ignored when momentum is 0; <paramref name="firstStep"/> seeds it.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> momentumBuffer, in SgdHyper h, bool firstStep) =>
        Elementwise.Run(new Op(h, firstStep), param, grad, momentumBuffer);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> momentumBuffer, in SgdHyper h, bool firstStep) =>
        Elementwise.RunReference(new Op(h, firstStep), param, grad, momentumBuffer);

    // The rule; slot a = momentum_buffer (with momentum only).
    private readonly struct Op(in SgdHyper h, bool firstStep) : IElementwiseOp<Op>
    {
        internal readonly SgdHyper H = h;
        internal readonly bool FirstStep = firstStep;

        public static string Name => "SGD";

        public static string GradLengthError => "grad and param lengths differ";

        public static string StateLengthError => "SGD momentum buffer and param lengths differ";

        public ElementBuffers Buffers => ElementBuffers.Grad | (H.Momentum != 0 ? ElementBuffers.A : 0);

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i)
        {
            float negLr = -H.Lr, oneMinusDampening = 1 - H.Dampening;
            float g = H.Maximize ? -s.Grad[i] : s.Grad[i];
            if (H.WeightDecay != 0) g = MathF.FusedMultiplyAdd(s.Param[i], H.WeightDecay, g);
            if (H.Momentum != 0)
            {
                float b;
                if (FirstStep) b = g;
                else b = MathF.FusedMultiplyAdd(g, oneMinusDampening, s.A[i] * H.Momentum);
                s.A[i] = b;
                g = H.Nesterov ? MathF.FusedMultiplyAdd(b, H.Momentum, g) : b;
            }
            s.Param[i] = MathF.FusedMultiplyAdd(g, negLr, s.Param[i]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, Lanes<TV, S>>(new Lanes<TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<TV, S> : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly bool maximize, decay, momentum, nesterov, firstStep;
        private readonly TV wd, mu, oneMinusDampening, negLr;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op op)
        {
            var h = op.H;
            (maximize, decay, momentum, nesterov, firstStep) = (h.Maximize, h.WeightDecay != 0, h.Momentum != 0, h.Nesterov, op.FirstStep);
            wd = S.Splat(h.WeightDecay);
            mu = S.Splat(h.Momentum);
            oneMinusDampening = S.Splat(1 - h.Dampening);
            negLr = S.Splat(-h.Lr);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float param, ref float grad, ref float momentumBuffer, ref float unusedB, ref float unusedC, nuint i)
        {
            TV g = S.Load(ref grad, i);
            if (maximize) g = S.Neg(g);
            TV p = S.Load(ref param, i);
            if (decay) g = S.Fma(p, wd, g);
            if (momentum)
            {
                TV b = firstStep ? g : S.Fma(g, oneMinusDampening, S.Mul(S.Load(ref momentumBuffer, i), mu));
                S.Store(b, ref momentumBuffer, i);
                g = nesterov ? S.Fma(b, mu, g) : b;
            }
            S.Store(S.Fma(g, negLr, p), ref param, i);
        }
    }
}

/// <summary>One parameter's SGD update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct SgdJob(FloatSlice param, FloatSlice grad, FloatSlice momentumBuffer, SgdHyper h, bool firstStep) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        SgdKernel.Step(param.Span(start, length), grad.Span(start, length), momentumBuffer.Span(start, length), h, firstStep);
}
