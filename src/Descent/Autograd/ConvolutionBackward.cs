using Descent.Kernels;
using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// Convolution: ∂x = col2im(Wᵀ·gy), ∂W = gy·im2col(x)ᵀ, ∂b = gy summed over batch and positions (per group). The
/// plain pass runs <see cref="ConvKernels"/> image by image; under create_graph the same formulas run as recorded
/// ops (im2col, products, col2im), so derivatives of any order work.
/// </summary>
internal sealed class ConvolutionBackward(Tensor input, Tensor weight, ConvGeometry geo, bool hasBias) : Node
{
    private SavedTensor sx = new(input), sw = new(weight);

    public override string Name => "ConvolutionBackward0";

    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var (gx, gw, gb) = Tensor.ConvolutionGrads(g, sx.Value(Name), sw.Value(Name), geo, Next[0] is not null, Next[1] is not null,
            hasBias && Next[2] is not null);
        return hasBias ? [F(gx), F(gw), F(gb)] : [F(gx), F(gw)];
    }

    private static Tensor? F(Tensor? t) => t is null ? null : Fresh(t);

    internal override Tensor?[] ApplyRecorded(Tensor g)
    {
        EnsureNotReleased();
        Tensor x = sx.Value(Name), w = sw.Value(Name);
        int n = geo.Batch, l = geo.W.L, groups = geo.Groups, coutG = geo.CoutG, kg = geo.Kg;
        // gy as [Groups, CoutG, N·L], the layout of the whole batch's columns.
        var g3 = g.Permute(1, 0, 2, 3).Reshape(groups, coutG, n * l);
        var w3 = w.Reshape(groups, coutG, kg);
        Tensor? gx = null, gw = null, gb = null;
        if (Next[0] is not null)
            gx = Tensor.Col2Im(w3.Transpose(1, 2).Bmm(g3).Reshape(geo.Cin * geo.W.K, n * l), n, geo.Cin, geo.W);
        if (Next[1] is not null)
            gw = g3.Bmm(Tensor.Im2Col(x, geo.W).View(groups, kg, n * l).Transpose(1, 2)).Reshape(w.shape);
        if (hasBias && Next[2] is not null) gb = g.Sum([0, 2, 3]);
        return hasBias ? [gx, gw, gb] : [gx, gw];
    }

    private protected override void ReleaseSaved() { sx = default; sw = default; }
}
