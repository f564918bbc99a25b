using System.Collections;
using Descent.Tensors;

namespace Descent.Data;

/// <summary>
/// A map-style dataset of items of type <typeparamref name="T"/>: a length and an item per index, like
/// <c>torch.utils.data.Dataset</c>. It is an <see cref="IReadOnlyList{T}"/>, which is all a
/// <see cref="DataLoader{T, TBatch}"/> asks of a dataset, so a list or an array serves as one too.
/// </summary>
/// <typeparam name="T">The item: a tensor, a tuple such as <c>(Tensor Image, long Label)</c>, a dictionary, ….</typeparam>
public abstract class Dataset<T> : IReadOnlyList<T>
{
    /// <summary>Number of samples.</summary>
    public abstract int Count { get; }

    /// <summary>The sample at <paramref name="index"/>.</summary>
    public abstract T this[int index] { get; }

    /// <summary>The samples in order.</summary>
    public IEnumerator<T> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// A dataset whose samples are fields of tensors (e.g. input and target), batched field by field: what
/// <see cref="DataLoader"/> iterates.
/// </summary>
public abstract class Dataset : Dataset<Tensor[]>
{
    /// <summary>
    /// The samples at <paramref name="indices"/> stacked into a batch, one tensor per field. The default stacks
    /// single items (<see cref="Collate.Fields"/>, like PyTorch's default_collate); subclasses can gather in one go.
    /// </summary>
    public virtual Tensor[] GetBatch(ReadOnlySpan<long> indices)
    {
        var items = new Tensor[indices.Length][];
        for (int i = 0; i < indices.Length; i++) items[i] = this[(int)indices[i]];
        return Collate.Fields(items);
    }
}
