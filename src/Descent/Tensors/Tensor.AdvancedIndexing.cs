using Descent.Autograd;

namespace Descent.Tensors;

// x[i, j], x[1..3, ^1], x[TensorIndex.Ellipsis, 0], x[mask], x[mask] = v: Python's index tuples. Integers, ranges,
// an ellipsis and new axes give views; one tensor index (a bool mask or int64 indices) gathers a copy through
// index_select, so gradients flow as PyTorch's IndexBackward sends them.
public sealed partial class Tensor
{
    /// <summary>
    /// Indexes several dimensions at once, like Python's <c>x[i, a:b, ..., None, mask]</c>; see <see cref="TensorIndex"/>.
    /// At most one entry may be a tensor. Getting a tensor-indexed result copies; setting writes through, like
    /// <c>index_put_</c>, with the value broadcast to the indexed shape and converted to this tensor's dtype.
    /// </summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[params TensorIndex[] indices]
    {
        get => Index(indices);
        set => IndexPut_(indices, value);
    }

    /// <summary>The tensor <c>x[indices]</c> reads, like <c>x.__getitem__</c>.</summary>
    public Tensor Index(params TensorIndex[] indices)
    {
        var (view, adv, at) = BasicIndex(indices);
        return adv is null ? view : TensorSelect(view, adv, at);
    }

    /// <summary>Writes <paramref name="values"/> to <c>x[indices]</c>, like <c>x.__setitem__</c> and <c>index_put_</c>.</summary>
    public Tensor IndexPut_(TensorIndex[] indices, Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var (view, adv, at) = BasicIndex(indices);
        if (adv is null)
        {
            view.Copy_(values);
            return this;
        }
        if (InPlaceNeedsGraph(values))
            throw new NotSupportedException("index_put_ with a tensor index is not recorded by autograd here; write under Torch.NoGrad() or use Where");
        var positions = Positions(view, adv, at, out int k);
        var resultShape = new List<int>(view.shape.AsSpan(0, at).ToArray()) { positions.Length };
        resultShape.AddRange(view.shape.AsSpan(at + k).ToArray());
        var outShape = resultShape.ToArray();
        Tensor src;
        try
        {
            src = values.Detach().To(DType).Expand(outShape);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException(
                $"shape mismatch: value tensor of shape {ShapeHelper.Format(values.shape)} cannot be broadcast to indexing result of shape {ShapeHelper.Format(outShape)}");
        }
        var coords = new int[k];
        for (int i = 0; i < positions.Length; i++)
        {
            Unravel((int)positions[i], view.shape.AsSpan(at, k).ToArray(), coords);
            var sub = view.Detach();
            for (int j = 0; j < k; j++) sub = sub.Select(at, coords[j]);
            sub.CopyFromUnchecked(src.Select(at, i));
        }
        BumpVersion();
        return this;
    }

    // Applies the integers, ranges, ellipsis and new axes; returns the view and the tensor index with the dimension it starts at.
    private (Tensor View, Tensor? Adv, int At) BasicIndex(TensorIndex[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int consumed = 0, ellipses = 0;
        foreach (var ix in indices)
        {
            switch (ix.What)
            {
                case TensorIndex.Kind.Int or TensorIndex.Kind.Range: consumed++; break;
                case TensorIndex.Kind.Tensor: consumed += ix.Indices!.DType == DType.Bool ? ix.Indices.Dim : 1; break;
                case TensorIndex.Kind.Ellipsis: ellipses++; break;
            }
        }
        if (ellipses > 1) throw new IndexOutOfRangeException("an index can only have a single ellipsis");
        if (consumed > Dim) throw new IndexOutOfRangeException($"too many indices for tensor of dimension {Dim}");
        var t = this;
        int d = 0, at = -1;
        Tensor? adv = null;
        foreach (var ix in indices)
        {
            switch (ix.What)
            {
                case TensorIndex.Kind.Int:
                    t = t.Select(d, ix.At.IsFromEnd ? -ix.At.Value : ix.At.Value);
                    break;
                case TensorIndex.Kind.Range:
                    int n = t.shape[d];
                    int s = ix.Span.Start.IsFromEnd ? n - ix.Span.Start.Value : ix.Span.Start.Value;
                    int e = ix.Span.End.IsFromEnd ? n - ix.Span.End.Value : ix.Span.End.Value;
                    t = t.Slice(d, Math.Clamp(s, 0, n), Math.Clamp(e, 0, n));
                    d++;
                    break;
                case TensorIndex.Kind.Ellipsis:
                    d += Dim - consumed;
                    break;
                case TensorIndex.Kind.NewAxis:
                    t = t.Unsqueeze(d);
                    d++;
                    break;
                default:
                    if (adv is not null) throw new NotSupportedException("indexing with more than one tensor is not supported");
                    adv = ix.Indices!;
                    at = d;
                    d += adv.DType == DType.Bool ? adv.Dim : 1;
                    break;
            }
        }
        return (t, adv, at);
    }

    /// <summary>The flat positions, over dims [at, at + k) of <paramref name="view"/>, that a tensor index picks.</summary>
    private static long[] Positions(Tensor view, Tensor index, int at, out int k)
    {
        if (index.DType == DType.Bool)
        {
            k = index.Dim;
            if (k == 0) throw new NotSupportedException("indexing with a 0-dim bool tensor is not supported");
            for (int j = 0; j < k; j++)
                if (index.shape[j] != view.shape[at + j])
                    throw new IndexOutOfRangeException(
                        $"The shape of the mask {ShapeHelper.Format(index.shape)} at index {j} does not match the shape of the indexed tensor {ShapeHelper.Format(view.shape)} at index {at + j}");
            var m = index.Detach().Contiguous();
            var md = m.Data<bool>().AsSpan(m.offset, m.Numel);
            int count = 0;
            foreach (var b in md) if (b) count++;
            var r = new long[count];
            for (int i = 0, w = 0; i < md.Length; i++) if (md[i]) r[w++] = i;
            return r;
        }
        if (!index.DType.IsIntegral())
            throw new IndexOutOfRangeException("tensors used as indices must be long, int, byte or bool tensors");
        k = 1;
        int size = view.shape[at];
        var ix = index.Detach().To(DType.Int64).Reshape(-1).ToArray<long>();
        for (int i = 0; i < ix.Length; i++)
        {
            if (ix[i] < -size || ix[i] >= size) throw new IndexOutOfRangeException($"index {ix[i]} is out of bounds for dimension {at} with size {size}");
            if (ix[i] < 0) ix[i] += size;
        }
        return ix;
    }

    private static Tensor TensorSelect(Tensor view, Tensor index, int at)
    {
        var positions = Positions(view, index, at, out int k);
        var merged = k == 1 ? view : view.Flatten(at, at + k - 1);
        var r = merged.IndexSelect(at, FromArray(positions));
        if (index.DType == DType.Bool || index.Dim == 1) return r;
        // Integer indices of any shape put their shape where the indexed dimension was.
        return r.Reshape([.. view.shape.AsSpan(0, at), .. index.shape, .. view.shape.AsSpan(at + 1)]);
    }
}
