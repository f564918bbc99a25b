using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>Adam's hyperparameters for one step (bias corrections already computed for this step).</summary>
internal readonly record struct AdamHyper(
    float Lr, float Beta1, float Beta2, float Eps, float WeightDecay, bool Decoupled, bool Amsgrad, bool Maximize,
    double BiasCorrection1, double BiasCorrection2)
{
    /// <summary>The decoupled decay factor 1 − lr·wd, computed in double as PyTorch does before it meets float32.</summary>
    public float Decay { get; init; } = (float)(1 - (double)Lr * WeightDecay);

    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static AdamHyper For(long step, double lr, double beta1, double beta2, double eps, double weightDecay,
        bool decoupled, bool amsgrad, bool maximize) =>
        new((float)lr, (float)beta1, (float)beta2, (float)eps, (float)weightDecay, decoupled, amsgrad, maximize,
            1 - Math.Pow(beta1, step), 1 - Math.Pow(beta2, step))
        {
            Decay = (float)(1 - lr * weightDecay), OneMinusBeta1 = (float)(1 - beta1), OneMinusBeta2 = (float)(1 - beta2),
            StepSize = (float)(lr / (1 - Math.Pow(beta1, step))),
        };

    /// <summary>
    /// lr / (1 − β₁ᵗ), computed in double from the double lr as PyTorch does in Python before it meets float32
    /// (from the float lr it can round differently, e.g. at step 1 with lr 1e-3).
    /// </summary>
    public float StepSize { get; init; } = (float)(Lr / BiasCorrection1);

    /// <summary>1 − β₁ rounded from double, the lerp weight PyTorch passes.</summary>
    public float OneMinusBeta1 { get; init; } = 1 - Beta1;

    /// <summary>1 − β₂ rounded from double.</summary>
    public float OneMinusBeta2 { get; init; } = 1 - Beta2;
}

/// <summary>
/// Adam's update rule over spans, PyTorch's <c>_single_tensor_adam</c> in float32:
/// g ← ±grad (+ wd·p unless decoupled; decoupled: p ← p·(1 − lr·wd), which is AdamW);
/// m ← lerp(m, g, 1−β₁); v ← β₂v + (1−β₂)g²; v̂ ← max(v̂, v) with amsgrad;
/// p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/>: the same operations in
/// the same order on each lane (one FMA where the reference has one, no contraction elsewhere).
/// </summary>
internal static class AdamKernel
{
    /// <summary>One step, vectorised; <paramref name="maxExpAvgSq"/> is used only with amsgrad.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq,
        Span<float> maxExpAvgSq, in AdamHyper h) =>
        Elementwise.Run(new Op(h), param, grad, expAvg, expAvgSq, maxExpAvgSq);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq,
        Span<float> maxExpAvgSq, in AdamHyper h) =>
        Elementwise.RunReference(new Op(h), param, grad, expAvg, expAvgSq, maxExpAvgSq);

    // The rule; slots: a = exp_avg, b = exp_avg_sq, c = max_exp_avg_sq (amsgrad only).
    private readonly struct Op : IElementwiseOp<Op>
    {
        internal readonly bool maximize, amsgrad, decoupledOption, decoupled, coupled, lowWeight;
        internal readonly float weightDecay, decay, oneMinusBeta1, beta2, oneMinusBeta2, lerpWeight, stepSize, bc2Sqrt, eps;

        public Op(in AdamHyper h)
        {
            maximize = h.Maximize;
            amsgrad = h.Amsgrad;
            decoupledOption = h.Decoupled;
            decoupled = h.WeightDecay != 0 && h.Decoupled;
            coupled = h.WeightDecay != 0 && !h.Decoupled;
            weightDecay = h.WeightDecay;
            decay = h.Decay;
            oneMinusBeta1 = h.OneMinusBeta1;
            beta2 = h.Beta2;
            oneMinusBeta2 = h.OneMinusBeta2;
            // Fp.Lerp's two sides: w·(e − s) + s for |w| < 0.5, else (w − 1)·(e − s) + e.
            lowWeight = MathF.Abs(h.OneMinusBeta1) < 0.5f;
            lerpWeight = lowWeight ? h.OneMinusBeta1 : h.OneMinusBeta1 - 1f;
            stepSize = h.StepSize;
            bc2Sqrt = (float)Math.Sqrt(h.BiasCorrection2);
            eps = h.Eps;
        }

        public static string Name => "Adam";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B | (amsgrad ? ElementBuffers.C : 0);

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i)
        {
            float p = s.Param[i], m = s.A[i], v = s.B[i]; // current PyTorch: exp_avg.lerp_(grad, 1 - beta1)
            AdamMoments.Update(s.Grad[i], ref p, ref m, ref v, maximize, weightDecay, decoupledOption, decay, oneMinusBeta1, beta2, oneMinusBeta2);
            s.A[i] = m;
            s.B[i] = v;
            float vHat = v;
            if (amsgrad)
            {
                vHat = MathF.Max(s.C[i], v);
                s.C[i] = vHat;
            }
            float denom = MathF.Sqrt(vHat) / bc2Sqrt + eps;
            s.Param[i] = p + -stepSize * m / denom;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, Lanes<TV, S>>(new Lanes<TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<TV, S> : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly bool maximize, amsgrad, decoupled, coupled, lowWeight;
        private readonly TV weightDecay, decay, lerpWeight, beta2, oneMinusBeta2, negStepSize, bc2Sqrt, eps;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op op)
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
        public void Invoke(ref float param, ref float grad, ref float expAvg, ref float expAvgSq, ref float maxExpAvgSq, nuint i)
        {
            TV g = S.Load(ref grad, i), p = S.Load(ref param, i), m = S.Load(ref expAvg, i), v = S.Load(ref expAvgSq, i);
            AdamMoments.Update<TV, S>(ref g, ref p, ref m, ref v, maximize, decoupled, coupled, lowWeight, weightDecay, decay, lerpWeight, beta2, oneMinusBeta2);
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

/// <summary>One parameter's Adam update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct AdamJob(FloatSlice param, FloatSlice grad, FloatSlice expAvg, FloatSlice expAvgSq, FloatSlice maxExpAvgSq, AdamHyper h)
    : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        AdamKernel.Step(param.Span(start, length), grad.Span(start, length), expAvg.Span(start, length),
            expAvgSq.Span(start, length), maxExpAvgSq.Span(start, length), h);
}
