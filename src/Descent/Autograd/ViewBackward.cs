using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>Backward of view, reshape, squeeze, unsqueeze, clone: the gradient takes the input's shape back.</summary>
internal sealed class ViewBackward(int[] inputShape, string name) : Node
{
    public override string Name => name;
    protected internal override Tensor?[] Apply(Tensor g) => [g.Reshape(inputShape)];
}

/// <summary>Backward of permute/transpose: the inverse permutation.</summary>
internal sealed class PermuteBackward(int[] perm, string name) : Node
{
    public override string Name => name;
    protected internal override Tensor?[] Apply(Tensor g)
    {
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return [g.Permute(inverse)];
    }
}

/// <summary>Backward of slicing/narrow: the gradient lands in the slice of a zero tensor.</summary>
internal sealed class SliceBackward(int[] inputShape, int dim, int start, int step) : Node
{
    public override string Name => "SliceBackward0";
    protected internal override Tensor?[] Apply(Tensor g)
    {
        var r = Tensor.Zeros(inputShape, g.DType);
        r.Slice(dim, start, start + (g.Size(dim) - 1) * step + 1, step).CopyFromUnchecked(g);
        return [r];
    }
}

/// <summary>Backward of select / <c>x[i]</c>.</summary>
internal sealed class SelectBackward(int[] inputShape, int dim, int index) : Node
{
    public override string Name => "SelectBackward0";
    protected internal override Tensor?[] Apply(Tensor g)
    {
        var r = Tensor.Zeros(inputShape, g.DType);
        r.Select(dim, index).CopyFromUnchecked(g);
        return [r];
    }
}

/// <summary>Backward of expand: sums over the broadcast dimensions.</summary>
internal sealed class ExpandBackward(int[] inputShape) : Node
{
    public override string Name => "ExpandBackward0";
    protected internal override Tensor?[] Apply(Tensor g) => [g.SumToShape(inputShape)];
}

/// <summary>Backward of a dtype conversion.</summary>
internal sealed class ToCopyBackward(DType inputType) : Node
{
    public override string Name => "ToCopyBackward0";
    protected internal override Tensor?[] Apply(Tensor g) => [g.To(inputType)];
}

/// <summary>
/// Backward of a view re-derived from its base after an in-place op on it (PyTorch's AsStridedBackward0): the
/// gradient is placed at the view's position in a zero tensor of the base's shape.
/// </summary>
internal sealed class AsStridedBackward(StridedLayout layout) : Node
{
    public override string Name => "AsStridedBackward0";
    protected internal override Tensor?[] Apply(Tensor g)
    {
        var b = layout.NewBaseLike(g.DType);
        layout.ViewIn(b).CopyFromUnchecked(g);
        return [b.Contiguous()];
    }
}

/// <summary>
/// The history of a base after an in-place op on one of its views (PyTorch's CopySlices): inputs are the base's
/// old value and the op's result. The old value gets the gradient outside the view's region, the result the
/// gradient inside it.
/// </summary>
internal sealed class CopySlices(StridedLayout layout) : Node
{
    public override string Name => "CopySlices";
    protected internal override Tensor?[] Apply(Tensor g)
    {
        var b = layout.NewBaseLike(g.DType);
        b.CopyFromUnchecked(g);
        var region = layout.ViewIn(b);
        var gResult = Next[1] is null ? null : region.Clone();
        region.FillUnchecked(0);
        return [Next[0] is null ? null : b.Contiguous(), gResult];
    }
}
