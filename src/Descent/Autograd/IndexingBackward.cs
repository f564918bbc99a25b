using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>cat: each input gets its slice of the gradient.</summary>
internal sealed class CatBackward(int dim, int[] sizes) : Node
{
    public override string Name => "CatBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        var r = new Tensor?[sizes.Length];
        int at = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            if (Next[i] is not null) r[i] = g.Narrow(dim, at, sizes[i]);
            at += sizes[i];
        }
        return r;
    }
}

/// <summary>gather: the gradient is scatter-added back to the gathered positions.</summary>
internal sealed class GatherBackward(int[] inputShape, int dim, Tensor index) : Node
{
    private Tensor? idx = index;
    public override string Name => "GatherBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var r = Tensor.Zeros(inputShape, g.DType);
        r.ScatterAddUnchecked(dim, idx!, g);
        return [r];
    }

    internal override Tensor?[] ApplyRecorded(Tensor g)
    {
        EnsureNotReleased();
        return [Tensor.ScatterAddIntoZeros(inputShape, dim, idx!, g)];
    }
    private protected override void ReleaseSaved() => idx = null;
}

/// <summary>index_select: rows of the gradient are added back at the selected indices.</summary>
internal sealed class IndexSelectBackward(int[] inputShape, int dim, long[] index) : Node
{
    public override string Name => "IndexSelectBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        var r = Tensor.Zeros(inputShape, g.DType);
        for (int i = 0; i < index.Length; i++) r.Select(dim, (int)index[i]).Add_(g.Select(dim, i));
        return [r];
    }

    internal override Tensor?[] ApplyRecorded(Tensor g) => [Tensor.IndexAddIntoZeros(inputShape, dim, index, g)];
}
