using Descent.Autograd;

namespace Descent.Tensors;

// Joining and index-based gathering: cat, stack, gather, index_select, and the scatter-add their backward needs.
public sealed partial class Tensor
{
    /// <summary>Concatenates along an existing dimension, like <c>torch.cat</c>.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("torch.cat(): expected a non-empty list of Tensors");
        var first = tensors[0];
        for (int i = 0; i < tensors.Count; i++)
            if (tensors[i].Dim == 0) throw new ArgumentException($"zero-dimensional tensor (at position {i}) cannot be concatenated");
        int d = ShapeHelper.WrapDim(dim, first.Dim);
        var dtype = first.DType;
        long total = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            if (t.Dim != first.Dim)
                throw new ArgumentException($"Tensors must have same number of dimensions: got {first.Dim} and {t.Dim}");
            for (int k = 0; k < t.Dim; k++)
                if (k != d && t.shape[k] != first.shape[k])
                    throw new ArgumentException(
                        $"Sizes of tensors must match except in dimension {d}. Expected size {first.shape[k]} but got size {t.shape[k]} for tensor number {i} in the list.");
            dtype = DTypeExtensions.Promote(dtype, t.DType);
            total += t.shape[d];
        }
        if (total > int.MaxValue)
            throw new ArgumentException(
                $"cat(): the result's size {total} along dimension {d} does not fit in 32 bits: Descent's sizes, strides and offsets are at most {int.MaxValue}");
        var outShape = (int[])first.shape.Clone();
        outShape[d] = (int)total;
        var r = Allocate(dtype, outShape);
        int at = 0;
        var sizes = new int[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            sizes[i] = tensors[i].shape[d];
            r.Slice(d, at, at + sizes[i]).CopyFromUnchecked(tensors[i]);
            at += sizes[i];
        }
        bool needs = false;
        foreach (var t in tensors) needs |= Graph.Needs(t);
        return needs ? Graph.Attach(r, new CatBackward(d, sizes), tensors) : r;
    }

    /// <summary>Joins along a new dimension, like <c>torch.stack</c>.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("stack expects a non-empty TensorList");
        for (int i = 1; i < tensors.Count; i++)
            if (!ShapeHelper.SameShape(tensors[i].shape, tensors[0].shape))
                throw new ArgumentException(
                    $"stack expects each tensor to be equal size, but got {ShapeHelper.Format(tensors[0].shape)} at entry 0 and {ShapeHelper.Format(tensors[i].shape)} at entry {i}");
        int d = ShapeHelper.WrapDim(dim, tensors[0].Dim + 1);
        var parts = new Tensor[tensors.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = tensors[i].Unsqueeze(d);
        return Cat(parts, d);
    }

    private static void CheckIndex(Tensor index, string op)
    {
        if (index.DType != DType.Int64) throw new ArgumentException($"{op}(): Expected dtype int64 for index");
    }

    /// <summary>Picks values along <paramref name="dim"/> at <paramref name="index"/>, like <c>torch.gather</c>.</summary>
    public Tensor Gather(int dim, Tensor index)
    {
        CheckIndex(index, "gather");
        int d = ShapeHelper.WrapDim(dim, Math.Max(Dim, 1));
        if (index.Dim != Math.Max(Dim, 1) && !(Dim == 0 && index.Dim == 0))
            throw new ArgumentException("Index tensor must have the same number of dimensions as input tensor");
        // Outside dim the index may not be larger than the input, or it would read outside it.
        for (int k = 0; k < index.Dim && Dim > 0; k++)
            if (k != d && index.shape[k] > shape[k])
                throw new ArgumentException(
                    $"Size does not match at dimension {k} expected index {ShapeHelper.Format(index.shape)} to be smaller than self {ShapeHelper.Format(shape)} apart from dimension {d}");
        var idx = index.Contiguous();
        var r = Allocate(DType, (int[])index.shape.Clone());
        var ix = idx.Data<long>();
        int n = r.Numel;
        Span<int> pos = stackalloc int[Math.Max(Dim, 1)];
        for (int i = 0; i < n; i++)
        {
            Unravel(i, index.shape, pos);
            long j = ix[idx.offset + i];
            int size = Dim == 0 ? 1 : shape[d];
            // gather takes no negative indices, as in PyTorch.
            if (j < 0 || j >= size) throw new IndexOutOfRangeException($"index {j} is out of bounds for dimension {d} with size {size}");
            if (Dim > 0) pos[d] = (int)j;
            r.SetFlat(i, GetAsDouble(StorageIndex(pos)));
        }
        return Graph.Needs(this) ? Graph.Attach(r, new GatherBackward(shape, d, index), this) : r;
    }

    /// <summary>Selects entries along a dimension by an index vector, like <c>torch.index_select</c>.</summary>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        CheckIndex(index, "index_select");
        if (index.Dim > 1) throw new ArgumentException("index_select(): Index is supposed to be a vector");
        int d = ShapeHelper.WrapDim(dim, Dim);
        var ix = index.Reshape(-1).ToArray<long>();
        var parts = new Tensor[ix.Length];
        var outShape = (int[])shape.Clone();
        outShape[d] = ix.Length;
        var r = Allocate(DType, outShape);
        if (d == 0 && IsContiguous && TryCopyRows(ix, r))
            return Graph.Needs(this) ? Graph.Attach(r, new IndexSelectBackward(shape, d, ix), this) : r;
        for (int i = 0; i < ix.Length; i++)
        {
            long j = ix[i];
            if (j < 0 || j >= shape[d]) throw new IndexOutOfRangeException($"INDICES element is out of DATA bounds, id={j} axis_dim={shape[d]}");
            r.Select(d, i).CopyFromUnchecked(Detach().Select(d, (int)j));
        }
        return Graph.Needs(this) ? Graph.Attach(r, new IndexSelectBackward(shape, d, ix), this) : r;
    }

    /// <summary>
    /// index_select along dim 0 of a contiguous tensor as one span copy per row: what a DataLoader batch over a
    /// TensorDataset does every step. False (nothing written) when an index is out of range, so the caller reports it.
    /// </summary>
    private bool TryCopyRows(long[] ix, Tensor r)
    {
        int rows = shape.Length == 0 ? 1 : shape[0];
        foreach (var j in ix) if (j < 0 || j >= rows) return false;
        int width = rows == 0 ? 0 : Numel / rows;
        switch (storage)
        {
            case Storage<float> f: CopyRows(f.Data, r.Data<float>(), ix, width); break;
            case Storage<double> dd: CopyRows(dd.Data, r.Data<double>(), ix, width); break;
            case Storage<long> l: CopyRows(l.Data, r.Data<long>(), ix, width); break;
            case Storage<int> n: CopyRows(n.Data, r.Data<int>(), ix, width); break;
            default: CopyRows(((Storage<bool>)storage).Data, r.Data<bool>(), ix, width); break;
        }
        return true;
    }

    private void CopyRows<T>(T[] src, T[] dst, long[] ix, int width) where T : unmanaged
    {
        for (int i = 0; i < ix.Length; i++)
            Array.Copy(src, offset + (int)ix[i] * width, dst, i * width, width);
    }

    /// <summary>this[dim][index[i]] += src[i] (no autograd), the backward of gather.</summary>
    internal void ScatterAddUnchecked(int dim, Tensor index, Tensor src)
    {
        var idx = index.Contiguous();
        var s = src.Contiguous();
        var ix = idx.Data<long>();
        int n = idx.Numel;
        Span<int> pos = stackalloc int[Math.Max(Dim, 1)];
        for (int i = 0; i < n; i++)
        {
            Unravel(i, index.shape, pos);
            long j = ix[idx.offset + i];
            if (Dim > 0) pos[dim] = (int)(j < 0 ? j + shape[dim] : j);
            int at = StorageIndex(pos);
            SetStorage(at, GetAsDouble(at) + s.GetAsDouble(s.offset + i));
        }
    }

    private static void Unravel(int flat, int[] shape, Span<int> pos)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            pos[d] = flat % shape[d];
            flat /= shape[d];
        }
    }

    private int StorageIndex(ReadOnlySpan<int> pos)
    {
        int at = offset;
        for (int d = 0; d < Dim; d++) at += pos[d] * strides[d];
        return at;
    }

    private void SetStorage(int at, double v)
    {
        switch (storage)
        {
            case Storage<float> f: f.Data[at] = (float)v; break;
            case Storage<double> dd: dd.Data[at] = v; break;
            case Storage<long> l: l.Data[at] = (long)v; break;
            case Storage<int> n: n.Data[at] = (int)(long)v; break;
            case Storage<bool> b: b.Data[at] = v != 0; break;
        }
    }
}
