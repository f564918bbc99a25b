using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>Backward of view, reshape, squeeze, unsqueeze, clone: the gradient takes the input's shape back.</summary>
internal sealed class ViewBackward(int[] inputShape, string name) : Node
{
    public override string Name => name;
    internal override Tensor?[] Apply(Tensor g) => [g.Reshape(inputShape)];
}

/// <summary>Backward of permute/transpose: the inverse permutation.</summary>
internal sealed class PermuteBackward(int[] perm, string name) : Node
{
    public override string Name => name;
    internal override Tensor?[] Apply(Tensor g)
    {
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return [g.Permute(inverse)];
    }
}

/// <summary>
/// Backward of slicing/narrow: the gradient lands in the slice of a zero tensor (under create_graph through a
/// recorded op whose own backward slices again).
/// </summary>
internal sealed class SliceBackward(int[] inputShape, int dim, int start, int step) : Node
{
    public override string Name => "SliceBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        return [Place(g, End(g))];
    }

    internal override Tensor?[] ApplyRecorded(Tensor g)
    {
        int end = End(g);
        return [Tensor.ScatterIntoZeros(g, x => Place(x, end), t => t.Slice(dim, start, end, step), "SliceBackwardBackward0")];
    }

    // The slice's end, from its length: the region is the same in the input's gradient and in g's own gradient.
    private int End(Tensor g) => start + (g.Size(dim) - 1) * step + 1;

    private Tensor Place(Tensor g, int end)
    {
        var r = Tensor.Zeros(inputShape, g.DType);
        r.Slice(dim, start, end, step).CopyFromUnchecked(g);
        return r;
    }
}

/// <summary>Backward of select / <c>x[i]</c>: the gradient lands in one index of a zero tensor.</summary>
internal sealed class SelectBackward(int[] inputShape, int dim, int index) : Node
{
    public override string Name => "SelectBackward0";
    internal override Tensor?[] Apply(Tensor g) => [Place(g)];

    internal override Tensor?[] ApplyRecorded(Tensor g) => [Tensor.ScatterIntoZeros(g, Place, Region, "SelectBackwardBackward0")];

    private Tensor Region(Tensor t) => t.Select(dim, index);

    private Tensor Place(Tensor g)
    {
        var r = Tensor.Zeros(inputShape, g.DType);
        r.Select(dim, index).CopyFromUnchecked(g);
        return r;
    }
}

/// <summary>Backward of expand: sums over the broadcast dimensions.</summary>
internal sealed class ExpandBackward(int[] inputShape) : Node
{
    public override string Name => "ExpandBackward0";
    internal override Tensor?[] Apply(Tensor g) => [g.SumToShape(inputShape)];
}

/// <summary>Backward of a dtype conversion.</summary>
internal sealed class ToCopyBackward(DType inputType) : Node
{
    public override string Name => "ToCopyBackward0";
    internal override Tensor?[] Apply(Tensor g) => [g.To(inputType)];
}

/// <summary>
/// Backward of a view re-derived from its base after an in-place op on it (PyTorch's AsStridedBackward0): the
/// gradient is placed at the view's position in a zero tensor of the base's shape.
/// </summary>
internal sealed class AsStridedBackward(StridedLayout layout) : Node
{
    public override string Name => "AsStridedBackward0";
    internal override Tensor?[] Apply(Tensor g) => [Place(g)];

    internal override Tensor?[] ApplyRecorded(Tensor g) =>
        [Tensor.ScatterIntoZeros(g, Place, t => Tensor.ViewGather(t, layout), "AsStridedScatterBackward0")];

    private Tensor Place(Tensor g)
    {
        var b = layout.NewBaseLike(g.DType);
        layout.ViewIn(b).CopyFromUnchecked(g);
        return b.Contiguous();
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
    internal override Tensor?[] Apply(Tensor g)
    {
        var b = layout.NewBaseLike(g.DType);
        b.CopyFromUnchecked(g);
        var region = layout.ViewIn(b);
        var gResult = Next[1] is null ? null : region.Clone();
        region.FillUnchecked(0);
        return [Next[0] is null ? null : b.Contiguous(), gResult];
    }

    /// <summary>The same split with recorded ops: outside the region through a mask, the region through a gather.</summary>
    internal override Tensor?[] ApplyRecorded(Tensor g)
    {
        Tensor? outside = null;
        if (Next[0] is not null)
        {
            var mask = layout.NewBaseLike(DType.Bool);
            layout.ViewIn(mask).FillUnchecked(1);
            outside = Tensor.Where(mask, Tensor.Zeros([], g.DType), g);
        }
        return [outside, Next[1] is null ? null : Tensor.ViewGather(g, layout)];
    }
}

/// <summary>unbind: the slices' gradients stacked back along the dimension, zeros for slices that got none.</summary>
internal sealed class UnbindBackward : Node
{
    private readonly int[] inputShape;
    private readonly int dim;
    private readonly DType dtype;

    public UnbindBackward(int[] inputShape, int dim, DType dtype, int outputs)
    {
        (this.inputShape, this.dim, this.dtype) = (inputShape, dim, dtype);
        OutputCount = (byte)outputs;
    }

    public override string Name => "UnbindBackward0";

    internal override Tensor?[] Apply(Tensor g) => ApplyAll([g, .. new Tensor?[OutputCount - 1]]);

    internal override Tensor?[] ApplyAll(Tensor?[] gradOutputs)
    {
        int[] slice = [.. inputShape[..dim], .. inputShape[(dim + 1)..]];
        var parts = new Tensor[gradOutputs.Length];
        for (int i = 0; i < parts.Length; i++) parts[i] = gradOutputs[i] ?? Tensor.Zeros(slice, dtype);
        return [Tensor.Stack(parts, dim)];
    }
}
