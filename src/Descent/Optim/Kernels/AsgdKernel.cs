using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>ASGD's hyperparameters for one step: η and μ as read from the float32 state, and derived factors.</summary>
internal readonly record struct AsgdHyper(float Decay, float NegEta, float Mu, float WeightDecay, bool Maximize)
{
    /// <summary>From the state's η and μ (float32, as PyTorch keeps them) and the group's options.</summary>
    public static AsgdHyper For(float eta, float mu, double lambd, double weightDecay, bool maximize) =>
        new((float)(1 - lambd * eta), (float)-(double)eta, mu, (float)weightDecay, maximize);
}

/// <summary>
/// ASGD's update rule over spans, PyTorch's <c>_single_tensor_asgd</c> in float32:
/// g ← ±grad + wd·p; p ← p·(1 − λη); p ← p − η·g; ā ← ā + μ(p − ā) (or ā ← p while μ = 1).
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/>.
/// </summary>
internal static class AsgdKernel
{
    /// <summary>One step, vectorised; the caller then advances η and μ.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> ax, in AsgdHyper h) =>
        Elementwise.Run(new Op(h), param, grad, ax);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> ax, in AsgdHyper h) =>
        Elementwise.RunReference(new Op(h), param, grad, ax);

    // The rule; slot a = ax.
    private readonly struct Op(in AsgdHyper h) : IElementwiseOp<Op>
    {
        internal readonly AsgdHyper H = h;

        public static string Name => "ASGD";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i)
        {
            float g = H.Maximize ? -s.Grad[i] : s.Grad[i];
            float p = s.Param[i];
            if (H.WeightDecay != 0) g = MathF.FusedMultiplyAdd(p, H.WeightDecay, g);
            p *= H.Decay;
            p = MathF.FusedMultiplyAdd(g, H.NegEta, p);
            s.Param[i] = p;
            s.A[i] = H.Mu != 1 ? s.A[i] + (p - s.A[i]) * H.Mu : p;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, Lanes<TV, S>>(new Lanes<TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<TV, S> : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly bool maximize, decay, average;
        private readonly TV wd, shrink, negEta, mu;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op op)
        {
            var h = op.H;
            (maximize, decay, average) = (h.Maximize, h.WeightDecay != 0, h.Mu != 1);
            wd = S.Splat(h.WeightDecay);
            shrink = S.Splat(h.Decay);
            negEta = S.Splat(h.NegEta);
            mu = S.Splat(h.Mu);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float param, ref float grad, ref float ax, ref float unusedB, ref float unusedC, nuint i)
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

/// <summary>One parameter's ASGD update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct AsgdJob(FloatSlice param, FloatSlice grad, FloatSlice ax, AsgdHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) => AsgdKernel.Step(param.Span(start, length), grad.Span(start, length), ax.Span(start, length), h);
}
