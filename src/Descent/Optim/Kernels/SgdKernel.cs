using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>SGD's hyperparameters for one step, as Python holds them (doubles; a kernel rounds them to its dtype).</summary>
internal readonly record struct SgdHyper(double Lr, double Momentum, double Dampening, double WeightDecay, bool Nesterov, bool Maximize);

/// <summary>
/// SGD's update rule over spans, PyTorch's <c>_single_tensor_sgd</c> in the tensor's dtype (float32 or float64) with the
/// same operation order: g ← ±grad + wd·p; with momentum, b ← g on the first step, else b ← μ·b + (1−τ)·g, and
/// g ← g + μ·b (Nesterov) or b; p ← p − lr·g.
/// <see cref="Step{T}"/> is the vectorised kernel, bit-identical to <see cref="StepReference{T}"/> (the same FMAs per lane).
/// </summary>
internal static class SgdKernel
{
    /// <summary>One step, vectorised. <paramref name="momentumBuffer"/> is ignored when momentum is 0; <paramref name="firstStep"/> seeds it.</summary>
    public static void Step<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> momentumBuffer, in SgdHyper h, bool firstStep)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.Run(new Op<T>(h, firstStep), param, grad, momentumBuffer);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step{T}"/> reproduces.</summary>
    public static void StepReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> momentumBuffer, in SgdHyper h, bool firstStep)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.RunReference(new Op<T>(h, firstStep), param, grad, momentumBuffer);

    // The rule; slot a = momentum_buffer (with momentum only).
    private readonly struct Op<T> : IElementwiseOp<Op<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T NegLr, Momentum, OneMinusDampening, WeightDecay;
        internal readonly bool Nesterov, Maximize, FirstStep;

        public Op(in SgdHyper h, bool firstStep)
        {
            NegLr = -Fp.Of<T>(h.Lr);
            Momentum = Fp.Of<T>(h.Momentum);
            OneMinusDampening = T.One - Fp.Of<T>(h.Dampening);
            WeightDecay = Fp.Of<T>(h.WeightDecay);
            (Nesterov, Maximize, FirstStep) = (h.Nesterov, h.Maximize, firstStep);
        }

        public static string Name => "SGD";

        public static string GradLengthError => "grad and param lengths differ";

        public static string StateLengthError => "SGD momentum buffer and param lengths differ";

        public ElementBuffers Buffers => ElementBuffers.Grad | (Momentum != T.Zero ? ElementBuffers.A : 0);

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i)
        {
            T g = Maximize ? -s.Grad[i] : s.Grad[i];
            if (WeightDecay != T.Zero) g = T.FusedMultiplyAdd(s.Param[i], WeightDecay, g);
            if (Momentum != T.Zero)
            {
                T b;
                if (FirstStep) b = g;
                else b = T.FusedMultiplyAdd(g, OneMinusDampening, s.A[i] * Momentum);
                s.A[i] = b;
                g = Nesterov ? T.FusedMultiplyAdd(b, Momentum, g) : b;
            }
            s.Param[i] = T.FusedMultiplyAdd(g, NegLr, s.Param[i]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, Lanes<T, TV, S>>(new Lanes<T, TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<T, TV, S> : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly bool maximize, decay, momentum, nesterov, firstStep;
        private readonly TV wd, mu, oneMinusDampening, negLr;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op<T> op)
        {
            (maximize, decay, momentum, nesterov, firstStep) = (op.Maximize, op.WeightDecay != T.Zero, op.Momentum != T.Zero, op.Nesterov, op.FirstStep);
            wd = S.Splat(op.WeightDecay);
            mu = S.Splat(op.Momentum);
            oneMinusDampening = S.Splat(op.OneMinusDampening);
            negLr = S.Splat(op.NegLr);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T grad, ref T momentumBuffer, ref T unusedB, ref T unusedC, nuint i)
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

/// <summary>One parameter's SGD update as a job a <see cref="StepPlan{TJob}"/> can run in chunks, in the parameter's dtype.</summary>
internal readonly struct SgdJob(TensorSlice param, TensorSlice grad, TensorSlice momentumBuffer, SgdHyper h, bool firstStep) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length)
    {
        if (param.IsDouble) Run<double>(start, length);
        else Run<float>(start, length);
    }

    private void Run<T>(int start, int length) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        SgdKernel.Step(param.Span<T>(start, length), grad.Span<T>(start, length), momentumBuffer.Span<T>(start, length), h, firstStep);
}
