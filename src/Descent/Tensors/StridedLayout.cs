namespace Descent.Tensors;

/// <summary>
/// The geometry of a view relative to its base, as PyTorch's CopySlices and AsStridedBackward use it: a buffer
/// laid out with the base's strides (from offset 0) holds the base, and the view sits in that buffer at its own
/// strides and at its offset relative to the base's. That reproduces any view chain without inverting it.
/// </summary>
internal sealed class StridedLayout
{
    private readonly int[] baseShape, baseStrides, viewShape, viewStrides;
    private readonly int viewOffset, extent;

    public StridedLayout(Tensor @base, Tensor view)
    {
        baseShape = (int[])@base.shape.Clone();
        baseStrides = (int[])@base.strides.Clone();
        viewShape = (int[])view.shape.Clone();
        viewStrides = (int[])view.strides.Clone();
        viewOffset = view.offset - @base.offset;
        extent = Extent(baseShape, baseStrides);
    }

    /// <summary>The base's shape.</summary>
    public int[] BaseShape => baseShape;

    /// <summary>The view's shape.</summary>
    public int[] ViewShape => viewShape;

    /// <summary>Storage elements a tensor of this shape and these strides spans from its first element.</summary>
    private static int Extent(int[] shape, int[] strides)
    {
        long e = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 0) return 0;
            e += (long)(shape[d] - 1) * strides[d];
        }
        return ShapeHelper.Index(e, "storage extent", shape);
    }

    /// <summary>A zeroed tensor of the base's shape and strides over a fresh buffer.</summary>
    public Tensor NewBaseLike(DType dtype) =>
        new(Storage.Allocate(dtype, extent), 0, (int[])baseShape.Clone(), (int[])baseStrides.Clone());

    /// <summary>The view's region of a tensor made by <see cref="NewBaseLike"/> (shares its storage, no autograd).</summary>
    public Tensor ViewIn(Tensor baseLike) =>
        new(baseLike.storage, viewOffset, (int[])viewShape.Clone(), (int[])viewStrides.Clone());
}
