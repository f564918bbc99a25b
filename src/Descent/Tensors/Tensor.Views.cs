using Descent.Autograd;

namespace Descent.Tensors;

// Views share storage with their base; each records a node whose backward undoes the view.
public sealed partial class Tensor
{
    // A view remembers the tensor at the root of its view chain, so an in-place op on it can rewrite that
    // tensor's history (see RebaseViewHistory).
    // Every view's element count is checked as PyTorch checks it when a view's sizes are set.
    private Tensor ViewOf(int[] newShape, int[] newStrides, int newOffset)
    {
        ShapeHelper.CheckedNumel(newShape);
        return new(storage, newOffset, newShape, newStrides) { viewBase = viewBase ?? this };
    }

    /// <summary>
    /// Resolves a -1 entry and checks the element count, with PyTorch's messages (<c>infer_size_impl</c>). Like
    /// PyTorch, the product of the given sizes wraps around in 64 bits; sizes accepted only thanks to the wrap then
    /// fail on the view's element count, as PyTorch's do.
    /// </summary>
    private int[] InferShape(ReadOnlySpan<int> requested)
    {
        var r = requested.ToArray();
        int infer = -1;
        long known = 1;
        bool overflow = false;
        for (int i = 0; i < r.Length; i++)
        {
            if (r[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException("only one dimension can be inferred");
                infer = i;
            }
            else if (r[i] < 0) throw new ArgumentException($"invalid shape dimension {r[i]}");
            else
            {
                long high = Math.BigMul(known, r[i], out long low);
                overflow |= high != low >> 63;
                known = low;
            }
        }
        int n = Numel;
        if (n == known || (infer >= 0 && known > 0 && n % known == 0))
        {
            if (infer >= 0)
            {
                if (known == 0)
                    throw new ArgumentException(
                        $"cannot reshape tensor of 0 elements into shape {ShapeHelper.Format(requested)} because the unspecified dimension size -1 can be any value and is ambiguous");
                r[infer] = (int)(n / known);
            }
            if (overflow) throw new ArgumentException(ShapeHelper.NumelOverflow);
            return r;
        }
        throw new ArgumentException($"shape '{ShapeHelper.Format(requested)}' is invalid for input of size {n}");
    }

    /// <summary>
    /// A view with a new shape (one entry may be -1), like <c>view</c>. Needs compatible strides; use
    /// <see cref="Reshape"/> otherwise.
    /// </summary>
    public Tensor View(params ReadOnlySpan<int> shape)
    {
        var newShape = InferShape(shape);
        var newStrides = ShapeHelper.ComputeViewStrides(this.shape, strides, newShape) ?? throw new InvalidOperationException(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        var r = ViewOf(newShape, newStrides, offset);
        return Graph.Needs(this) ? Graph.Attach(r, new ViewBackward(this.shape, "ViewBackward0"), this) : r;
    }

    /// <summary>Like <see cref="View"/> when possible, otherwise a copy, like <c>reshape</c>.</summary>
    public Tensor Reshape(params ReadOnlySpan<int> shape)
    {
        var newShape = InferShape(shape);
        return ShapeHelper.ComputeViewStrides(this.shape, strides, newShape) is null ? Contiguous().View(newShape) : View(newShape);
    }

    /// <summary>Flattens dimensions <paramref name="startDim"/>..<paramref name="endDim"/> into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Dim == 0) return Reshape(1);
        int s = ShapeHelper.WrapDim(startDim, Dim), e = ShapeHelper.WrapDim(endDim, Dim);
        if (s > e) throw new ArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        // Nothing to merge: PyTorch returns the tensor itself.
        if (s == e) return this;
        var ns = new List<int>();
        for (int i = 0; i < s; i++) ns.Add(shape[i]);
        // Only a tensor with a size 0 can have merged sizes past its element count.
        ns.Add(ShapeHelper.Index(ShapeHelper.CheckedNumel(shape.AsSpan(s, e - s + 1)), "size", shape));
        for (int i = e + 1; i < Dim; i++) ns.Add(shape[i]);
        return Reshape(ns.ToArray());
    }

    /// <summary>Swaps two dimensions, like <c>transpose</c>.</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        int a = ShapeHelper.WrapDim(dim0, Dim), b = ShapeHelper.WrapDim(dim1, Dim);
        var perm = new int[Dim];
        for (int i = 0; i < perm.Length; i++) perm[i] = i;
        if (Dim > 0) (perm[a], perm[b]) = (perm[b], perm[a]);
        return PermuteImpl(perm, "TransposeBackward0");
    }

    /// <summary>The transpose of a matrix (≤ 2 dimensions), like <c>t()</c> and <c>.T</c>.</summary>
    public Tensor T()
    {
        if (Dim > 2) throw new ArgumentException($"t() expects a tensor with <= 2 dimensions, but self is {Dim}D");
        return Dim < 2 ? this : PermuteImpl([1, 0], "TBackward0");
    }

    /// <summary>Reorders dimensions, like <c>permute</c>.</summary>
    public Tensor Permute(params ReadOnlySpan<int> dims) => PermuteImpl(dims, "PermuteBackward0");

    private Tensor PermuteImpl(ReadOnlySpan<int> dims, string name)
    {
        if (dims.Length != Dim)
            throw new ArgumentException(
                $"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {Dim} is not equal to len(dims) = {dims.Length}");
        var seen = new bool[Dim];
        var ns = new int[Dim];
        var nst = new int[Dim];
        var perm = new int[Dim];
        for (int i = 0; i < dims.Length; i++)
        {
            int d = ShapeHelper.WrapDim(dims[i], Dim);
            if (seen[d]) throw new ArgumentException("permute(): duplicate dims are not allowed.");
            seen[d] = true;
            perm[i] = d;
            ns[i] = shape[d];
            nst[i] = strides[d];
        }
        var r = ViewOf(ns, nst, offset);
        return Graph.Needs(this) ? Graph.Attach(r, new PermuteBackward(perm, name), this) : r;
    }

    /// <summary>Elements <paramref name="start"/>..start+length of one dimension, like <c>narrow</c>.</summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        int d = ShapeHelper.WrapDim(dim, Dim);
        int n = shape[d];
        if (start < -n || start > n)
            throw new ArgumentOutOfRangeException($"start out of range (expected to be in range of [{-n}, {n}], but got {start})", (Exception?)null);
        if (start < 0) start += n;
        if (length < 0 || start > n - length)
            throw new ArgumentOutOfRangeException($"start ({start}) + length ({length}) exceeds dimension size ({n}).", (Exception?)null);
        return Slice(d, start, start + length, 1);
    }

    /// <summary>
    /// Python-style slicing of one dimension (<c>x[:, start:end:step]</c>): bounds clamp like Python's and may be
    /// negative; <paramref name="step"/> must be positive.
    /// </summary>
    public Tensor Slice(int dim, int? start = null, int? end = null, int step = 1)
    {
        int d = ShapeHelper.WrapDim(dim, Dim);
        if (step <= 0) throw new ArgumentException("step must be greater than zero");
        int n = shape[d];
        int s = start ?? 0, e = end ?? n;
        if (s < 0) s += n;
        if (e < 0) e += n;
        s = Math.Clamp(s, 0, n);
        e = Math.Clamp(e, s, n);
        var ns = (int[])shape.Clone();
        var nst = (int[])strides.Clone();
        ns[d] = (int)(((long)e - s + step - 1) / step);
        nst[d] = ShapeHelper.Index((long)strides[d] * step, "stride", ns);
        var r = ViewOf(ns, nst, ShapeHelper.Index(offset + (long)s * strides[d], "storage offset", ns));
        return Graph.Needs(this) ? Graph.Attach(r, new SliceBackward(shape, d, s, step), this) : r;
    }

    /// <summary>Removes a dimension by taking one index of it, like <c>select</c> and <c>x[i]</c>.</summary>
    public Tensor Select(int dim, int index)
    {
        int d = ShapeHelper.WrapDim(dim, Dim);
        int n = shape[d];
        if (index < -n || index >= n)
            throw new IndexOutOfRangeException($"index {index} is out of bounds for dimension {d} with size {n}");
        if (index < 0) index += n;
        var ns = new int[Dim - 1];
        var nst = new int[Dim - 1];
        for (int i = 0, j = 0; i < Dim; i++)
        {
            if (i == d) continue;
            ns[j] = shape[i];
            nst[j++] = strides[i];
        }
        var r = ViewOf(ns, nst, ShapeHelper.Index(offset + (long)index * strides[d], "storage offset", ns));
        return Graph.Needs(this) ? Graph.Attach(r, new SelectBackward(shape, d, index), this) : r;
    }

    /// <summary><c>x[i]</c>: selects along the first dimension.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[int index] => Select(0, index);

    /// <summary><c>x[a:b]</c>: slices the first dimension; bounds past either end clamp, as Python's do.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[Range range]
    {
        get
        {
            if (Dim == 0) throw new ArgumentException("slice() cannot be applied to a 0-dim tensor.");
            int n = shape[0];
            // ^k counts from the end; the resulting bounds are clamped by Slice like Python's x[a:b].
            int s = range.Start.IsFromEnd ? n - range.Start.Value : range.Start.Value;
            int e = range.End.IsFromEnd ? n - range.End.Value : range.End.Value;
            return Slice(0, Math.Clamp(s, 0, n), Math.Clamp(e, 0, n));
        }
    }

    /// <summary>Removes all size-1 dimensions, like <c>squeeze()</c>.</summary>
    public Tensor Squeeze()
    {
        int keep = 0;
        foreach (var s in shape) if (s != 1) keep++;
        if (keep == Dim) return ShapeView(shape, strides, "SqueezeBackward0");
        var ns = new int[keep];
        var nst = new int[keep];
        for (int i = 0, j = 0; i < Dim; i++)
        {
            if (shape[i] == 1) continue;
            ns[j] = shape[i];
            nst[j++] = strides[i];
        }
        return ShapeView(ns, nst, "SqueezeBackward0");
    }

    /// <summary>Removes one dimension if its size is 1, like <c>squeeze(dim)</c>.</summary>
    public Tensor Squeeze(int dim)
    {
        if (Dim == 0) return ShapeView(shape, strides, "SqueezeBackward1");
        int d = ShapeHelper.WrapDim(dim, Dim);
        if (shape[d] != 1) return ShapeView(shape, strides, "SqueezeBackward1");
        var ns = new int[Dim - 1];
        var nst = new int[Dim - 1];
        for (int i = 0, j = 0; i < Dim; i++)
        {
            if (i == d) continue;
            ns[j] = shape[i];
            nst[j++] = strides[i];
        }
        return ShapeView(ns, nst, "SqueezeBackward1");
    }

    /// <summary>Inserts a size-1 dimension, like <c>unsqueeze</c>.</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = ShapeHelper.WrapDim(dim, Dim + 1);
        var ns = new int[Dim + 1];
        var nst = new int[Dim + 1];
        for (int i = 0, j = 0; i <= Dim; i++)
        {
            if (i == d)
            {
                ns[i] = 1;
                nst[i] = d < Dim ? ShapeHelper.Index((long)shape[d] * strides[d], "stride", shape) : 1;
            }
            else
            {
                ns[i] = shape[j];
                nst[i] = strides[j++];
            }
        }
        return ShapeView(ns, nst, "UnsqueezeBackward0");
    }

    private Tensor ShapeView(int[] ns, int[] nst, string name)
    {
        var r = ViewOf((int[])ns.Clone(), (int[])nst.Clone(), offset);
        return Graph.Needs(this) ? Graph.Attach(r, new ViewBackward(shape, name), this) : r;
    }

    /// <summary>Broadcasts size-1 dimensions to a larger size without copying, like <c>expand</c> (-1 keeps a size).</summary>
    public Tensor Expand(params ReadOnlySpan<int> sizes)
    {
        if (sizes.Length < Dim)
            throw new ArgumentException(
                $"expand({DType.LegacyTypeName()}{{{ShapeHelper.Format(shape)}}}, size={ShapeHelper.Format(sizes)}): the number of sizes provided ({sizes.Length}) must be greater or equal to the number of dimensions in the tensor ({Dim})");
        var ns = new int[sizes.Length];
        var nst = new int[sizes.Length];
        int lead = sizes.Length - Dim;
        for (int i = 0; i < sizes.Length; i++)
        {
            int own = i >= lead ? shape[i - lead] : 1;
            int want = sizes[i] == -1 ? own : sizes[i];
            if (i < lead && sizes[i] == -1)
                throw new ArgumentException($"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}");
            if (own != want && own != 1)
                throw new ArgumentException(
                    $"The expanded size of the tensor ({want}) must match the existing size ({own}) at non-singleton dimension {i}.  Target sizes: {ShapeHelper.Format(sizes)}.  Tensor sizes: {ShapeHelper.Format(shape)}");
            // PyTorch lets other negative sizes through to the view's element count, which fails on them.
            if (want < 0) throw new ArgumentException(ShapeHelper.NumelOverflow);
            ns[i] = want;
            nst[i] = i < lead || (own == 1 && want != 1) ? 0 : strides[i - lead];
        }
        var r = ViewOf(ns, nst, offset);
        return Graph.Needs(this) ? Graph.Attach(r, new ExpandBackward(shape), this) : r;
    }

    /// <summary>Expands to another tensor's shape, like <c>expand_as</c>.</summary>
    public Tensor ExpandAs(Tensor other) => Expand(other.shape);

    /// <summary>A contiguous tensor with the same values: this one when already contiguous, like <c>contiguous()</c>.</summary>
    public Tensor Contiguous() => IsContiguous ? this : Clone();

    /// <summary>A copy with its own storage that stays in the graph, like <c>clone()</c>.</summary>
    public Tensor Clone()
    {
        var r = Allocate(DType, (int[])shape.Clone());
        r.CopyFromUnchecked(this);
        return Graph.Needs(this) ? Graph.Attach(r, new ViewBackward(shape, "CloneBackward0"), this) : r;
    }

    /// <summary>Converts to another dtype (this tensor when already of it), like <c>to(dtype)</c>.</summary>
    public Tensor To(DType dtype)
    {
        if (dtype == DType) return this;
        var r = Allocate(dtype, (int[])shape.Clone());
        ConvertInto(r);
        if (Graph.Needs(this) && dtype.IsFloatingPoint())
            return Graph.Attach(r, new ToCopyBackward(DType), this);
        return r;
    }

    /// <summary>Converts to float32, like <c>float()</c>.</summary>
    public Tensor Float() => To(DType.Float32);

    /// <summary>Converts to float64, like <c>double()</c>.</summary>
    public Tensor Double() => To(DType.Float64);

    /// <summary>Converts to int64 (truncating), like <c>long()</c>.</summary>
    public Tensor Long() => To(DType.Int64);

    private void ConvertInto(Tensor r)
    {
        var src = Contiguous();
        int n = Numel;
        for (int i = 0; i < n; i++)
        {
            int si = src.offset + i;
            switch (r.storage)
            {
                case Storage<float> f: f.Data[i] = src.storage is Storage<double> sd ? (float)sd.Data[si] : (float)src.GetAsDouble(si); break;
                case Storage<double> d: d.Data[i] = src.GetAsDouble(si); break;
                case Storage<long> l: l.Data[i] = src.GetAsLong(si); break;
                case Storage<int> i32: i32.Data[i] = (int)src.GetAsLong(si); break;
                case Storage<bool> b: b.Data[i] = src.GetAsDouble(si) != 0; break;
            }
        }
    }
}
