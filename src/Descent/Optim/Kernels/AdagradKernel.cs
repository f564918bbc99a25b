using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>Adagrad's hyperparameters for one step (clr = lr / (1 + (t − 1)·lr_decay) already computed), as doubles.</summary>
internal readonly record struct AdagradHyper(double Clr, double Eps, double WeightDecay, bool Maximize)
{
    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static AdagradHyper For(long step, double lr, double lrDecay, double eps, double weightDecay, bool maximize) =>
        new(lr / (1 + (step - 1) * lrDecay), eps, weightDecay, maximize);
}

/// <summary>
/// Adagrad's dense update rule over spans, PyTorch's <c>_single_tensor_adagrad</c> in the tensor's dtype:
/// g ← ±grad + wd·p; s ← s + g²; p ← p − clr·g/(√s + ε).
/// <see cref="Step{T}"/> is the vectorised kernel, bit-identical to <see cref="StepReference{T}"/> (the reference's
/// 1·g·g, PyTorch's addcmul value 1, is g·g exactly: multiplying by one is exact).
/// </summary>
internal static class AdagradKernel
{
    /// <summary>One step, vectorised.</summary>
    public static void Step<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> sum, in AdagradHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.Run(new Op<T>(h), param, grad, sum);

    /// <summary>One step, element by element: the reference the vectorised <see cref="Step{T}"/> reproduces.</summary>
    public static void StepReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> sum, in AdagradHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.RunReference(new Op<T>(h), param, grad, sum);

    // The rule; slot a = sum.
    private readonly struct Op<T>(in AdagradHyper h) : IElementwiseOp<Op<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T NegClr = -Fp.Of<T>(h.Clr), Eps = Fp.Of<T>(h.Eps), WeightDecay = Fp.Of<T>(h.WeightDecay);
        internal readonly bool Maximize = h.Maximize;

        public static string Name => "Adagrad";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i)
        {
            T g = Maximize ? -s.Grad[i] : s.Grad[i];
            if (WeightDecay != T.Zero) g = T.FusedMultiplyAdd(s.Param[i], WeightDecay, g);
            T sum = s.A[i] + T.One * g * g;
            s.A[i] = sum;
            T std = T.Sqrt(sum) + Eps;
            s.Param[i] = s.Param[i] + NegClr * g / std;
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
        private readonly TV wd, eps, negClr;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op<T> op)
        {
            (maximize, decay) = (op.Maximize, op.WeightDecay != T.Zero);
            wd = S.Splat(op.WeightDecay);
            eps = S.Splat(op.Eps);
            negClr = S.Splat(op.NegClr);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T grad, ref T sum, ref T unusedB, ref T unusedC, nuint i)
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

/// <summary>One parameter's Adagrad update as a job a <see cref="StepPlan{TJob}"/> can run in chunks, in the parameter's dtype.</summary>
internal readonly struct AdagradJob(TensorSlice param, TensorSlice grad, TensorSlice sum, AdagradHyper h) : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length)
    {
        if (param.IsDouble) Run<double>(start, length);
        else Run<float>(start, length);
    }

    private void Run<T>(int start, int length) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        AdagradKernel.Step(param.Span<T>(start, length), grad.Span<T>(start, length), sum.Span<T>(start, length), h);
}
