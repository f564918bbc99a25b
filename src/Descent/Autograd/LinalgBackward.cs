using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>mm: ∂A = alpha·g·Bᵀ, ∂B = alpha·Aᵀ·g.</summary>
internal sealed class MmBackward(Tensor a, Tensor b, double alpha) : Node
{
    private SavedTensor sa = new(a), sb = new(b);
    public override string Name => "MmBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        if (alpha != 1) g = g.Mul(alpha);
        return [Next[0] is null ? null : g.Mm(sb.Value(Name).T()), Next[1] is null ? null : sa.Value(Name).T().Mm(g)];
    }
    private protected override void ReleaseSaved() { sa = default; sb = default; }
}

/// <summary>addmm: ∂input = beta·g (summed to its shape), ∂mat1 = alpha·g·mat2ᵀ, ∂mat2 = alpha·mat1ᵀ·g.</summary>
internal sealed class AddmmBackward(int[] inputShape, Tensor a, Tensor b, double alpha, double beta) : Node
{
    private SavedTensor sa = new(a), sb = new(b);
    public override string Name => "AddmmBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var gi = Next[0] is null ? null : (beta == 1 ? g : g.Mul(beta)).SumToShape(inputShape);
        var ga = alpha == 1 ? g : g.Mul(alpha);
        return [gi, Next[1] is null ? null : ga.Mm(sb.Value(Name).T()), Next[2] is null ? null : sa.Value(Name).T().Mm(ga)];
    }
    private protected override void ReleaseSaved() { sa = default; sb = default; }
}

/// <summary>bmm: the mm rule per batch.</summary>
internal sealed class BmmBackward(Tensor a, Tensor b) : Node
{
    private SavedTensor sa = new(a), sb = new(b);
    public override string Name => "BmmBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        return [Next[0] is null ? null : g.Bmm(sb.Value(Name).Transpose(1, 2)),
                Next[1] is null ? null : sa.Value(Name).Transpose(1, 2).Bmm(g)];
    }
    private protected override void ReleaseSaved() { sa = default; sb = default; }
}

/// <summary>
/// Linear (x·Wᵀ + b) as one node: ∂b = Σ_rows g, ∂x = g·W, ∂W = gᵀ·x, each written in its final layout. PyTorch
/// records addmm (mm without a bias) and a transpose of W; this node folds the transpose in, under addmm's name.
/// </summary>
internal sealed class LinearBackward(Tensor input, Tensor weight, bool hasBias) : Node
{
    private SavedTensor sx = new(input), sw = new(weight);
    public override string Name => hasBias ? "AddmmBackward0" : "MmBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        int first = hasBias ? 1 : 0;
        var gx = Next[first] is null ? null : Fresh(Tensor.LinearInputGrad(g, sw.Value(Name)));
        var gw = Next[first + 1] is null ? null : Fresh(Tensor.LinearWeightGrad(g, sx.Value(Name)));
        if (!hasBias) return [gx, gw];
        var gb = Next[0] is null ? null : Fresh(g.SumRows());
        return [gb, gx, gw];
    }

    /// <summary>As addmm's backward with the transpose of W: ∂x = g·W, ∂W = gᵀ·x, ∂b = g summed over rows.</summary>
    internal override Tensor?[] ApplyRecorded(Tensor g)
    {
        EnsureNotReleased();
        int first = hasBias ? 1 : 0;
        var gx = Next[first] is null ? null : g.Mm(sw.Value(Name));
        var gw = Next[first + 1] is null ? null : g.T().Mm(sx.Value(Name));
        if (!hasBias) return [gx, gw];
        return [Next[0] is null ? null : g.SumToShape([g.Size(1)]), gx, gw];
    }
    private protected override void ReleaseSaved() { sx = default; sw = default; }
}
