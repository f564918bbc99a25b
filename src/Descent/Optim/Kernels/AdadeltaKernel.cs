using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>Adadelta's hyperparameters for one step, as doubles; a kernel rounds them the way PyTorch passes them to its dtype.</summary>
internal readonly record struct AdadeltaHyper(double Lr, double Rho, double OneMinusRho, double Eps, double WeightDecay, bool Maximize)
{
    /// <summary>From the group's options.</summary>
    public static AdadeltaHyper For(double lr, double rho, double eps, double weightDecay, bool maximize) =>
        new(lr, rho, 1 - rho, eps, weightDecay, maximize);
}

/// <summary>
/// Adadelta's update rule over spans, PyTorch's <c>_single_tensor_adadelta</c> in the tensor's dtype:
/// g ← ±grad + wd·p; v ← ρv + (1−ρ)g²; Δ ← √(u + ε)/√(v + ε)·g; u ← ρu + (1−ρ)Δ²; p ← p − lr·Δ.
/// <see cref="Step{T}"/> is the vectorised kernel, bit-identical to <see cref="StepReference{T}"/>.
/// </summary>
internal static class AdadeltaKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> squareAvg, Span<T> accDelta, in AdadeltaHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.Run(new Op<T>(h), param, grad, squareAvg, accDelta);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step{T}"/> reproduces.</summary>
    public static void StepReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> squareAvg, Span<T> accDelta, in AdadeltaHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.RunReference(new Op<T>(h), param, grad, squareAvg, accDelta);

    // The rule; slots: a = square_avg, b = acc_delta.
    private readonly struct Op<T>(in AdadeltaHyper h) : IElementwiseOp<Op<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T NegLr = -Fp.Of<T>(h.Lr), Rho = Fp.Of<T>(h.Rho), OneMinusRho = Fp.Of<T>(h.OneMinusRho), Eps = Fp.Of<T>(h.Eps),
            WeightDecay = Fp.Of<T>(h.WeightDecay);
        internal readonly bool Maximize = h.Maximize;

        public static string Name => "Adadelta";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i)
        {
            T g = Maximize ? -s.Grad[i] : s.Grad[i];
            if (WeightDecay != T.Zero) g = T.FusedMultiplyAdd(s.Param[i], WeightDecay, g);
            T v = s.A[i] * Rho + OneMinusRho * g * g;
            s.A[i] = v;
            T std = T.Sqrt(v + Eps);
            T delta = T.Sqrt(s.B[i] + Eps) / std * g;
            s.B[i] = s.B[i] * Rho + OneMinusRho * delta * delta;
            s.Param[i] = T.FusedMultiplyAdd(delta, NegLr, s.Param[i]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, Lanes<T, TV, S>>(new Lanes<T, TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<T, TV, S> : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly bool maximize, decay;
        private readonly TV wd, rho, oneMinusRho, eps, negLr;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op<T> op)
        {
            (maximize, decay) = (op.Maximize, op.WeightDecay != T.Zero);
            wd = S.Splat(op.WeightDecay);
            rho = S.Splat(op.Rho);
            oneMinusRho = S.Splat(op.OneMinusRho);
            eps = S.Splat(op.Eps);
            negLr = S.Splat(op.NegLr);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T grad, ref T squareAvg, ref T accDelta, ref T unused, nuint i)
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

/// <summary>One parameter's Adadelta update as a job a <see cref="StepPlan{TJob}"/> can run in chunks, in the parameter's dtype.</summary>
internal readonly struct AdadeltaJob(TensorSlice param, TensorSlice grad, TensorSlice squareAvg, TensorSlice accDelta, AdadeltaHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length)
    {
        if (param.IsDouble) Run<double>(start, length);
        else Run<float>(start, length);
    }

    private void Run<T>(int start, int length) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        AdadeltaKernel.Step(param.Span<T>(start, length), grad.Span<T>(start, length), squareAvg.Span<T>(start, length), accDelta.Span<T>(start, length), h);
}
