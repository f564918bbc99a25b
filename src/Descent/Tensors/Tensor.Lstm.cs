using Descent.Autograd;
using Descent.Kernels;

namespace Descent.Tensors;

// A whole LSTM layer direction as one op and one node (see LstmKernels); Descent.NN's RNNBase checks the arguments.
public sealed partial class Tensor
{
    /// <summary>Whether <see cref="LstmLayer"/> takes these operands: one floating dtype throughout.</summary>
    internal static bool LstmLayerApplies(Tensor xp, Tensor h0, Tensor c0, Tensor w, Tensor? b)
    {
        var d = xp.DType;
        return (d == DType.Float32 || d == DType.Float64) && h0.DType == d && c0.DType == d && w.DType == d && (b is null || b.DType == d);
    }

    /// <summary>
    /// The LSTM recurrence over xp [T, B, 4H] (the input projection, time order) from h0, c0 [B, H] with W_hh [4H, H]
    /// and b_hh [4H]: the outputs h_t [T, B, H] in time order and the final h and c. <paramref name="reverse"/> runs
    /// from the last step to the first.
    /// </summary>
    internal static (Tensor Output, Tensor H, Tensor C) LstmLayer(Tensor xp, Tensor h0, Tensor c0, Tensor w, Tensor? b, bool reverse)
    {
        int steps = xp.shape[0], batch = xp.shape[1], hidden = h0.shape[^1];
        bool needs = GradMode.IsEnabled && (xp.RequiresGrad || h0.RequiresGrad || c0.RequiresGrad || w.RequiresGrad || b?.RequiresGrad == true);
        var state = new LstmLayerState(steps, batch, hidden, reverse, xp.DType, keep: needs);
        var output = AllocateForOverwrite(xp.DType, [steps, batch, hidden]);
        using (GradMode.Set(false))
        {
            state.Hs.Select(0, 0).CopyFromUnchecked(h0.Reshape(batch, hidden));
            state.Cs.Select(0, 0).CopyFromUnchecked(c0.Reshape(batch, hidden));
            Tensor xc = xp.Contiguous(), wc = w.Contiguous(), bc = b?.Contiguous()!;
            var sh = new LstmShape(steps, batch, hidden, reverse);
            if (xp.DType == DType.Float32) Forward<float>(sh, xc, wc, bc, state, output, needs);
            else Forward<double>(sh, xc, wc, bc, state, output, needs);
        }
        // The final states are copies: a caller writing into them in place must not change what backward reads.
        int last = needs ? steps : steps % 2;
        var hT = state.Hs.Select(0, last).Clone();
        var cT = state.Cs.Select(0, last).Clone();
        if (!needs) return (output, hT, cT);
        var node = new LstmLayerBackward(xp, h0, c0, w, b, state);
        Graph.Connect(node, b is null ? [xp, h0, c0, w] : [xp, h0, c0, w, b]);
        output.gradFn = hT.gradFn = cT.gradFn = node;
        (output.outputNr, hT.outputNr, cT.outputNr) = (0, 1, 2);
        return (output, hT, cT);
    }

    /// <summary>
    /// The LSTM cell on its gates [..., 4H] (x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh, in the order i, f, g, o) and c, in recorded
    /// ops: c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'), with the activations the backward formulas read. The per-step
    /// layers and cells and the fused layer's create_graph replay all run this one definition.
    /// </summary>
    internal static (Tensor H, Tensor C, Tensor I, Tensor F, Tensor G, Tensor O, Tensor TanhC) LstmCell(Tensor gates, Tensor c)
    {
        int d = gates.Dim - 1, n = c.shape[^1];
        var i = gates.Narrow(d, 0, n).Sigmoid();
        var f = gates.Narrow(d, n, n).Sigmoid();
        var g = gates.Narrow(d, 2 * n, n).Tanh();
        var o = gates.Narrow(d, 3 * n, n).Sigmoid();
        var cy = f.Mul(c).Add(i.Mul(g));
        var tc = cy.Tanh();
        return (o.Mul(tc), cy, i, f, g, o, tc);
    }

    private static void Forward<T>(LstmShape sh, Tensor xp, Tensor w, Tensor? b, LstmLayerState state, Tensor output, bool keep)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        LstmKernels.Forward(sh, new Operand<T>(xp.Data<T>(), xp.offset), new Operand<T>(w.Data<T>(), w.offset),
            b is null ? null : new Operand<T>(b.Data<T>(), b.offset), state.Hs.Data<T>(), state.Cs.Data<T>(), state.Acts.Data<T>(), output.Data<T>(), keep);
}

/// <summary>
/// What the forward of <see cref="Tensor.LstmLayer"/> keeps for backward: h and c of every step and the gate
/// activations; without <paramref name="keep"/>, only the two states and one step's gates the recurrence needs.
/// </summary>
internal sealed class LstmLayerState(int steps, int batch, int hidden, bool reverse, DType dtype, bool keep)
{
    public readonly int Steps = steps, Batch = batch, Hidden = hidden;
    public readonly bool Reverse = reverse;
    public readonly Tensor Hs = Tensor.AllocateForOverwrite(dtype, [keep ? steps + 1 : 2, batch, hidden]);
    public readonly Tensor Cs = Tensor.AllocateForOverwrite(dtype, [keep ? steps + 1 : 2, batch, hidden]);
    public readonly Tensor Acts = Tensor.AllocateForOverwrite(dtype, [keep ? steps : 1, batch, 4 * hidden]);
}
