using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>
/// Adam's hyperparameters for one step, as Python computes them (doubles, bias corrections for this step included); a
/// kernel rounds each to its dtype where it meets the tensor.
/// </summary>
internal readonly record struct AdamHyper(
    double Lr, double Beta1, double Beta2, double Eps, double WeightDecay, bool Decoupled, bool Amsgrad, bool Maximize,
    double BiasCorrection1, double BiasCorrection2)
{
    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static AdamHyper For(long step, double lr, double beta1, double beta2, double eps, double weightDecay,
        bool decoupled, bool amsgrad, bool maximize) =>
        new(lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize, 1 - Math.Pow(beta1, step), 1 - Math.Pow(beta2, step));

    /// <summary>The decoupled decay factor 1 − lr·wd.</summary>
    public double Decay => 1 - Lr * WeightDecay;

    /// <summary>
    /// lr / (1 − β₁ᵗ), computed in double from the double lr as PyTorch does in Python before it meets the tensor
    /// (from a float32 lr it can round differently, e.g. at step 1 with lr 1e-3).
    /// </summary>
    public double StepSize => Lr / BiasCorrection1;
}

/// <summary>
/// Adam's update rule over spans, PyTorch's <c>_single_tensor_adam</c> in the tensor's dtype (float32 or float64):
/// g ← ±grad (+ wd·p unless decoupled; decoupled: p ← p·(1 − lr·wd), which is AdamW);
/// m ← lerp(m, g, 1−β₁); v ← β₂v + (1−β₂)g²; v̂ ← max(v̂, v) with amsgrad;
/// p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
/// <see cref="Step{T}"/> is the vectorised kernel, bit-identical to <see cref="StepReference{T}"/>: the same operations in
/// the same order on each lane (one FMA where the reference has one, no contraction elsewhere).
/// </summary>
internal static class AdamKernel
{
    /// <summary>One step, vectorised; <paramref name="maxExpAvgSq"/> is used only with amsgrad.</summary>
    public static void Step<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq,
        Span<T> maxExpAvgSq, in AdamHyper h) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.Run(new Op<T>(h), param, grad, expAvg, expAvgSq, maxExpAvgSq);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step{T}"/> reproduces.</summary>
    public static void StepReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq,
        Span<T> maxExpAvgSq, in AdamHyper h) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.RunReference(new Op<T>(h), param, grad, expAvg, expAvgSq, maxExpAvgSq);

    // The rule; slots: a = exp_avg, b = exp_avg_sq, c = max_exp_avg_sq (amsgrad only).
    private readonly struct Op<T> : IElementwiseOp<Op<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly bool maximize, amsgrad, decoupledOption, decoupled, coupled, lowWeight;
        internal readonly T weightDecay, decay, oneMinusBeta1, beta2, oneMinusBeta2, lerpWeight, stepSize, bc2Sqrt, eps;

        public Op(in AdamHyper h)
        {
            maximize = h.Maximize;
            amsgrad = h.Amsgrad;
            decoupledOption = h.Decoupled;
            weightDecay = Fp.Of<T>(h.WeightDecay);
            decoupled = weightDecay != T.Zero && h.Decoupled;
            coupled = weightDecay != T.Zero && !h.Decoupled;
            decay = Fp.Of<T>(h.Decay);
            oneMinusBeta1 = Fp.Of<T>(1 - h.Beta1);
            beta2 = Fp.Of<T>(h.Beta2);
            oneMinusBeta2 = Fp.Of<T>(1 - h.Beta2);
            (lowWeight, lerpWeight) = AdamMoments.LerpSide(oneMinusBeta1);
            stepSize = Fp.Of<T>(h.StepSize);
            bc2Sqrt = Fp.Of<T>(Math.Sqrt(h.BiasCorrection2));
            eps = Fp.Of<T>(h.Eps);
        }

        public static string Name => "Adam";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B | (amsgrad ? ElementBuffers.C : 0);

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i)
        {
            T p = s.Param[i], m = s.A[i], v = s.B[i]; // current PyTorch: exp_avg.lerp_(grad, 1 - beta1)
            AdamMoments.Update(s.Grad[i], ref p, ref m, ref v, maximize, weightDecay, decoupledOption, decay, oneMinusBeta1, beta2, oneMinusBeta2);
            s.A[i] = m;
            s.B[i] = v;
            T vHat = v;
            if (amsgrad)
            {
                vHat = T.Max(s.C[i], v);
                s.C[i] = vHat;
            }
            T denom = T.Sqrt(vHat) / bc2Sqrt + eps;
            s.Param[i] = p + -stepSize * m / denom;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, Lanes<T, TV, S>>(new Lanes<T, TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<T, TV, S> : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly bool maximize, amsgrad, decoupled, coupled, lowWeight;
        private readonly TV weightDecay, decay, lerpWeight, beta2, oneMinusBeta2, negStepSize, bc2Sqrt, eps;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op<T> op)
        {
            (maximize, amsgrad, decoupled, coupled, lowWeight) = (op.maximize, op.amsgrad, op.decoupled, op.coupled, op.lowWeight);
            weightDecay = S.Splat(op.weightDecay);
            decay = S.Splat(op.decay);
            lerpWeight = S.Splat(op.lerpWeight);
            beta2 = S.Splat(op.beta2);
            oneMinusBeta2 = S.Splat(op.oneMinusBeta2);
            negStepSize = S.Splat(-op.stepSize);
            bc2Sqrt = S.Splat(op.bc2Sqrt);
            eps = S.Splat(op.eps);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T grad, ref T expAvg, ref T expAvgSq, ref T maxExpAvgSq, nuint i)
        {
            TV g = S.Load(ref grad, i), p = S.Load(ref param, i), m = S.Load(ref expAvg, i), v = S.Load(ref expAvgSq, i);
            AdamMoments.Update<T, TV, S>(ref g, ref p, ref m, ref v, maximize, decoupled, coupled, lowWeight, weightDecay, decay, lerpWeight, beta2, oneMinusBeta2);
            S.Store(m, ref expAvg, i);
            S.Store(v, ref expAvgSq, i);
            if (amsgrad)
            {
                v = S.Max(S.Load(ref maxExpAvgSq, i), v);
                S.Store(v, ref maxExpAvgSq, i);
            }
            TV denom = S.Add(S.Div(S.Sqrt(v), bc2Sqrt), eps);
            S.Store(S.Add(p, S.Div(S.Mul(negStepSize, m), denom)), ref param, i);
        }
    }
}

/// <summary>One parameter's Adam update as a job a <see cref="StepPlan{TJob}"/> can run in chunks, in the parameter's dtype.</summary>
internal readonly struct AdamJob(TensorSlice param, TensorSlice grad, TensorSlice expAvg, TensorSlice expAvgSq, TensorSlice maxExpAvgSq, AdamHyper h)
    : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length)
    {
        if (param.IsDouble) Run<double>(start, length);
        else Run<float>(start, length);
    }

    private void Run<T>(int start, int length) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        AdamKernel.Step(param.Span<T>(start, length), grad.Span<T>(start, length), expAvg.Span<T>(start, length),
            expAvgSq.Span<T>(start, length), maxExpAvgSq.Span<T>(start, length), h);
}
