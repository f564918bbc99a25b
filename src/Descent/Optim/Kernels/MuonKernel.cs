using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>Muon's Newton–Schulz settings: the quintic's coefficients (a, b, c), iterations, ε, and whether addmm fuses the products.</summary>
internal readonly record struct NewtonSchulzHyper(float A, float B, float C, int Steps, float Eps, bool UseAddmm);

/// <summary>Muon's per-step scalars: lerp weights, nesterov, the decay factor and the adjusted (negated) lr.</summary>
internal readonly record struct MuonHyper(float MomentumWeight, float Momentum, bool Nesterov, float Decay, float NegLr, NewtonSchulzHyper Ns);

/// <summary>
/// Muon's orthogonalization, current PyTorch's <c>_zeropower_via_newtonschulz</c>: the iteration runs in bfloat16,
/// as PyTorch's does, so every tensor op's result is rounded to bfloat16 (products accumulate in float32):
/// X ← G/max(‖G‖, ε) (transposed when tall); k times: A ← XXᵀ, B ← bA + (cA)A, X ← aX + BX.
/// </summary>
internal static class MuonKernel
{
    /// <summary>Scratch floats <see cref="Orthogonalize"/> needs for a <paramref name="rows"/> × <paramref name="cols"/> matrix.</summary>
    public static int ScratchLength(int rows, int cols)
    {
        int m = Math.Min(rows, cols), n = Math.Max(rows, cols);
        return 2 * m * n + 3 * m * m;
    }

    /// <summary>Scratch floats <see cref="Step"/> needs for a <paramref name="rows"/> × <paramref name="cols"/> parameter.</summary>
    public static int StepScratchLength(int rows, int cols) => 2 * rows * cols + ScratchLength(rows, cols);

    /// <summary>
    /// One Muon step, current PyTorch's <c>_single_tensor_muon</c>: B ← lerp(B, g, 1 − μ); U ← lerp(g, B, μ) (nesterov)
    /// or B; O ← NS(U); p ← p·(1 − lr·λ) − adjusted_lr·O. The elementwise parts are vectorised, bit-identical to
    /// <see cref="StepReference"/>; the Newton–Schulz iteration is shared.
    /// </summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> momentumBuffer, Span<float> scratch,
        int rows, int cols, in MuonHyper h)
    {
        int n = rows * cols;
        if (param.Length != n || grad.Length != n || momentumBuffer.Length != n) throw new ArgumentException("Muon state and param lengths differ");
        var update = scratch[..n];
        var ortho = scratch.Slice(n, n);
        Elementwise.Run(new MomentumOp(h), momentumBuffer, grad, update);
        Orthogonalize(update, rows, cols, ortho, scratch[(2 * n)..], h.Ns);
        Elementwise.Run(new UpdateOp(h), param, ortho);
    }

    /// <summary>One Muon step, loop by loop: the reference <see cref="Step"/> reproduces.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> momentumBuffer, Span<float> scratch,
        int rows, int cols, in MuonHyper h)
    {
        int n = rows * cols;
        if (param.Length != n || grad.Length != n || momentumBuffer.Length != n) throw new ArgumentException("Muon state and param lengths differ");
        var update = scratch[..n];
        var ortho = scratch.Slice(n, n);
        Elementwise.RunReference(new MomentumOp(h), momentumBuffer, grad, update);
        Orthogonalize(update, rows, cols, ortho, scratch[(2 * n)..], h.Ns);
        Elementwise.RunReference(new UpdateOp(h), param, ortho);
    }

    // B ← lerp(B, g, 1 − μ); U ← lerp(g, B, μ) with nesterov, else B. Slots: param = B, grad = g, a = U.
    private readonly struct MomentumOp(in MuonHyper h) : IElementwiseOp<MomentumOp>
    {
        internal readonly MuonHyper H = h;

        public static string Name => "Muon";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i)
        {
            s.Param[i] = Fp.Lerp(s.Param[i], s.Grad[i], H.MomentumWeight);
            s.A[i] = H.Nesterov ? Fp.Lerp(s.Grad[i], s.Param[i], H.Momentum) : s.Param[i];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, MomentumLanes<TV, S>>(new MomentumLanes<TV, S>(this), s);
    }

    // MomentumOp's vector form at one width (each Fp.Lerp's side chosen once per call).
    private readonly struct MomentumLanes<TV, S> : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly bool lowW, lowMu, nesterov;
        private readonly TV w, mu;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public MomentumLanes(in MomentumOp op)
        {
            var h = op.H;
            (lowW, lowMu, nesterov) = (MathF.Abs(h.MomentumWeight) < 0.5f, MathF.Abs(h.Momentum) < 0.5f, h.Nesterov);
            w = S.Splat(lowW ? h.MomentumWeight : h.MomentumWeight - 1f);
            mu = S.Splat(lowMu ? h.Momentum : h.Momentum - 1f);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float momentumBuffer, ref float grad, ref float update, ref float unusedB, ref float unusedC, nuint i)
        {
            TV g = S.Load(ref grad, i), b0 = S.Load(ref momentumBuffer, i);
            TV b = S.Fma(w, S.Sub(g, b0), lowW ? b0 : g);
            S.Store(b, ref momentumBuffer, i);
            S.Store(nesterov ? S.Fma(mu, S.Sub(b, g), lowMu ? g : b) : b, ref update, i);
        }
    }

    // p ← O·(−lr) + p·decay. Slots: grad = O.
    private readonly struct UpdateOp(in MuonHyper h) : IElementwiseOp<UpdateOp>
    {
        internal readonly MuonHyper H = h;

        public static string Name => "Muon";

        public ElementBuffers Buffers => ElementBuffers.Grad;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i) => s.Param[i] = MathF.FusedMultiplyAdd(s.Grad[i], H.NegLr, s.Param[i] * H.Decay);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, UpdateLanes<TV, S>>(new UpdateLanes<TV, S>(this), s);
    }

    // UpdateOp's vector form at one width.
    [method: MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly struct UpdateLanes<TV, S>(in UpdateOp op) : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly TV negLr = S.Splat(op.H.NegLr), decay = S.Splat(op.H.Decay);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float param, ref float ortho, ref float unusedA, ref float unusedB, ref float unusedC, nuint i) =>
            S.Store(S.Fma(S.Load(ref ortho, i), negLr, S.Mul(S.Load(ref param, i), decay)), ref param, i);
    }

    /// <summary>Writes the orthogonalized <paramref name="g"/> (row-major, rows × cols) into <paramref name="output"/>.</summary>
    public static void Orthogonalize(ReadOnlySpan<float> g, int rows, int cols, Span<float> output, Span<float> scratch, in NewtonSchulzHyper h)
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
                x[i * n + j] = Fp.Bf16(tall ? g[j * cols + i] : g[i * cols + j]);
        float norm = MathF.Max(Fp.Bf16(Fp.Norm(x)), Fp.Bf16(h.Eps));
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
                if (tall) output[j * cols + i] = x[i * n + j];
                else output[i * cols + j] = x[i * n + j];
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
