using Descent.Kernels;
using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// A whole LSTM layer direction (<see cref="Tensor.LstmLayer"/>), outputs h_t for all steps, h_T and c_T. The plain
/// pass runs <see cref="LstmKernels.Backward"/> on the saved states; under create_graph the forward is replayed in
/// tensor ops from the saved inputs and the same backpropagation through time is written in tensor ops, so
/// derivatives of any order work. (PyTorch's CPU LSTM records per-step cell nodes instead; the values are the same.)
/// </summary>
internal sealed class LstmLayerBackward : Node
{
    private SavedTensor sxp, sh0, sc0, sw;
    private SavedTensor? sb;
    private LstmLayerState? state;

    public LstmLayerBackward(Tensor xp, Tensor h0, Tensor c0, Tensor w, Tensor? b, LstmLayerState state)
    {
        (sxp, sh0, sc0, sw) = (new(xp), new(h0), new(c0), new(w));
        sb = b is null ? null : new SavedTensor(b);
        this.state = state;
        OutputCount = 3;
    }

    public override string Name => "LstmLayerBackward0";

    internal override Tensor?[] Apply(Tensor gradOutput) => ApplyAll([gradOutput, null, null]);

    internal override Tensor?[] ApplyAll(Tensor?[] g)
    {
        EnsureNotReleased();
        return GradMode.IsEnabled ? Recorded(g) : Kernel(g);
    }

    private Tensor?[] Kernel(Tensor?[] g)
    {
        var st = state!;
        Tensor w = sw.Value(Name).Contiguous();
        var dtype = w.DType;
        var dh = g[1] is { } gh ? gh.Contiguous().Clone() : Tensor.Zeros([st.Batch, st.Hidden], dtype);
        var dc = g[2] is { } gc ? gc.Contiguous().Clone() : Tensor.Zeros([st.Batch, st.Hidden], dtype);
        var gOut = g[0]?.Contiguous();
        var dxp = Tensor.Allocate(dtype, [st.Steps, st.Batch, 4 * st.Hidden]);
        var dw = Next[3] is null ? null : Tensor.Allocate(dtype, w.Shape);
        var db = sb is null || Next[4] is null ? null : Tensor.Allocate(dtype, [4 * st.Hidden]);
        if (dtype == DType.Float32) Run<float>(st, w, gOut, dh, dc, dxp, dw, db);
        else Run<double>(st, w, gOut, dh, dc, dxp, dw, db);
        Tensor?[] r = sb is null ? new Tensor?[4] : new Tensor?[5];
        r[0] = Next[0] is null ? null : Fresh(dxp);
        r[1] = Next[1] is null ? null : Fresh(dh);
        r[2] = Next[2] is null ? null : Fresh(dc);
        r[3] = dw is null ? null : Fresh(dw);
        if (db is not null) r[4] = Fresh(db);
        return r;
    }

    private static void Run<T>(LstmLayerState st, Tensor w, Tensor? gOut, Tensor dh, Tensor dc, Tensor dxp, Tensor? dw, Tensor? db)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        LstmKernels.Backward(new LstmShape(st.Steps, st.Batch, st.Hidden, st.Reverse), new Operand<T>(w.Data<T>(), w.offset), st.Hs.Data<T>(),
            st.Cs.Data<T>(), st.Acts.Data<T>(), gOut is null ? null : new Operand<T>(gOut.Data<T>(), gOut.offset), dh.Data<T>(), dc.Data<T>(),
            dxp.Data<T>(), dw?.Data<T>(), db?.Data<T>());

    /// <summary>The forward replayed in recorded ops, then backpropagation through time in recorded ops.</summary>
    private Tensor?[] Recorded(Tensor?[] g)
    {
        var st = state!;
        Tensor xp = sxp.Value(Name), w = sw.Value(Name);
        Tensor? b = sb?.Value(Name);
        int steps = st.Steps;
        var hPrev = new Tensor[steps];
        var cPrev = new Tensor[steps];
        var acts = new (Tensor I, Tensor F, Tensor G, Tensor O, Tensor Tc)[steps];
        Tensor h = sh0.Value(Name), c = sc0.Value(Name);
        for (int s = 0; s < steps; s++)
        {
            int t = st.Reverse ? steps - 1 - s : s;
            var lin = Tensor.LinearFused(h, w, b) ?? (b is null ? h.Mm(w.T()) : h.Mm(w.T()).Add(b));
            (hPrev[s], cPrev[s]) = (h, c);
            var cell = Tensor.LstmCell(xp.Select(0, t).Add(lin), c);
            (h, c) = (cell.H, cell.C);
            acts[s] = (cell.I, cell.F, cell.G, cell.O, cell.TanhC);
        }
        var dh = g[1] ?? Tensor.ZerosLike(h);
        var dc = g[2] ?? Tensor.ZerosLike(c);
        var dgates = new Tensor[steps];
        Tensor? dw = null, db = null;
        for (int s = steps - 1; s >= 0; s--)
        {
            int t = st.Reverse ? steps - 1 - s : s;
            if (g[0] is { } go) dh = dh.Add(go.Select(0, t));
            var (i, f, gg, o, tc) = acts[s];
            dc = dc.Add(dh.Mul(o).Mul(tc.Mul(tc).Neg().Add(1)));
            var d = Tensor.Cat([dc.Mul(gg).Mul(i.Mul(i.Neg().Add(1))), dc.Mul(cPrev[s]).Mul(f.Mul(f.Neg().Add(1))),
                dc.Mul(i).Mul(gg.Mul(gg).Neg().Add(1)), dh.Mul(tc).Mul(o.Mul(o.Neg().Add(1)))], 1);
            dgates[t] = d;
            var dwStep = d.T().Mm(hPrev[s]);
            dw = dw is null ? dwStep : dw.Add(dwStep);
            if (b is not null) db = db is null ? d.Sum(0) : db.Add(d.Sum(0));
            dc = dc.Mul(f);
            dh = d.Mm(w);
        }
        Tensor?[] r = b is null ? new Tensor?[4] : new Tensor?[5];
        r[0] = Next[0] is null ? null : Tensor.Stack(dgates, 0);
        r[1] = Next[1] is null ? null : dh;
        r[2] = Next[2] is null ? null : dc;
        r[3] = Next[3] is null ? null : dw;
        if (b is not null) r[4] = Next[4] is null ? null : db;
        return r;
    }

    private protected override void ReleaseSaved()
    {
        (sxp, sh0, sc0, sw, sb, state) = (default, default, default, default, null, null);
    }
}
