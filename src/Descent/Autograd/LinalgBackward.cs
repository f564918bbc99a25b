using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>mm: ∂A = alpha·g·Bᵀ, ∂B = alpha·Aᵀ·g.</summary>
internal sealed class MmBackward(Tensor a, Tensor b, double alpha) : Node
{
    private SavedTensor sa = new(a), sb = new(b);
    public override string Name => "MmBackward0";
    protected internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        if (alpha != 1) g = g.Mul(alpha);
        return [Next[0] is null ? null : g.Mm(sb.Value(Name).T()), Next[1] is null ? null : sa.Value(Name).T().Mm(g)];
    }
    protected override void ReleaseSaved() { sa = default; sb = default; }
}

/// <summary>addmm: ∂input = beta·g (summed to its shape), ∂mat1 = alpha·g·mat2ᵀ, ∂mat2 = alpha·mat1ᵀ·g.</summary>
internal sealed class AddmmBackward(int[] inputShape, Tensor a, Tensor b, double alpha, double beta) : Node
{
    private SavedTensor sa = new(a), sb = new(b);
    public override string Name => "AddmmBackward0";
    protected internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var gi = Next[0] is null ? null : (beta == 1 ? g : g.Mul(beta)).SumToShape(inputShape);
        var ga = alpha == 1 ? g : g.Mul(alpha);
        return [gi, Next[1] is null ? null : ga.Mm(sb.Value(Name).T()), Next[2] is null ? null : sa.Value(Name).T().Mm(ga)];
    }
    protected override void ReleaseSaved() { sa = default; sb = default; }
}

/// <summary>bmm: the mm rule per batch.</summary>
internal sealed class BmmBackward(Tensor a, Tensor b) : Node
{
    private SavedTensor sa = new(a), sb = new(b);
    public override string Name => "BmmBackward0";
    protected internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        return [Next[0] is null ? null : g.Bmm(sb.Value(Name).Transpose(1, 2)),
                Next[1] is null ? null : sa.Value(Name).Transpose(1, 2).Bmm(g)];
    }
    protected override void ReleaseSaved() { sa = default; sb = default; }
}
