using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Descent.Kernels;

/// <summary>The sizes of an LSTM layer direction: T steps of B rows, H hidden units, run backward in time when Reverse.</summary>
internal readonly record struct LstmShape(int Steps, int Batch, int Hidden, bool Reverse)
{
    /// <summary>Time index of processing step s.</summary>
    public int TimeOf(int s) => Reverse ? Steps - 1 - s : s;
}

/// <summary>An array and the offset its operand starts at.</summary>
internal readonly record struct Operand<T>(T[] Array, int Offset)
{
    public Span<T> Span(int start, int length) => Array.AsSpan(Offset + start, length);
}

/// <summary>
/// A whole LSTM layer (one direction) over a sequence, as cuDNN runs it: per step one product of h with W_hh for all
/// four gates, then the gates' activations and the new c and h, kept for the backward pass; backward in time one
/// product per step for ∂h, then ∂W_hh for all steps as a single product and ∂b_hh as one sum. The forward performs
/// the same operations in the same order as the layer written in tensor ops (gates = xp + (b_hh + h·W_hhᵀ), i, f, o
/// sigmoid, g tanh, c' = f·c + i·g, h' = o·tanh(c')), so it gives the same bits.
/// </summary>
/// <remarks>
/// Layouts, all contiguous: xp [T, B, 4H] in time order (x·W_ihᵀ + b_ih); hs and cs [T + 1, B, H] in processing
/// order, slot 0 the initial state; acts [T, B, 4H] in processing order, the activations i, f, g, o. Without a graph
/// to record, the forward keeps only what the next step needs. The rows of a batch are independent until ∂W_hh, so
/// the recurrence runs as blocks of rows on the worker pool, one dispatch per layer rather than one per step; a block
/// is kept large enough that its products take the same GEMM path as the whole batch's, so the bits do not depend on
/// the cut.
/// </remarks>
internal static class LstmKernels
{
    /// <summary>Rows per block at least (below it, waking a thread costs more than it saves).</summary>
    private const int MinRows = 16;

    /// <summary>How many blocks of rows: one per thread when each is large enough.</summary>
    private static int Blocks(LstmShape sh)
    {
        long perRow = 4L * sh.Hidden * sh.Hidden;
        int minRows = Math.Max(MinRows, (int)Math.Min(sh.Batch, (Gemm.PackedThreshold + perRow - 1) / perRow));
        // A batch too small for the packed product is not worth cutting.
        if ((long)sh.Batch * perRow < Gemm.PackedThreshold) minRows = Math.Max(minRows, sh.Batch);
        return Math.Clamp(sh.Batch / minRows, 1, WorkerPool.NumThreads);
    }

    /// <summary>
    /// Runs the layer, writing each step's h into <paramref name="output"/> [T, B, H] in time order. With
    /// <paramref name="keep"/> (for backward) hs, cs and acts hold every step; without, hs and cs hold two slots used in
    /// turn and acts one step, and the final state is in slot <c>steps % 2</c>.
    /// </summary>
    public static void Forward<T>(LstmShape sh, Operand<T> xp, Operand<T> w, Operand<T>? b, T[] hs, T[] cs, T[] acts, T[] output, bool keep)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (sh.Batch == 0) return;
        int blocks = Blocks(sh);
        WorkerPool.Run(new ForwardJob<T>(sh, xp, w, b, hs, cs, acts, output, keep, blocks), blocks, blocks);
    }

    private sealed class ForwardJob<T>(LstmShape sh, Operand<T> xp, Operand<T> w, Operand<T>? b, T[] hs, T[] cs, T[] acts, T[] output,
        bool keep, int blocks) : ChunkWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override void RunChunk(int block)
        {
            var (lo, rows) = Part(sh.Batch, block, blocks);
            int hidden = sh.Hidden, g4 = 4 * hidden, bh = sh.Batch * hidden, bg = sh.Batch * g4;
            var weights = w.Span(0, g4 * hidden);
            var bias = b is { } bb ? bb.Span(0, g4) : default;
            var tmp = ArrayPool<T>.Shared.Rent(2 * hidden);
            try
            {
                var t1 = tmp.AsSpan(0, hidden);
                var t2 = tmp.AsSpan(hidden, hidden);
                for (int s = 0; s < sh.Steps; s++)
                {
                    int t = sh.TimeOf(s);
                    int prev = keep ? s : s % 2, next = keep ? s + 1 : (s + 1) % 2;
                    var gates = acts.AsSpan((keep ? s * bg : 0) + lo * g4, rows * g4);
                    // As Linear: the bias copied into every row, then the product accumulated onto it.
                    if (!bias.IsEmpty)
                        for (int r = 0; r < rows; r++) bias.CopyTo(gates.Slice(r * g4, g4));
                    Gemm.Run(false, true, rows, g4, hidden, T.One, hs.AsSpan(prev * bh + lo * hidden, rows * hidden), hidden, weights, hidden,
                        bias.IsEmpty ? T.Zero : T.One, gates, g4);
                    TensorPrimitives.Add(xp.Span(t * bg + lo * g4, rows * g4), gates, gates);
                    for (int r = 0; r < rows; r++)
                    {
                        var row = gates.Slice(r * g4, g4);
                        new UnaryOps.Sigmoid().Invoke<T>(row.Slice(0, 2 * hidden), row.Slice(0, 2 * hidden));
                        new UnaryOps.Tanh().Invoke<T>(row.Slice(2 * hidden, hidden), row.Slice(2 * hidden, hidden));
                        new UnaryOps.Sigmoid().Invoke<T>(row.Slice(3 * hidden, hidden), row.Slice(3 * hidden, hidden));
                        ReadOnlySpan<T> i = row.Slice(0, hidden), f = row.Slice(hidden, hidden), g = row.Slice(2 * hidden, hidden), o = row.Slice(3 * hidden, hidden);
                        var cPrev = cs.AsSpan(prev * bh + (lo + r) * hidden, hidden);
                        var cNew = cs.AsSpan(next * bh + (lo + r) * hidden, hidden);
                        TensorPrimitives.Multiply(f, cPrev, t1);
                        TensorPrimitives.Multiply(i, g, t2);
                        TensorPrimitives.Add(t1, t2, cNew);
                        new UnaryOps.Tanh().Invoke<T>(cNew, t1);
                        TensorPrimitives.Multiply(o, t1, hs.AsSpan(next * bh + (lo + r) * hidden, hidden));
                    }
                    hs.AsSpan(next * bh + lo * hidden, rows * hidden).CopyTo(output.AsSpan(t * bh + lo * hidden, rows * hidden));
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(tmp);
            }
        }
    }

    /// <summary>
    /// Backpropagation through time. <paramref name="dh"/> and <paramref name="dc"/> [B, H] come in as the gradients of
    /// the final h and c (zeros when none) and leave as those of the initial ones; <paramref name="gOut"/> is the
    /// output's gradient [T, B, H] in time order (null when none). Writes ∂gates into <paramref name="dxp"/> [T, B, 4H]
    /// in time order, and ∂W_hh and ∂b_hh (when not null) from them.
    /// </summary>
    public static void Backward<T>(LstmShape sh, Operand<T> w, T[] hs, T[] cs, T[] acts, Operand<T>? gOut, T[] dh, T[] dc, T[] dxp, T[]? dw, T[]? db)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int hidden = sh.Hidden, g4 = 4 * hidden, bg = sh.Batch * g4, rows = sh.Steps * sh.Batch;
        // ∂gates in processing order, so that step s lines up with hs[s] for ∂W_hh: xp's gradient itself when forward in time.
        var dg = sh.Reverse ? ArrayPool<T>.Shared.Rent(sh.Steps * bg) : dxp;
        try
        {
            if (sh.Batch > 0)
            {
                int blocks = Blocks(sh);
                WorkerPool.Run(new BackwardJob<T>(sh, w, cs, acts, gOut, dh, dc, dg, blocks), blocks, blocks);
            }
            if (dw is not null) Gemm.Run(true, false, g4, hidden, rows, T.One, dg.AsSpan(0, rows * g4), g4, hs.AsSpan(0, rows * hidden), hidden, T.Zero, dw.AsSpan(0, g4 * hidden), hidden);
            if (db is not null)
            {
                var dbs = db.AsSpan(0, g4);
                dbs.Clear();
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(dbs, dg.AsSpan(r * g4, g4), dbs);
            }
            if (sh.Reverse)
                for (int s = 0; s < sh.Steps; s++) dg.AsSpan(s * bg, bg).CopyTo(dxp.AsSpan(sh.TimeOf(s) * bg, bg));
        }
        finally
        {
            if (sh.Reverse) ArrayPool<T>.Shared.Return(dg);
        }
    }

    private sealed class BackwardJob<T>(LstmShape sh, Operand<T> w, T[] cs, T[] acts, Operand<T>? gOut, T[] dh, T[] dc, T[] dg, int blocks)
        : ChunkWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override void RunChunk(int block)
        {
            var (lo, rows) = Part(sh.Batch, block, blocks);
            int hidden = sh.Hidden, g4 = 4 * hidden, bh = sh.Batch * hidden, bg = sh.Batch * g4;
            var weights = w.Span(0, g4 * hidden);
            var dhBlock = dh.AsSpan(lo * hidden, rows * hidden);
            var tmp = ArrayPool<T>.Shared.Rent(hidden);
            try
            {
                var tc = tmp.AsSpan(0, hidden);
                for (int s = sh.Steps - 1; s >= 0; s--)
                {
                    if (gOut is { } go) TensorPrimitives.Add(dhBlock, go.Span(sh.TimeOf(s) * bh + lo * hidden, rows * hidden), dhBlock);
                    var dgs = dg.AsSpan(s * bg + lo * g4, rows * g4);
                    for (int r = 0; r < rows; r++)
                    {
                        ReadOnlySpan<T> a = acts.AsSpan(s * bg + (lo + r) * g4, g4);
                        var d = dgs.Slice(r * g4, g4);
                        ReadOnlySpan<T> cPrev = cs.AsSpan(s * bh + (lo + r) * hidden, hidden);
                        var dhr = dhBlock.Slice(r * hidden, hidden);
                        var dcr = dc.AsSpan((lo + r) * hidden, hidden);
                        new UnaryOps.Tanh().Invoke<T>(cs.AsSpan((s + 1) * bh + (lo + r) * hidden, hidden), tc);
                        for (int j = 0; j < hidden; j++)
                        {
                            T i = a[j], f = a[hidden + j], g = a[2 * hidden + j], o = a[3 * hidden + j], th = tc[j], dhj = dhr[j];
                            T dcj = dcr[j] + dhj * o * (T.One - th * th);
                            d[j] = dcj * g * i * (T.One - i);
                            d[hidden + j] = dcj * cPrev[j] * f * (T.One - f);
                            d[2 * hidden + j] = dcj * i * (T.One - g * g);
                            d[3 * hidden + j] = dhj * th * o * (T.One - o);
                            dcr[j] = dcj * f;
                        }
                    }
                    // ∂h of the step before: ∂gates·W_hh.
                    Gemm.Run(false, false, rows, hidden, g4, T.One, dgs, g4, weights, hidden, T.Zero, dhBlock, hidden);
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(tmp);
            }
        }
    }
}
