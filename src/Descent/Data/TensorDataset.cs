using Descent.Tensors;

namespace Descent.Data;

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
