using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>Adamax's hyperparameters for one step (clr = lr / (1 − β₁ᵗ) already computed), as doubles.</summary>
internal readonly record struct AdamaxHyper(double Beta1Weight, double Beta2, double Eps, double WeightDecay, double Clr, bool Maximize)
{
    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static AdamaxHyper For(long step, double lr, double beta1, double beta2, double eps, double weightDecay, bool maximize) =>
        new(1 - beta1, beta2, eps, weightDecay, lr / (1 - Math.Pow(beta1, step)), maximize);
}

/// <summary>
/// Adamax's update rule over spans, PyTorch's <c>_single_tensor_adamax</c> in the tensor's dtype:
/// g ← ±grad + wd·p; m ← lerp(m, g, 1−β₁); u ← max(β₂u, |g| + ε); p ← p − clr·m/u.
/// <see cref="Step{T}"/> is the vectorised kernel, bit-identical to <see cref="StepReference{T}"/> (vector max has
/// <see cref="MathF.Max"/>'s NaN and signed-zero rules).
/// </summary>
internal static class AdamaxKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expInf, in AdamaxHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.Run(new Op<T>(h), param, grad, expAvg, expInf);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step{T}"/> reproduces.</summary>
    public static void StepReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expInf, in AdamaxHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.RunReference(new Op<T>(h), param, grad, expAvg, expInf);

    // The rule; slots: a = exp_avg, b = exp_inf.
    private readonly struct Op<T>(in AdamaxHyper h) : IElementwiseOp<Op<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T Beta1Weight = Fp.Of<T>(h.Beta1Weight), Beta2 = Fp.Of<T>(h.Beta2), Eps = Fp.Of<T>(h.Eps),
            WeightDecay = Fp.Of<T>(h.WeightDecay), NegClr = -Fp.Of<T>(h.Clr);
        internal readonly bool Maximize = h.Maximize;

        public static string Name => "Adamax";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i)
        {
            T g = Maximize ? -s.Grad[i] : s.Grad[i];
            if (WeightDecay != T.Zero) g = T.FusedMultiplyAdd(s.Param[i], WeightDecay, g);
            T m = Fp.Lerp(s.A[i], g, Beta1Weight);
            s.A[i] = m;
            T u = T.Max(s.B[i] * Beta2, T.Abs(g) + Eps);
            s.B[i] = u;
            s.Param[i] = s.Param[i] + NegClr * m / u;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, Lanes<T, TV, S>>(new Lanes<T, TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<T, TV, S> : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly bool maximize, decay, lowWeight;
        private readonly TV wd, beta2, eps, negClr, lerpW;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op<T> op)
        {
            (maximize, decay) = (op.Maximize, op.WeightDecay != T.Zero);
            (lowWeight, T w) = AdamMoments.LerpSide(op.Beta1Weight);
            wd = S.Splat(op.WeightDecay);
            beta2 = S.Splat(op.Beta2);
            eps = S.Splat(op.Eps);
            negClr = S.Splat(op.NegClr);
            lerpW = S.Splat(w);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T grad, ref T expAvg, ref T expInf, ref T unused, nuint i)
        {
            TV g = S.Load(ref grad, i);
            if (maximize) g = S.Neg(g);
            TV p = S.Load(ref param, i);
            if (decay) g = S.Fma(p, wd, g);
            TV m0 = S.Load(ref expAvg, i);
            TV m = S.Fma(lerpW, S.Sub(g, m0), lowWeight ? m0 : g);
            S.Store(m, ref expAvg, i);
            TV u = S.Max(S.Mul(S.Load(ref expInf, i), beta2), S.Add(S.Abs(g), eps));
            S.Store(u, ref expInf, i);
            S.Store(S.Add(p, S.Div(S.Mul(negClr, m), u)), ref param, i);
        }
    }
}

/// <summary>One parameter's Adamax update as a job a <see cref="StepPlan{TJob}"/> can run in chunks, in the parameter's dtype.</summary>
internal readonly struct AdamaxJob(TensorSlice param, TensorSlice grad, TensorSlice expAvg, TensorSlice expInf, AdamaxHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length)
    {
        if (param.IsDouble) Run<double>(start, length);
        else Run<float>(start, length);
    }

    private void Run<T>(int start, int length) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        AdamaxKernel.Step(param.Span<T>(start, length), grad.Span<T>(start, length), expAvg.Span<T>(start, length), expInf.Span<T>(start, length), h);
}
