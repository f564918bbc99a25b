using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>SparseAdam's hyperparameters for one step (the bias-corrected step size already computed).</summary>
internal readonly record struct SparseAdamHyper(float OneMinusBeta1, float OneMinusBeta2, float Eps, float NegStepSize, bool Maximize)
{
    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static SparseAdamHyper For(long step, double lr, double beta1, double beta2, double eps, bool maximize) =>
        new((float)(1 - beta1), (float)(1 - beta2), (float)eps,
            (float)-(lr * Math.Sqrt(1 - Math.Pow(beta2, step)) / (1 - Math.Pow(beta1, step))), maximize);
}

/// <summary>
/// SparseAdam's update rule over the rows a row-sparse gradient holds, PyTorch's <c>sparse_adam</c> in float32.
/// Rows absent from the gradient are not touched, their moments included:
/// m ← m + (g − m)(1−β₁); v ← v + (g² − v)(1−β₂); p ← p − s·m/(√v + ε), s = lr·√(1−β₂ᵗ)/(1−β₁ᵗ).
/// <see cref="Step"/> and <see cref="StepPresentRows"/> vectorise each row, bit-identical to <see cref="StepReference"/>.
/// </summary>
internal static class SparseAdamKernel
{
    /// <summary>One step over <paramref name="rows"/> (each <paramref name="rowLength"/> elements long), vectorised.</summary>
    public static void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq,
        ReadOnlySpan<int> rows, int rowLength, in SparseAdamHyper h)
    {
        CheckLengths(param, grad, expAvg, expAvgSq);
        foreach (int r in rows)
        {
            int start = r * rowLength;
            Dense(param.Slice(start, rowLength), grad.Slice(start, rowLength), expAvg.Slice(start, rowLength), expAvgSq.Slice(start, rowLength), h);
        }
    }

    /// <summary>
    /// One step over elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of the
    /// rows whose gradient is not all zero (PyTorch's <c>grad.to_sparse(1)</c>), vectorised. Each row that the range
    /// touches is checked whole, so any cut of a parameter into ranges updates exactly the present rows.
    /// </summary>
    public static void StepPresentRows(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq,
        int rowLength, int start, int length, in SparseAdamHyper h)
    {
        CheckLengths(param, grad, expAvg, expAvgSq);
        if (length == 0 || rowLength == 0) return;
        int end = start + length;
        for (int r = start / rowLength; r * rowLength < end; r++)
        {
            int rowStart = r * rowLength;
            if (!grad.Slice(rowStart, rowLength).ContainsAnyExcept(0f)) continue;
            int lo = Math.Max(start, rowStart), hi = Math.Min(end, rowStart + rowLength);
            Dense(param[lo..hi], grad[lo..hi], expAvg[lo..hi], expAvgSq[lo..hi], h);
        }
    }

    /// <summary>One step over <paramref name="rows"/>, element by element: the reference the vectorised kernels reproduce.</summary>
    public static void StepReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq,
        ReadOnlySpan<int> rows, int rowLength, in SparseAdamHyper h)
    {
        CheckLengths(param, grad, expAvg, expAvgSq);
        foreach (int r in rows)
        {
            int start = r * rowLength;
            DenseReference(param.Slice(start, rowLength), grad.Slice(start, rowLength), expAvg.Slice(start, rowLength), expAvgSq.Slice(start, rowLength), h);
        }
    }

    private static void CheckLengths(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq)
    {
        if (grad.Length != param.Length || expAvg.Length != param.Length || expAvgSq.Length != param.Length)
            throw new ArgumentException("SparseAdam state and param lengths differ");
    }

    private static void Dense(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq, in SparseAdamHyper h) =>
        Elementwise.Run(new Op(h), param, grad, expAvg, expAvgSq);

    private static void DenseReference(Span<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq, in SparseAdamHyper h) =>
        Elementwise.RunReference(new Op(h), param, grad, expAvg, expAvgSq);

    // The rule for the elements of present rows; slots: a = exp_avg, b = exp_avg_sq.
    private readonly struct Op(in SparseAdamHyper h) : IElementwiseOp<Op>
    {
        internal readonly SparseAdamHyper H = h;

        public static string Name => "SparseAdam";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans s, int i)
        {
            float g = H.Maximize ? -s.Grad[i] : s.Grad[i];
            float oldM = s.A[i], oldV = s.B[i];
            float updM = (g - oldM) * H.OneMinusBeta1;
            float updV = (g * g - oldV) * H.OneMinusBeta2;
            s.A[i] = oldM + updM;
            s.B[i] = oldV + updV;
            float numer = updM + oldM;
            float denom = MathF.Sqrt(updV + oldV) + H.Eps;
            s.Param[i] = s.Param[i] + H.NegStepSize * (numer / denom);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans s) where TV : struct where S : struct, ISimd<TV> =>
            Elementwise.Loop<TV, S, Lanes<TV, S>>(new Lanes<TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<TV, S> : IVectorLanes<TV> where TV : struct where S : struct, ISimd<TV>
    {
        private readonly bool maximize;
        private readonly TV oneMinusB1, oneMinusB2, eps, negStep;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op op)
        {
            var h = op.H;
            maximize = h.Maximize;
            oneMinusB1 = S.Splat(h.OneMinusBeta1);
            oneMinusB2 = S.Splat(h.OneMinusBeta2);
            eps = S.Splat(h.Eps);
            negStep = S.Splat(h.NegStepSize);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float param, ref float grad, ref float expAvg, ref float expAvgSq, ref float unused, nuint i)
        {
            TV g = S.Load(ref grad, i);
            if (maximize) g = S.Neg(g);
            TV oldM = S.Load(ref expAvg, i), oldV = S.Load(ref expAvgSq, i);
            TV updM = S.Mul(S.Sub(g, oldM), oneMinusB1);
            TV updV = S.Mul(S.Sub(S.Mul(g, g), oldV), oneMinusB2);
            S.Store(S.Add(oldM, updM), ref expAvg, i);
            S.Store(S.Add(oldV, updV), ref expAvgSq, i);
            TV denom = S.Add(S.Sqrt(S.Add(updV, oldV)), eps);
            S.Store(S.Add(S.Load(ref param, i), S.Mul(negStep, S.Div(S.Add(updM, oldM), denom))), ref param, i);
        }
    }
}

/// <summary>
/// One parameter's SparseAdam update as a job a <see cref="StepPlan{TJob}"/> can run in chunks: each chunk updates
/// the present rows' elements within it (see <see cref="SparseAdamKernel.StepPresentRows"/>).
/// </summary>
internal readonly struct SparseAdamJob(FloatSlice param, FloatSlice grad, FloatSlice expAvg, FloatSlice expAvgSq, int numel, int rowLength, SparseAdamHyper h)
    : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length) =>
        SparseAdamKernel.StepPresentRows(param.Span(0, numel), grad.Span(0, numel), expAvg.Span(0, numel), expAvgSq.Span(0, numel),
            rowLength, start, length, h);
}
