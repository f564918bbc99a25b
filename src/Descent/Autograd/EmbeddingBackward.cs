using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// embedding: each looked-up row's gradient is added back to its row of the weight, except at the padding index;
/// with scale_grad_by_freq each is divided by how often its index occurs in the batch. With sparse the gradient is
/// row-sparse (see <see cref="Tensor.IsSparse"/>), listing the rows looked up.
/// </summary>
internal sealed class EmbeddingBackward(int numWeights, int dim, long[] indices, long paddingIdx, bool scaleGradByFreq, bool sparse) : Node
{
    public override string Name => "EmbeddingBackward0";

    // Per lookup: the scale of its gradient, 0 at the padding index.
    private double[] Scales()
    {
        var scales = new double[indices.Length];
        Dictionary<long, int>? counts = null;
        if (scaleGradByFreq)
        {
            counts = [];
            foreach (var i in indices) counts[i] = counts.GetValueOrDefault(i) + 1;
        }
        for (int k = 0; k < indices.Length; k++)
            scales[k] = indices[k] == paddingIdx ? 0 : counts is null ? 1 : 1.0 / counts[indices[k]];
        return scales;
    }

    internal override Tensor?[] Apply(Tensor g)
    {
        var gc = g.Contiguous();
        var r = Tensor.Zeros([numWeights, dim], g.DType);
        var scales = Scales();
        if (g.DType == DType.Float64) Accumulate(gc.AsSpan<double>(), r.AsSpan<double>(), scales);
        else Accumulate(gc.AsSpan<float>(), r.AsSpan<float>(), scales);
        if (sparse) r.MarkRowSparse(PresentRows());
        return [r];
    }

    private void Accumulate<T>(ReadOnlySpan<T> g, Span<T> r, double[] scales) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int k = 0; k < indices.Length; k++)
        {
            if (scales[k] == 0) continue;
            var src = g.Slice(k * dim, dim);
            var dst = r.Slice((int)indices[k] * dim, dim);
            if (scales[k] == 1) System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
            else System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(src, T.CreateChecked(scales[k]), dst, dst);
        }
    }

    // The coalesced indices of PyTorch's sparse gradient: the rows looked up, the padding row left out.
    private long[] PresentRows()
    {
        var set = new SortedSet<long>();
        foreach (var i in indices) if (i != paddingIdx) set.Add(i);
        return [.. set];
    }

    // The same formula in recorded ops: it is linear in the gradient, so its derivative is an embedding again. Under
    // create_graph the result is dense (PyTorch's sparse embedding gradient has no double backward).
    internal override Tensor?[] ApplyRecorded(Tensor g)
    {
        var scales = Scales();
        var keep = new List<long>();
        var kept = new List<long>();
        var keptScales = new List<double>();
        bool scaled = false;
        for (int k = 0; k < indices.Length; k++)
        {
            if (scales[k] == 0) continue;
            keep.Add(k);
            kept.Add(indices[k]);
            keptScales.Add(scales[k]);
            scaled |= scales[k] != 1;
        }
        var rows = g.Reshape(indices.Length, dim);
        if (keep.Count != indices.Length) rows = rows.IndexSelect(0, Tensor.FromArray(keep.ToArray()));
        if (scaled) rows = rows.Mul(Tensor.FromArray(keptScales.ToArray()).To(g.DType).Reshape(keep.Count, 1));
        return [Tensor.IndexAddIntoZeros([numWeights, dim], 0, [.. kept], rows)];
    }
}
