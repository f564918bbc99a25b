using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>
/// The elementwise passes of Adafactor's fused kernel (<see cref="AdafactorKernel.Step"/>), each an
/// <see cref="IElementwiseOp{TSelf}"/> that <see cref="Elementwise"/> drives: <see cref="Scale"/> (p ← p·x),
/// <see cref="Variance"/> (the full second moment and u), <see cref="Factored"/> (u from the factored moments) and
/// <see cref="Fma"/> (p ← u·x + p). Each element is computed as <see cref="AdafactorKernel.StepReference"/> computes it.
/// </summary>
internal static class AdafactorMaps
{
    /// <summary>p ← p·x. Slots: the parameter alone.</summary>
    public readonly struct Scale(float x) : IElementwiseOp<Scale>
    {
        internal readonly float X = x;

        public static string Name => "Adafactor";

        public ElementBuffers Buffers => ElementBuffers.None;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i) => s.Param[i] *= X;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, ScaleLanes<TV, S>>(new ScaleLanes<TV, S>(this), s);
    }

    [method: MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly struct ScaleLanes<TV, S>(in Scale op) : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly TV x = S.Splat(op.X);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float param, ref float unusedG, ref float unusedA, ref float unusedB, ref float unusedC, nuint i) =>
            S.Store(S.Mul(S.Load(ref param, i), x), ref param, i);
    }

    /// <summary>
    /// V ← lerp(V, (x·g)², y); u ← 1/√max(V, z)·(x·g), with x the sign, y the β̂₂ weight, z = ε₁².
    /// Slots: param = V (variance), grad = g, a = u.
    /// </summary>
    public readonly struct Variance(float sign, float weight, float eps1Squared) : IElementwiseOp<Variance>
    {
        internal readonly float X = sign, Y = weight, Z = eps1Squared;

        public static string Name => "Adafactor";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i)
        {
            float gv = X * s.Grad[i];
            s.Param[i] = Fp.Lerp(s.Param[i], gv * gv, Y);
            s.A[i] = 1f / MathF.Sqrt(MathF.Max(s.Param[i], Z)) * (X * s.Grad[i]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, VarianceLanes<TV, S>>(new VarianceLanes<TV, S>(this), s);
    }

    private readonly struct VarianceLanes<TV, S> : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly bool lowWeight;
        private readonly TV x, z, one, lerpW;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public VarianceLanes(in Variance op)
        {
            lowWeight = MathF.Abs(op.Y) < 0.5f;
            x = S.Splat(op.X);
            z = S.Splat(op.Z);
            one = S.Splat(1f);
            lerpW = S.Splat(lowWeight ? op.Y : op.Y - 1f); // Fp.Lerp's two sides
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float variance, ref float grad, ref float update, ref float unusedB, ref float unusedC, nuint i)
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
    public readonly struct Factored(float sign, float rowVar, float eps1Squared, float rowMean) : IElementwiseOp<Factored>
    {
        internal readonly float X = sign, Y = rowVar, Z = eps1Squared, W = rowMean;

        public static string Name => "Adafactor";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i) =>
            s.Param[i] = 1f / MathF.Sqrt(MathF.Max(Y * s.A[i] / W, Z)) * (X * s.Grad[i]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, FactoredLanes<TV, S>>(new FactoredLanes<TV, S>(this), s);
    }

    [method: MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly struct FactoredLanes<TV, S>(in Factored op) : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly TV x = S.Splat(op.X), y = S.Splat(op.Y), z = S.Splat(op.Z), w = S.Splat(op.W), one = S.Splat(1f);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float update, ref float grad, ref float colVar, ref float unusedB, ref float unusedC, nuint i)
        {
            TV est = S.Div(S.Mul(y, S.Load(ref colVar, i)), w);
            S.Store(S.Mul(S.Div(one, S.Sqrt(S.Max(est, z))), S.Mul(x, S.Load(ref grad, i))), ref update, i);
        }
    }

    /// <summary>p ← u·x + p, one rounding. Slots: grad = u.</summary>
    public readonly struct Fma(float x) : IElementwiseOp<Fma>
    {
        internal readonly float X = x;

        public static string Name => "Adafactor";

        public ElementBuffers Buffers => ElementBuffers.Grad;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i) => s.Param[i] = MathF.FusedMultiplyAdd(s.Grad[i], X, s.Param[i]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, FmaLanes<TV, S>>(new FmaLanes<TV, S>(this), s);
    }

    [method: MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly struct FmaLanes<TV, S>(in Fma op) : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly TV x = S.Splat(op.X);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float param, ref float update, ref float unusedA, ref float unusedB, ref float unusedC, nuint i) =>
            S.Store(S.Fma(S.Load(ref update, i), x, S.Load(ref param, i)), ref param, i);
    }
}
