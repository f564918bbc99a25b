using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>NAdam's hyperparameters for one step (momentum-cache step sizes already computed), as doubles.</summary>
internal readonly record struct NadamHyper(
    double Beta1Weight, double Beta2, double OneMinusBeta2, double Eps, double WeightDecay, bool Decoupled, double Decay,
    double BiasCorrection2, double GradStep, double AvgStep, bool Maximize);

/// <summary>
/// NAdam's update rule over spans, current PyTorch's <c>_single_tensor_nadam</c> in the tensor's dtype:
/// g ← ±grad (+ wd·p, or p ← p·(1 − lr·wd) when decoupled); m ← lerp(m, g, 1−β₁); v ← β₂v + (1−β₂)g²;
/// d ← √(v/(1−β₂ᵗ)) + ε; p ← p + gradStep·g/d; p ← p + avgStep·m/d.
/// <see cref="Step{T}"/> is the vectorised kernel, bit-identical to <see cref="StepReference{T}"/>.
/// </summary>
internal static class NadamKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, in NadamHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.Run(new Op<T>(h), param, grad, expAvg, expAvgSq);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step{T}"/> reproduces.</summary>
    public static void StepReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, in NadamHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.RunReference(new Op<T>(h), param, grad, expAvg, expAvgSq);

    // The rule; slots: a = exp_avg, b = exp_avg_sq.
    private readonly struct Op<T> : IElementwiseOp<Op<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T Beta1Weight, Beta2, OneMinusBeta2, Eps, WeightDecay, Decay, BiasCorrection2, GradStep, AvgStep, LerpWeight;
        internal readonly bool Maximize, DecoupledOption, Decoupled, Coupled, LowWeight;

        public Op(in NadamHyper h)
        {
            Beta1Weight = Fp.Of<T>(h.Beta1Weight);
            Beta2 = Fp.Of<T>(h.Beta2);
            OneMinusBeta2 = Fp.Of<T>(h.OneMinusBeta2);
            Eps = Fp.Of<T>(h.Eps);
            WeightDecay = Fp.Of<T>(h.WeightDecay);
            Decay = Fp.Of<T>(h.Decay);
            BiasCorrection2 = Fp.Of<T>(h.BiasCorrection2);
            GradStep = Fp.Of<T>(h.GradStep);
            AvgStep = Fp.Of<T>(h.AvgStep);
            (Maximize, DecoupledOption) = (h.Maximize, h.Decoupled);
            Decoupled = WeightDecay != T.Zero && h.Decoupled;
            Coupled = WeightDecay != T.Zero && !h.Decoupled;
            (LowWeight, LerpWeight) = AdamMoments.LerpSide(Beta1Weight);
        }

        public static string Name => "NAdam";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i)
        {
            T p = s.Param[i], m = s.A[i], v = s.B[i];
            T g = AdamMoments.Update(s.Grad[i], ref p, ref m, ref v, Maximize, WeightDecay, DecoupledOption, Decay,
                Beta1Weight, Beta2, OneMinusBeta2);
            s.A[i] = m;
            s.B[i] = v;
            T denom = T.Sqrt(v / BiasCorrection2) + Eps;
            p = p + GradStep * g / denom;
            s.Param[i] = p + AvgStep * m / denom;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, Lanes<T, TV, S>>(new Lanes<T, TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<T, TV, S> : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly bool maximize, decoupled, coupled, lowWeight;
        private readonly TV wd, decay, beta2, oneMinusB2, lerpW, bc2, eps, gradStep, avgStep;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op<T> op)
        {
            (maximize, decoupled, coupled, lowWeight) = (op.Maximize, op.Decoupled, op.Coupled, op.LowWeight);
            wd = S.Splat(op.WeightDecay);
            decay = S.Splat(op.Decay);
            beta2 = S.Splat(op.Beta2);
            oneMinusB2 = S.Splat(op.OneMinusBeta2);
            lerpW = S.Splat(op.LerpWeight);
            bc2 = S.Splat(op.BiasCorrection2);
            eps = S.Splat(op.Eps);
            gradStep = S.Splat(op.GradStep);
            avgStep = S.Splat(op.AvgStep);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T grad, ref T expAvg, ref T expAvgSq, ref T unused, nuint i)
        {
            TV g = S.Load(ref grad, i), p = S.Load(ref param, i), m = S.Load(ref expAvg, i), v = S.Load(ref expAvgSq, i);
            AdamMoments.Update<T, TV, S>(ref g, ref p, ref m, ref v, maximize, decoupled, coupled, lowWeight, wd, decay, lerpW, beta2, oneMinusB2);
            S.Store(m, ref expAvg, i);
            S.Store(v, ref expAvgSq, i);
            TV denom = S.Add(S.Sqrt(S.Div(v, bc2)), eps);
            p = S.Add(p, S.Div(S.Mul(gradStep, g), denom));
            S.Store(S.Add(p, S.Div(S.Mul(avgStep, m), denom)), ref param, i);
        }
    }
}

/// <summary>One parameter's NAdam update as a job a <see cref="StepPlan{TJob}"/> can run in chunks, in the parameter's dtype.</summary>
internal readonly struct NadamJob(TensorSlice param, TensorSlice grad, TensorSlice expAvg, TensorSlice expAvgSq, NadamHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length)
    {
        if (param.IsDouble) Run<double>(start, length);
        else Run<float>(start, length);
    }

    private void Run<T>(int start, int length) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        NadamKernel.Step(param.Span<T>(start, length), grad.Span<T>(start, length), expAvg.Span<T>(start, length), expAvgSq.Span<T>(start, length), h);
}
