using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>Adagrad's hyperparameters for one step (clr = lr / (1 + (t − 1)·lr_decay) already computed).</summary>
internal readonly record struct AdagradHyper(float Clr, float Eps, float WeightDecay, bool Maximize)
{
    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static AdagradHyper For(long step, double lr, double lrDecay, double eps, double weightDecay, bool maximize) =>
        new((float)(lr / (1 + (step - 1) * lrDecay)), (float)eps, (float)weightDecay, maximize);
}

/// <summary>
/// Adagrad's dense update rule over spans, PyTorch's <c>_single_tensor_adagrad</c> in float32:
/// g ← ±grad + wd·p; s ← s + g²; p ← p − clr·g/(√s + ε).
/// <see cref="Step"/> is the vectorised kernel, bit-identical to <see cref="StepReference"/> (the reference's
/// 1·g·g, PyTorch's addcmul value 1, is g·g exactly: multiplying by one is exact).
/// </summary>
internal static class AdagradKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> sum, in AdagradHyper h) =>
        Elementwise.Run(new Op(h), param, grad, sum);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> sum, in AdagradHyper h) =>
        Elementwise.RunReference(new Op(h), param, grad, sum);

    // The rule; slot a = sum.
    private readonly struct Op(in AdagradHyper h) : IElementwiseOp<Op>
    {
        internal readonly AdagradHyper H = h;

        public static string Name => "Adagrad";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i)
        {
            float negClr = -H.Clr;
            float g = H.Maximize ? -s.Grad[i] : s.Grad[i];
            if (H.WeightDecay != 0) g = MathF.FusedMultiplyAdd(s.Param[i], H.WeightDecay, g);
            float sum = s.A[i] + 1f * g * g;
            s.A[i] = sum;
            float std = MathF.Sqrt(sum) + H.Eps;
            s.Param[i] = s.Param[i] + negClr * g / std;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, Lanes<TV, S>>(new Lanes<TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<TV, S> : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly bool maximize, decay;
        private readonly TV wd, eps, negClr;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op op)
        {
            var h = op.H;
            (maximize, decay) = (h.Maximize, h.WeightDecay != 0);
            wd = S.Splat(h.WeightDecay);
            eps = S.Splat(h.Eps);
            negClr = S.Splat(-h.Clr);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float param, ref float grad, ref float sum, ref float unusedB, ref float unusedC, nuint i)
        {
            TV g = S.Load(ref grad, i);
            if (maximize) g = S.Neg(g);
            TV p = S.Load(ref param, i);
            if (decay) g = S.Fma(p, wd, g);
            TV s = S.Add(S.Load(ref sum, i), S.Mul(g, g));
            S.Store(s, ref sum, i);
            TV std = S.Add(S.Sqrt(s), eps);
            S.Store(S.Add(p, S.Div(S.Mul(negClr, g), std)), ref param, i);
        }
    }
}

/// <summary>One parameter's Adagrad update as a job a <see cref="StepPlan{TJob}"/> can run in chunks.</summary>
internal readonly struct AdagradJob(FloatSlice param, FloatSlice grad, FloatSlice sum, AdagradHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        AdagradKernel.Step(param.Span(start, length), grad.Span(start, length), sum.Span(start, length), h);
}
