using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>SparseAdam's hyperparameters for one step (the bias-corrected step size already computed).</summary>
internal readonly record struct SparseAdamHyper(double OneMinusBeta1, double OneMinusBeta2, double Eps, double NegStepSize, bool Maximize)
{
    /// <summary>The hyperparameters for step number <paramref name="step"/> (1-based).</summary>
    public static SparseAdamHyper For(long step, double lr, double beta1, double beta2, double eps, bool maximize) =>
        new(1 - beta1, 1 - beta2, eps, -(lr * Math.Sqrt(1 - Math.Pow(beta2, step)) / (1 - Math.Pow(beta1, step))), maximize);
}

/// <summary>
/// SparseAdam's update rule over the rows a row-sparse gradient holds, PyTorch's <c>sparse_adam</c> in the tensor's dtype.
/// Rows absent from the gradient are not touched, their moments included:
/// m ← m + (g − m)(1−β₁); v ← v + (g² − v)(1−β₂); p ← p − s·m/(√v + ε), s = lr·√(1−β₂ᵗ)/(1−β₁ᵗ).
/// <see cref="Step{T}"/> and <see cref="StepPresentRows{T}"/> vectorise each row, bit-identical to <see cref="StepReference{T}"/>.
/// </summary>
internal static class SparseAdamKernel
{
    /// <summary>One step over <paramref name="rows"/> (each <paramref name="rowLength"/> elements long), vectorised.</summary>
    public static void Step<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq,
        ReadOnlySpan<int> rows, int rowLength, in SparseAdamHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
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
    public static void StepPresentRows<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq,
        int rowLength, int start, int length, in SparseAdamHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckLengths(param, grad, expAvg, expAvgSq);
        if (length == 0 || rowLength == 0) return;
        int end = start + length;
        for (int r = start / rowLength; r * rowLength < end; r++)
        {
            int rowStart = r * rowLength;
            if (!grad.Slice(rowStart, rowLength).ContainsAnyExcept(T.Zero)) continue;
            int lo = Math.Max(start, rowStart), hi = Math.Min(end, rowStart + rowLength);
            Dense(param[lo..hi], grad[lo..hi], expAvg[lo..hi], expAvgSq[lo..hi], h);
        }
    }

    /// <summary>
    /// One step over elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of the
    /// rows a row-sparse gradient lists (sorted), zero or not: PyTorch's step on a coalesced sparse gradient.
    /// </summary>
    public static void StepListedRows<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq,
        ReadOnlySpan<long> rows, int rowLength, int start, int length, in SparseAdamHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckLengths(param, grad, expAvg, expAvgSq);
        if (length == 0 || rowLength == 0) return;
        int end = start + length;
        foreach (long row in rows)
        {
            long rowStart = row * rowLength;
            if (rowStart >= end) break;
            int lo = (int)Math.Max(start, rowStart), hi = (int)Math.Min(end, rowStart + rowLength);
            if (lo < hi) Dense(param[lo..hi], grad[lo..hi], expAvg[lo..hi], expAvgSq[lo..hi], h);
        }
    }

    /// <summary>One step over <paramref name="rows"/>, element by element: the reference the vectorised kernels reproduce.</summary>
    public static void StepReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq,
        ReadOnlySpan<int> rows, int rowLength, in SparseAdamHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckLengths(param, grad, expAvg, expAvgSq);
        foreach (int r in rows)
        {
            int start = r * rowLength;
            DenseReference(param.Slice(start, rowLength), grad.Slice(start, rowLength), expAvg.Slice(start, rowLength), expAvgSq.Slice(start, rowLength), h);
        }
    }

    private static void CheckLengths<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (grad.Length != param.Length || expAvg.Length != param.Length || expAvgSq.Length != param.Length)
            throw new ArgumentException("SparseAdam state and param lengths differ");
    }

    private static void Dense<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, in SparseAdamHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.Run(new Op<T>(h), param, grad, expAvg, expAvgSq);

    private static void DenseReference<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, in SparseAdamHyper h)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Elementwise.RunReference(new Op<T>(h), param, grad, expAvg, expAvgSq);

    // The rule for the elements of present rows; slots: a = exp_avg, b = exp_avg_sq.
    private readonly struct Op<T>(in SparseAdamHyper h) : IElementwiseOp<Op<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        internal readonly T OneMinusBeta1 = Fp.Of<T>(h.OneMinusBeta1), OneMinusBeta2 = Fp.Of<T>(h.OneMinusBeta2), Eps = Fp.Of<T>(h.Eps),
            NegStepSize = Fp.Of<T>(h.NegStepSize);
        internal readonly bool Maximize = h.Maximize;

        public static string Name => "SparseAdam";

        public ElementBuffers Buffers => ElementBuffers.Grad | ElementBuffers.A | ElementBuffers.B;

        public bool Vectorizable => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Element(scoped in ElementSpans<T> s, int i)
        {
            T g = Maximize ? -s.Grad[i] : s.Grad[i];
            T oldM = s.A[i], oldV = s.B[i];
            T updM = (g - oldM) * OneMinusBeta1;
            T updV = (g * g - oldV) * OneMinusBeta2;
            s.A[i] = oldM + updM;
            s.B[i] = oldV + updV;
            T numer = updM + oldM;
            T denom = T.Sqrt(updV + oldV) + Eps;
            s.Param[i] = s.Param[i] + NegStepSize * (numer / denom);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T> =>
            Elementwise.Loop<T, TV, S, Lanes<T, TV, S>>(new Lanes<T, TV, S>(this), s);
    }

    // The rule's vector form at one width.
    private readonly struct Lanes<T, TV, S> : IVectorLanes<TV, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where S : struct, ISimd<TV, T>
    {
        private readonly bool maximize;
        private readonly TV oneMinusB1, oneMinusB2, eps, negStep;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Lanes(in Op<T> op)
        {
            maximize = op.Maximize;
            oneMinusB1 = S.Splat(op.OneMinusBeta1);
            oneMinusB2 = S.Splat(op.OneMinusBeta2);
            eps = S.Splat(op.Eps);
            negStep = S.Splat(op.NegStepSize);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref T param, ref T grad, ref T expAvg, ref T expAvgSq, ref T unused, nuint i)
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
/// the present rows' elements within it (see <see cref="SparseAdamKernel.StepPresentRows{T}"/>).
/// </summary>
internal readonly struct SparseAdamJob(TensorSlice param, TensorSlice grad, TensorSlice expAvg, TensorSlice expAvgSq, int numel, int rowLength, SparseAdamHyper h,
    long[]? rows = null)
    : IChunkJob
{
    /// <inheritdoc/>
    public void Run(int start, int length)
    {
        if (param.IsDouble) Run<double>(start, length);
        else Run<float>(start, length);
    }

    // A row-sparse gradient lists its rows; a dense one's present rows are those not all zero.
    private void Run<T>(int start, int length) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (rows is not null)
            SparseAdamKernel.StepListedRows(param.Span<T>(0, numel), grad.Span<T>(0, numel), expAvg.Span<T>(0, numel), expAvgSq.Span<T>(0, numel),
                rows, rowLength, start, length, h);
        else SparseAdamKernel.StepPresentRows(param.Span<T>(0, numel), grad.Span<T>(0, numel), expAvg.Span<T>(0, numel), expAvgSq.Span<T>(0, numel),
            rowLength, start, length, h);
    }
}
