using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>
/// ASGD's hyperparameters for one step, as doubles: η and μ as read from the state (float32 scalars in PyTorch, whatever
/// the parameter's dtype), and the factors Python derives from them.
/// </summary>
internal readonly record struct AsgdHyper(double Decay, double NegEta, double Mu, double WeightDecay, bool Maximize)
{
    /// <summary>From the state's η and μ (float32, as PyTorch keeps them) and the group's options.</summary>
    public static AsgdHyper For(float eta, float mu, double lambd, double weightDecay, bool maximize) =>
        new(1 - lambd * eta, -(double)eta, mu, weightDecay, maximize);
}

/// <summary>
/// ASGD's update rule over spans, PyTorch's <c>_single_tensor_asgd</c> in the tensor's dtype:
/// g ← ±grad + wd·p; p ← p·(1 − λη); p ← p − η·g; ā ← ā + μ(p − ā) (or ā ← p while μ = 1).
/// <see cref="Step{T}"/> is the vectorised kernel, bit-identical to <see cref="StepReference{T}"/>.
/// </summary>
internal static class AsgdKernel
{
    /// <summary>One step, vectorised; the caller then advances η and μ.</summary>
    public static void Step<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> ax, in AsgdHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.Run(new Op<T>(h), param, grad, ax);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step{T}"/> reproduces.</summary>
    public static void StepReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> ax, in AsgdHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.RunReference(new Op<T>(h), param, grad, ax);

    // The rule; slot a = ax.
    private readonly struct Op<T>(in AsgdHyper h) : IElementwiseOp<Op<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T Decay = Fp.Of<T>(h.Decay), NegEta = Fp.Of<T>(h.NegEta), Mu = Fp.Of<T>(h.Mu), WeightDecay = Fp.Of<T>(h.WeightDecay);
        internal readonly bool Maximize = h.Maximize;

        public static string Name => "ASGD";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i)
        {
            T g = Maximize ? -s.Grad[i] : s.Grad[i];
            T p = s.Param[i];
            if (WeightDecay != T.Zero) g = T.FusedMultiplyAdd(p, WeightDecay, g);
            p *= Decay;
            p = T.FusedMultiplyAdd(g, NegEta, p);
            s.Param[i] = p;
            s.A[i] = Mu != T.One ? s.A[i] + (p - s.A[i]) * Mu : p;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, Lanes<T, TV, S>>(new Lanes<T, TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<T, TV, S> : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly bool maximize, decay, average;
        private readonly TV wd, shrink, negEta, mu;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op<T> op)
        {
            (maximize, decay, average) = (op.Maximize, op.WeightDecay != T.Zero, op.Mu != T.One);
            wd = S.Splat(op.WeightDecay);
            shrink = S.Splat(op.Decay);
            negEta = S.Splat(op.NegEta);
            mu = S.Splat(op.Mu);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T grad, ref T ax, ref T unusedB, ref T unusedC, nuint i)
        {
            TV g = S.Load(ref grad, i);
            if (maximize) g = S.Neg(g);
            TV p = S.Load(ref param, i);
            if (decay) g = S.Fma(p, wd, g);
            p = S.Fma(g, negEta, S.Mul(p, shrink));
            S.Store(p, ref param, i);
            if (average)
            {
                TV a = S.Load(ref ax, i);
                p = S.Add(a, S.Mul(S.Sub(p, a), mu));
            }
            S.Store(p, ref ax, i);
        }
    }
}

/// <summary>One parameter's ASGD update as a job a <see cref="StepPlan{TJob}"/> can run in chunks, in the parameter's dtype.</summary>
internal readonly struct AsgdJob(TensorSlice param, TensorSlice grad, TensorSlice ax, AsgdHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length)
    {
        if (param.IsDouble) Run<double>(start, length);
        else Run<float>(start, length);
    }

    private void Run<T>(int start, int length) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        AsgdKernel.Step(param.Span<T>(start, length), grad.Span<T>(start, length), ax.Span<T>(start, length), h);
}
