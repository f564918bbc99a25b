using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>Muon's Newton–Schulz settings: the quintic's coefficients (a, b, c), iterations, ε, and whether addmm fuses the products.</summary>
internal readonly record struct NewtonSchulzHyper(float A, float B, float C, int Steps, float Eps, bool UseAddmm);

/// <summary>Muon's per-step scalars, as doubles: lerp weights, nesterov, the decay factor and the adjusted (negated) lr.</summary>
internal readonly record struct MuonHyper(double MomentumWeight, double Momentum, bool Nesterov, double Decay, double NegLr, NewtonSchulzHyper Ns);

/// <summary>
/// Muon's orthogonalization, current PyTorch's <c>_zeropower_via_newtonschulz</c>: the iteration runs in bfloat16,
/// as PyTorch's does, so every tensor op's result is rounded to bfloat16 (products accumulate in float32):
/// X ← G/max(‖G‖, ε) (transposed when tall); k times: A ← XXᵀ, B ← bA + (cA)A, X ← aX + BX. The momentum and the
/// update around it run in the parameter's dtype (float32 or float64): a float64 gradient enters the iteration as
/// c10 converts it, through float32 to bfloat16, and the bfloat16 result is added to the float64 parameter exactly.
/// </summary>
internal static class MuonKernel
{
    /// <summary>Scratch floats <see cref="Orthogonalize{T}"/> needs for a <paramref name="rows"/> × <paramref name="cols"/> matrix.</summary>
    public static int ScratchLength(int rows, int cols)
    {
        int m = Math.Min(rows, cols), n = Math.Max(rows, cols);
        return 2 * m * n + 3 * m * m;
    }

    /// <summary>Scratch elements of the parameter's dtype <see cref="Step{T}"/> needs for a <paramref name="rows"/> × <paramref name="cols"/> parameter (U and O).</summary>
    public static int UpdateScratchLength(int rows, int cols) => 2 * rows * cols;

    /// <summary>
    /// One Muon step, current PyTorch's <c>_single_tensor_muon</c>: B ← lerp(B, g, 1 − μ); U ← lerp(g, B, μ) (nesterov)
    /// or B; O ← NS(U); p ← p·(1 − lr·λ) − adjusted_lr·O. The elementwise parts are vectorised, bit-identical to
    /// <see cref="StepReference{T}"/>; the Newton–Schulz iteration is shared. <paramref name="scratch"/> holds
    /// <see cref="UpdateScratchLength"/> elements, <paramref name="nsScratch"/> <see cref="ScratchLength"/> floats.
    /// </summary>
    public static void Step<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> momentumBuffer, Span<T> scratch, Span<float> nsScratch,
        int rows, int cols, in MuonHyper h) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = rows * cols;
        if (param.Length != n || grad.Length != n || momentumBuffer.Length != n) throw new ArgumentException("Muon state and param lengths differ");
        var update = scratch[..n];
        var ortho = scratch.Slice(n, n);
        Elementwise.Run(new MomentumOp<T>(h), momentumBuffer, grad, update);
        Orthogonalize<T>(update, rows, cols, ortho, nsScratch, h.Ns);
        Elementwise.Run(new UpdateOp<T>(h), param, ortho);
    }

    /// <summary>One Muon step, loop by loop: the reference <see cref="Step{T}"/> reproduces.</summary>
    public static void StepReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> momentumBuffer, Span<T> scratch, Span<float> nsScratch,
        int rows, int cols, in MuonHyper h) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = rows * cols;
        if (param.Length != n || grad.Length != n || momentumBuffer.Length != n) throw new ArgumentException("Muon state and param lengths differ");
        var update = scratch[..n];
        var ortho = scratch.Slice(n, n);
        Elementwise.RunReference(new MomentumOp<T>(h), momentumBuffer, grad, update);
        Orthogonalize<T>(update, rows, cols, ortho, nsScratch, h.Ns);
        Elementwise.RunReference(new UpdateOp<T>(h), param, ortho);
    }

    // B ← lerp(B, g, 1 − μ); U ← lerp(g, B, μ) with nesterov, else B. Slots: param = B, grad = g, a = U.
    private readonly struct MomentumOp<T>(in MuonHyper h) : IElementwiseOp<MomentumOp<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T MomentumWeight = Fp.Of<T>(h.MomentumWeight), Momentum = Fp.Of<T>(h.Momentum);
        internal readonly bool Nesterov = h.Nesterov;

        public static string Name => "Muon";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i)
        {
            s.Param[i] = Fp.Lerp(s.Param[i], s.Grad[i], MomentumWeight);
            s.A[i] = Nesterov ? Fp.Lerp(s.Grad[i], s.Param[i], Momentum) : s.Param[i];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, MomentumLanes<T, TV, S>>(new MomentumLanes<T, TV, S>(this), s);
    }

    // MomentumOp's vector form at one width (each Fp.Lerp's side chosen once per call).
    private readonly struct MomentumLanes<T, TV, S> : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly bool lowW, lowMu, nesterov;
        private readonly TV w, mu;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public MomentumLanes(in MomentumOp<T> op)
        {
            nesterov = op.Nesterov;
            (lowW, T ww) = AdamMoments.LerpSide(op.MomentumWeight);
            (lowMu, T mm) = AdamMoments.LerpSide(op.Momentum);
            w = S.Splat(ww);
            mu = S.Splat(mm);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T momentumBuffer, ref T grad, ref T update, ref T unusedB, ref T unusedC, nuint i)
        {
            TV g = S.Load(ref grad, i), b0 = S.Load(ref momentumBuffer, i);
            TV b = S.Fma(w, S.Sub(g, b0), lowW ? b0 : g);
            S.Store(b, ref momentumBuffer, i);
            S.Store(nesterov ? S.Fma(mu, S.Sub(b, g), lowMu ? g : b) : b, ref update, i);
        }
    }

    // p ← O·(−lr) + p·decay. Slots: grad = O.
    private readonly struct UpdateOp<T>(in MuonHyper h) : IElementwiseOp<UpdateOp<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T NegLr = Fp.Of<T>(h.NegLr), Decay = Fp.Of<T>(h.Decay);

        public static string Name => "Muon";

        public ElementBuffers Buffers => ElementBuffers.Grad;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i) => s.Param[i] = T.FusedMultiplyAdd(s.Grad[i], NegLr, s.Param[i] * Decay);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, UpdateLanes<T, TV, S>>(new UpdateLanes<T, TV, S>(this), s);
    }

    // UpdateOp's vector form at one width.
    [method: MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly struct UpdateLanes<T, TV, S>(in UpdateOp<T> op) : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly TV negLr = S.Splat(op.NegLr), decay = S.Splat(op.Decay);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T ortho, ref T unusedA, ref T unusedB, ref T unusedC, nuint i) =>
            S.Store(S.Fma(S.Load(ref ortho, i), negLr, S.Mul(S.Load(ref param, i), decay)), ref param, i);
    }

    /// <summary>Writes the orthogonalized <paramref name="g"/> (row-major, rows × cols) into <paramref name="output"/>.</summary>
    public static void Orthogonalize<T>(ReadOnlySpan<T> g, int rows, int cols, Span<T> output, Span<float> scratch, in NewtonSchulzHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        bool tall = rows > cols;
        int m = tall ? cols : rows, n = tall ? rows : cols;
        var x = scratch[..(m * n)];
        var x2 = scratch.Slice(m * n, m * n);
        var a = scratch.Slice(2 * m * n, m * m);
        var b = scratch.Slice(2 * m * n + m * m, m * m);
        var c = scratch.Slice(2 * m * n + 2 * m * m, m * m);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                x[i * n + j] = Fp.Bf16(float.CreateTruncating(tall ? g[j * cols + i] : g[i * cols + j]));
        float norm = MathF.Max(Fp.Bf16(Fp.Norm<float>(x)), Fp.Bf16(h.Eps));
        for (int i = 0; i < x.Length; i++) x[i] = Fp.Bf16(x[i] / norm);
        for (int step = 0; step < h.Steps; step++)
        {
            MatMulTransB(x, x, a, m, n, m); // A = X Xᵀ
            if (h.UseAddmm)
            {
                MatMul(a, a, b, m, m, m, h.B, h.C, a);           // B = b·A + c·(A A)
                MatMul(b, x, x2, m, m, n, h.A, 1f, x);           // X = a·X + B X
            }
            else
            {
                for (int i = 0; i < c.Length; i++) c[i] = Fp.Bf16(h.C * a[i]);
                MatMul(c, a, b, m, m, m, 0, 1f, default);        // (c·A) A
                for (int i = 0; i < b.Length; i++) b[i] = Fp.Bf16(Fp.Bf16(h.B * a[i]) + b[i]);
                MatMul(b, x, x2, m, m, n, 0, 1f, default);       // B X
                for (int i = 0; i < x2.Length; i++) x2[i] = Fp.Bf16(Fp.Bf16(h.A * x[i]) + x2[i]);
            }
            x2.CopyTo(x);
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                if (tall) output[j * cols + i] = T.CreateTruncating(x[i * n + j]);
                else output[i * cols + j] = T.CreateTruncating(x[i * n + j]);
    }

    // out (p×q) = bf16(beta·input + alpha·(l (p×k) · r (k×q))), products accumulated in float32.
    private static void MatMul(ReadOnlySpan<float> l, ReadOnlySpan<float> r, Span<float> output, int p, int k, int q,
        float beta, float alpha, ReadOnlySpan<float> input)
    {
        for (int i = 0; i < p; i++)
            for (int j = 0; j < q; j++)
            {
                float s = 0;
                for (int t = 0; t < k; t++) s = MathF.FusedMultiplyAdd(l[i * k + t], r[t * q + j], s);
                float v = alpha == 1f ? s : alpha * s;
                if (beta != 0) v = MathF.FusedMultiplyAdd(beta, input[i * q + j], v);
                output[i * q + j] = Fp.Bf16(v);
            }
    }

    // out (p×q) = bf16(l (p×k) · r (q×k)ᵀ).
    private static void MatMulTransB(ReadOnlySpan<float> l, ReadOnlySpan<float> r, Span<float> output, int p, int k, int q)
    {
        for (int i = 0; i < p; i++)
            for (int j = 0; j < q; j++)
            {
                float s = 0;
                for (int t = 0; t < k; t++) s = MathF.FusedMultiplyAdd(l[i * k + t], r[j * k + t], s);
                output[i * q + j] = Fp.Bf16(s);
            }
    }
}
