using Descent.Tensors;

namespace Descent.Data;

/// <summary>A map-style dataset: a length and an item per index, like <c>torch.utils.data.Dataset</c>.</summary>
public abstract class Dataset
{
    /// <summary>Number of samples.</summary>
    public abstract int Count { get; }

    /// <summary>The sample at <paramref name="index"/>: one tensor per field (e.g. input and target).</summary>
    public abstract Tensor[] this[int index] { get; }

    /// <summary>
    /// The samples at <paramref name="indices"/> stacked into a batch, one tensor per field. The default stacks
    /// single items, like PyTorch's default_collate; subclasses can gather in one go.
    /// </summary>
    public virtual Tensor[] GetBatch(ReadOnlySpan<long> indices)
    {
        var items = new Tensor[indices.Length][];
        for (int i = 0; i < indices.Length; i++) items[i] = this[(int)indices[i]];
        int fields = items.Length == 0 ? 0 : items[0].Length;
        var r = new Tensor[fields];
        for (int f = 0; f < fields; f++)
        {
            var parts = new Tensor[items.Length];
            for (int i = 0; i < items.Length; i++) parts[i] = items[i][f];
            r[f] = Tensor.Stack(parts);
        }
        return r;
    }
}

/// <summary>Samples are the rows of several tensors of equal first dimension, like <c>TensorDataset</c>.</summary>
public sealed class TensorDataset : Dataset
{
    private readonly Tensor[] tensors;

    /// <summary>Wraps tensors that share their first dimension.</summary>
    /// <exception cref="ArgumentException">No tensors, a 0-d tensor, or first dimensions that differ (PyTorch's texts).</exception>
    public TensorDataset(params Tensor[] tensors)
    {
        if (tensors.Length == 0) throw new ArgumentException("TensorDataset needs at least one tensor");
        foreach (var t in tensors)
            if (t.Dim == 0) throw new ArgumentException("Dimension specified as 0 but tensor has no dimensions");
        foreach (var t in tensors)
            if (t.Size(0) != tensors[0].Size(0)) throw new ArgumentException("Size mismatch between tensors");
        this.tensors = tensors;
    }

    /// <summary>The wrapped tensors.</summary>
    public IReadOnlyList<Tensor> Tensors => tensors;

    /// <inheritdoc/>
    public override int Count => tensors[0].Size(0);

    /// <inheritdoc/>
    public override Tensor[] this[int index]
    {
        get
        {
            var r = new Tensor[tensors.Length];
            for (int i = 0; i < r.Length; i++) r[i] = tensors[i][index];
            return r;
        }
    }

    /// <inheritdoc/>
    public override Tensor[] GetBatch(ReadOnlySpan<long> indices)
    {
        var idx = Tensor.FromArray(indices.ToArray());
        var r = new Tensor[tensors.Length];
        for (int i = 0; i < r.Length; i++) r[i] = tensors[i].IndexSelect(0, idx);
        return r;
    }
}
