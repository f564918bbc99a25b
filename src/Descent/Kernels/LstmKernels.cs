using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Descent.Kernels;

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
/// to record, the forward keeps only what the next step needs.
/// </remarks>
internal static class LstmKernels
{
    /// <summary>
    /// Runs the layer, writing each step's h into <paramref name="output"/> [T, B, H] in time order. With
    /// <paramref name="keep"/> (for backward) hs, cs and acts hold every step; without, hs and cs hold two slots used in
    /// turn and acts one step, and the final state is in slot <c>steps % 2</c>.
    /// </summary>
    public static void Forward<T>(int steps, int batch, int hidden, ReadOnlySpan<T> xp, ReadOnlySpan<T> w, ReadOnlySpan<T> b, bool reverse,
        Span<T> hs, Span<T> cs, Span<T> acts, Span<T> output, bool keep) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int g4 = 4 * hidden, bh = batch * hidden, bg = batch * g4;
        var tmp = ArrayPool<T>.Shared.Rent(2 * hidden);
        try
        {
            var t1 = tmp.AsSpan(0, hidden);
            var t2 = tmp.AsSpan(hidden, hidden);
            for (int s = 0; s < steps; s++)
            {
                int t = reverse ? steps - 1 - s : s;
                int prev = keep ? s : s % 2, next = keep ? s + 1 : (s + 1) % 2;
                var gates = acts.Slice(keep ? s * bg : 0, bg);
                // As Linear: the bias copied into every row, then the product accumulated onto it.
                if (!b.IsEmpty)
                    for (int r = 0; r < batch; r++) b.CopyTo(gates.Slice(r * g4, g4));
                Gemm.Run(false, true, batch, g4, hidden, T.One, hs.Slice(prev * bh, bh), hidden, w, hidden, b.IsEmpty ? T.Zero : T.One, gates, g4);
                TensorPrimitives.Add(xp.Slice(t * bg, bg), gates, gates);
                for (int r = 0; r < batch; r++)
                {
                    var row = gates.Slice(r * g4, g4);
                    new UnaryOps.Sigmoid().Invoke<T>(row.Slice(0, 2 * hidden), row.Slice(0, 2 * hidden));
                    new UnaryOps.Tanh().Invoke<T>(row.Slice(2 * hidden, hidden), row.Slice(2 * hidden, hidden));
                    new UnaryOps.Sigmoid().Invoke<T>(row.Slice(3 * hidden, hidden), row.Slice(3 * hidden, hidden));
                    ReadOnlySpan<T> i = row.Slice(0, hidden), f = row.Slice(hidden, hidden), g = row.Slice(2 * hidden, hidden), o = row.Slice(3 * hidden, hidden);
                    var cPrev = cs.Slice(prev * bh + r * hidden, hidden);
                    var cNew = cs.Slice(next * bh + r * hidden, hidden);
                    TensorPrimitives.Multiply(f, cPrev, t1);
                    TensorPrimitives.Multiply(i, g, t2);
                    TensorPrimitives.Add(t1, t2, cNew);
                    new UnaryOps.Tanh().Invoke<T>(cNew, t1);
                    TensorPrimitives.Multiply(o, t1, hs.Slice(next * bh + r * hidden, hidden));
                }
                hs.Slice(next * bh, bh).CopyTo(output.Slice(t * bh, bh));
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(tmp);
        }
    }

    /// <summary>
    /// Backpropagation through time. <paramref name="dh"/> and <paramref name="dc"/> come in as the gradients of the
    /// final h and c (zeros when none) and leave as those of the initial ones; <paramref name="gOut"/> is the output's
    /// gradient [T, B, H] in time order (empty when none). Writes ∂gates into <paramref name="dxp"/> [T, B, 4H] in time
    /// order, and ∂W_hh and ∂b_hh (when asked for) from them.
    /// </summary>
    public static void Backward<T>(int steps, int batch, int hidden, ReadOnlySpan<T> w, bool reverse, ReadOnlySpan<T> hs, ReadOnlySpan<T> cs,
        ReadOnlySpan<T> acts, ReadOnlySpan<T> gOut, Span<T> dh, Span<T> dc, Span<T> dxp, Span<T> dw, Span<T> db) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int g4 = 4 * hidden, bh = batch * hidden, bg = batch * g4;
        var tmp = ArrayPool<T>.Shared.Rent(hidden + (reverse ? steps * bg : 0));
        try
        {
            var tc = tmp.AsSpan(0, hidden);
            // ∂gates in processing order, so that step s lines up with hs[s] for ∂W_hh: xp's gradient itself when forward in time.
            var dg = reverse ? tmp.AsSpan(hidden, steps * bg) : dxp;
            for (int s = steps - 1; s >= 0; s--)
            {
                int t = reverse ? steps - 1 - s : s;
                if (!gOut.IsEmpty) TensorPrimitives.Add(dh, gOut.Slice(t * bh, bh), dh);
                var dgs = dg.Slice(s * bg, bg);
                for (int r = 0; r < batch; r++)
                {
                    var a = acts.Slice(s * bg + r * g4, g4);
                    var d = dgs.Slice(r * g4, g4);
                    var cPrev = cs.Slice(s * bh + r * hidden, hidden);
                    var cNew = cs.Slice((s + 1) * bh + r * hidden, hidden);
                    var dhr = dh.Slice(r * hidden, hidden);
                    var dcr = dc.Slice(r * hidden, hidden);
                    new UnaryOps.Tanh().Invoke<T>(cNew, tc);
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
                Gemm.Run(false, false, batch, hidden, g4, T.One, dgs, g4, w, hidden, T.Zero, dh, hidden);
            }
            int rows = steps * batch;
            if (!dw.IsEmpty) Gemm.Run(true, false, g4, hidden, rows, T.One, dg, g4, hs.Slice(0, rows * hidden), hidden, T.Zero, dw, hidden);
            if (!db.IsEmpty)
            {
                db.Clear();
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(db, dg.Slice(r * g4, g4), db);
            }
            if (reverse)
                for (int s = 0; s < steps; s++) dg.Slice(s * bg, bg).CopyTo(dxp.Slice((steps - 1 - s) * bg, bg));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(tmp);
        }
    }
}
