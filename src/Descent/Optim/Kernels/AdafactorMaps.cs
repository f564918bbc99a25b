using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>
/// The elementwise passes of Adafactor's fused kernel (<see cref="AdafactorKernel.Step{T}"/>), each an
/// <see cref="IElementwiseOp{TSelf, T}"/> that <see cref="Elementwise"/> drives: <see cref="Scale{T}"/> (p ← p·x),
/// <see cref="Variance{T}"/> (the full second moment and u), <see cref="Factored{T}"/> (u from the factored moments) and
/// <see cref="Fma{T}"/> (p ← u·x + p). Each element is computed as <see cref="AdafactorKernel.StepReference{T}"/> computes it.
/// </summary>
internal static class AdafactorMaps
{
    /// <summary>p ← p·x. Slots: the parameter alone.</summary>
    public readonly struct Scale<T>(T x) : IElementwiseOp<Scale<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T X = x;

        public static string Name => "Adafactor";

        public ElementBuffers Buffers => ElementBuffers.None;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i) => s.Param[i] *= X;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, ScaleLanes<T, TV, S>>(new ScaleLanes<T, TV, S>(this), s);
    }

    [method: MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly struct ScaleLanes<T, TV, S>(in Scale<T> op) : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly TV x = S.Splat(op.X);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T unusedG, ref T unusedA, ref T unusedB, ref T unusedC, nuint i) =>
            S.Store(S.Mul(S.Load(ref param, i), x), ref param, i);
    }

    /// <summary>
    /// V ← lerp(V, (x·g)², y); u ← 1/√max(V, z)·(x·g), with x the sign, y the β̂₂ weight, z = ε₁².
    /// Slots: param = V (variance), grad = g, a = u.
    /// </summary>
    public readonly struct Variance<T>(T sign, T weight, T eps1Squared) : IElementwiseOp<Variance<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T X = sign, Y = weight, Z = eps1Squared;

        public static string Name => "Adafactor";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i)
        {
            T gv = X * s.Grad[i];
            s.Param[i] = Fp.Lerp(s.Param[i], gv * gv, Y);
            s.A[i] = T.One / T.Sqrt(T.Max(s.Param[i], Z)) * (X * s.Grad[i]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, VarianceLanes<T, TV, S>>(new VarianceLanes<T, TV, S>(this), s);
    }

    private readonly struct VarianceLanes<T, TV, S> : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly bool lowWeight;
        private readonly TV x, z, one, lerpW;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public VarianceLanes(in Variance<T> op)
        {
            (lowWeight, T w) = AdamMoments.LerpSide(op.Y);
            x = S.Splat(op.X);
            z = S.Splat(op.Z);
            one = S.Splat(T.One);
            lerpW = S.Splat(w);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T variance, ref T grad, ref T update, ref T unusedB, ref T unusedC, nuint i)
        {
            TV sg = S.Mul(x, S.Load(ref grad, i));
            TV v0 = S.Load(ref variance, i), sq = S.Mul(sg, sg);
            TV v = S.Fma(lerpW, S.Sub(sq, v0), lowWeight ? v0 : sq);
            S.Store(v, ref variance, i);
            S.Store(S.Mul(S.Div(one, S.Sqrt(S.Max(v, z))), sg), ref update, i);
        }
    }

    /// <summary>
    /// u ← 1/√max(y·C/w, z)·(x·g) along one row, with x the sign, y the row's row_var, w the row mean, z = ε₁².
    /// Slots: param = u, grad = g, a = C (col_var, read only).
    /// </summary>
    public readonly struct Factored<T>(T sign, T rowVar, T eps1Squared, T rowMean) : IElementwiseOp<Factored<T>, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T X = sign, Y = rowVar, Z = eps1Squared, W = rowMean;

        public static string Name => "Adafactor";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i) =>
            s.Param[i] = T.One / T.Sqrt(T.Max(Y * s.A[i] / W, Z)) * (X * s.Grad[i]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, FactoredLanes<T, TV, S>>(new FactoredLanes<T, TV, S>(this), s);
    }

    [method: MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly struct FactoredLanes<T, TV, S>(in Factored<T> op) : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly TV x = S.Splat(op.X), y = S.Splat(op.Y), z = S.Splat(op.Z), w = S.Splat(op.W), one = S.Splat(T.One);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T update, ref T grad, ref T colVar, ref T unusedB, ref T unusedC, nuint i)
        {
            TV est = S.Div(S.Mul(y, S.Load(ref colVar, i)), w);
            S.Store(S.Mul(S.Div(one, S.Sqrt(S.Max(est, z))), S.Mul(x, S.Load(ref grad, i))), ref update, i);
        }
    }

    /// <summary>p ← u·x + p, one rounding. Slots: grad = u.</summary>
    public readonly struct Fma<T>(T x) : IElementwiseOp<Fma<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T X = x;

        public static string Name => "Adafactor";

        public ElementBuffers Buffers => ElementBuffers.Grad;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i) => s.Param[i] = T.FusedMultiplyAdd(s.Grad[i], X, s.Param[i]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, FmaLanes<T, TV, S>>(new FmaLanes<T, TV, S>(this), s);
    }

    [method: MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly struct FmaLanes<T, TV, S>(in Fma<T> op) : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly TV x = S.Splat(op.X);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T update, ref T unusedA, ref T unusedB, ref T unusedC, nuint i) =>
            S.Store(S.Fma(S.Load(ref update, i), x, S.Load(ref param, i)), ref param, i);
    }
}
