using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>Rprop's hyperparameters, as doubles; a kernel rounds them to its dtype, as PyTorch stores the factors into the sign tensor.</summary>
internal readonly record struct RpropHyper(double EtaMinus, double EtaPlus, double StepSizeMin, double StepSizeMax, bool Maximize);

/// <summary>
/// Rprop's update rule over spans, PyTorch's <c>_single_tensor_rprop</c> in the tensor's dtype:
/// s ← sign(g·g_prev) mapped to η₊ / η₋ / 1; Δ ← clamp(Δ·s, Δmin, Δmax); g ← 0 where s = η₋;
/// p ← p − sign(g)·Δ; g_prev ← g.
/// <c>torch.sign</c> is (0 &lt; x) − (x &lt; 0): 0 for NaN and +0 for −0. So a NaN product maps to 1 (the step size
/// stays), and a NaN gradient moves nothing, though it is kept in <c>prev</c> (the next product is NaN again).
/// <see cref="Step{T}"/> is the vectorised kernel, bit-identical to <see cref="StepReference{T}"/>: its branches become
/// lane selects in the same order, NaN included (Math.Clamp's two comparisons).
/// </summary>
internal static class RpropKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> prev, Span<T> stepSize, in RpropHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.Run(new Op<T>(h), param, grad, prev, stepSize);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step{T}"/> reproduces.</summary>
    public static void StepReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> prev, Span<T> stepSize, in RpropHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.RunReference(new Op<T>(h), param, grad, prev, stepSize);

    // The rule; slots: a = prev, b = step_size.
    private readonly struct Op<T>(in RpropHyper h) : IElementwiseOp<Op<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T EtaMinus = Fp.Of<T>(h.EtaMinus), EtaPlus = Fp.Of<T>(h.EtaPlus), Min = Fp.Of<T>(h.StepSizeMin), Max = Fp.Of<T>(h.StepSizeMax);
        internal readonly bool Maximize = h.Maximize;

        public static string Name => "Rprop";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B;

        public bool Vectorizable => !(Min > Max); // Math.Clamp throws; let the reference raise it

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i)
        {
            T g = Maximize ? -s.Grad[i] : s.Grad[i];
            T prod = g * s.A[i];
            T sign = prod > T.Zero ? EtaPlus : prod < T.Zero ? EtaMinus : T.One; // sign(NaN) is 0, so NaN maps to 1
            T size = T.Clamp(s.B[i] * sign, Min, Max);
            s.B[i] = size;
            if (sign == EtaMinus) g = T.Zero;
            T sg = g > T.Zero ? T.One : g < T.Zero ? -T.One : T.Zero; // torch.sign: 0 for NaN and ±0
            s.Param[i] = s.Param[i] + -T.One * sg * size;
            s.A[i] = g;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, Lanes<T, TV, S>>(new Lanes<T, TV, S>(this), s);
    }

    // The rule's vector form at one width: the branches become lane selects in the same order.
    private readonly struct Lanes<T, TV, S> : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly bool maximize;
        private readonly TV zero, one, minusOne, etaPlus, etaMinus, min, max;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op<T> op)
        {
            maximize = op.Maximize;
            zero = S.Splat(T.Zero);
            one = S.Splat(T.One);
            minusOne = S.Splat(-T.One);
            etaPlus = S.Splat(op.EtaPlus);
            etaMinus = S.Splat(op.EtaMinus);
            min = S.Splat(op.Min);
            max = S.Splat(op.Max);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T grad, ref T prev, ref T stepSize, ref T unused, nuint i)
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

/// <summary>One parameter's Rprop update as a job a <see cref="StepPlan{TJob}"/> can run in chunks, in the parameter's dtype.</summary>
internal readonly struct RpropJob(TensorSlice param, TensorSlice grad, TensorSlice prev, TensorSlice stepSize, RpropHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length)
    {
        if (param.IsDouble) Run<double>(start, length);
        else Run<float>(start, length);
    }

    private void Run<T>(int start, int length) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        RpropKernel.Step(param.Span<T>(start, length), grad.Span<T>(start, length), prev.Span<T>(start, length), stepSize.Span<T>(start, length), h);
}
