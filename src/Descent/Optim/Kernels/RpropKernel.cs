using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>Rprop's hyperparameters (float32, as PyTorch stores the factors into the sign tensor).</summary>
internal readonly record struct RpropHyper(float EtaMinus, float EtaPlus, float StepSizeMin, float StepSizeMax, bool Maximize);

/// <summary>
/// Rprop's update rule over spans, PyTorch's <c>_single_tensor_rprop</c> in float32:
/// s ← sign(g·g_prev) mapped to η₊ / η₋ / 1; Δ ← clamp(Δ·s, Δmin, Δmax); g ← 0 where s = η₋;
/// p ← p − sign(g)·Δ; g_prev ← g.
/// <c>torch.sign</c> is (0 &lt; x) − (x &lt; 0): 0 for NaN and +0 for −0. So a NaN product maps to 1 (the step size
/// stays), and a NaN gradient moves nothing, though it is kept in <c>prev</c> (the next product is NaN again).
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/>: its branches become
/// lane selects in the same order, NaN included (Math.Clamp's two comparisons).
/// </summary>
internal static class RpropKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> prev, Span<float> stepSize, in RpropHyper h) =>
        Elementwise.Run(new Op(h), param, grad, prev, stepSize);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> prev, Span<float> stepSize, in RpropHyper h) =>
        Elementwise.RunReference(new Op(h), param, grad, prev, stepSize);

    // The rule; slots: a = prev, b = step_size.
    private readonly struct Op(in RpropHyper h) : IElementwiseOp<Op>
    {
        internal readonly RpropHyper H = h;

        public static string Name => "Rprop";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B;

        public bool Vectorizable => !(H.StepSizeMin > H.StepSizeMax); // Math.Clamp throws; let the reference raise it

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i)
        {
            float g = H.Maximize ? -s.Grad[i] : s.Grad[i];
            float prod = g * s.A[i];
            float sign = prod > 0 ? H.EtaPlus : prod < 0 ? H.EtaMinus : 1f; // sign(NaN) is 0, so NaN maps to 1
            float size = Math.Clamp(s.B[i] * sign, H.StepSizeMin, H.StepSizeMax);
            s.B[i] = size;
            if (sign == H.EtaMinus) g = 0;
            float sg = g > 0 ? 1f : g < 0 ? -1f : 0f; // torch.sign: 0 for NaN and ±0
            s.Param[i] = s.Param[i] + -1f * sg * size;
            s.A[i] = g;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, Lanes<TV, S>>(new Lanes<TV, S>(this), s);
    }

    // The rule's vector form at one width: the branches become lane selects in the same order.
    private readonly struct Lanes<TV, S> : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly bool maximize;
        private readonly TV zero, one, minusOne, etaPlus, etaMinus, min, max;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op op)
        {
            var h = op.H;
            maximize = h.Maximize;
            zero = S.Splat(0f);
            one = S.Splat(1f);
            minusOne = S.Splat(-1f);
            etaPlus = S.Splat(h.EtaPlus);
            etaMinus = S.Splat(h.EtaMinus);
            min = S.Splat(h.StepSizeMin);
            max = S.Splat(h.StepSizeMax);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float param, ref float grad, ref float prev, ref float stepSize, ref float unused, nuint i)
        {
            TV g = S.Load(ref grad, i);
            if (maximize) g = S.Neg(g);
            TV prod = S.Mul(g, S.Load(ref prev, i));
            TV sign = S.Select(S.GreaterThan(prod, zero), etaPlus, S.Select(S.LessThan(prod, zero), etaMinus, one));
            TV x = S.Mul(S.Load(ref stepSize, i), sign);
            TV s = S.Select(S.LessThan(x, min), min, S.Select(S.GreaterThan(x, max), max, x));
            S.Store(s, ref stepSize, i);
            g = S.Select(S.Equal(sign, etaMinus), zero, g);
            TV sg = S.Select(S.GreaterThan(g, zero), one, S.Select(S.LessThan(g, zero), minusOne, zero));
            S.Store(S.Add(S.Load(ref param, i), S.Mul(S.Mul(minusOne, sg), s)), ref param, i);
            S.Store(g, ref prev, i);
        }
    }
}

/// <summary>One parameter's Rprop update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct RpropJob(FloatSlice param, FloatSlice grad, FloatSlice prev, FloatSlice stepSize, RpropHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        RpropKernel.Step(param.Span(start, length), grad.Span(start, length), prev.Span(start, length), stepSize.Span(start, length), h);
}
