using Descent.Tensors;

namespace Descent.Data;

/// <summary>
/// PyTorch's <c>default_collate</c> for each shape of item: the collate functions a
/// <see cref="DataLoader{T, TBatch}"/> takes, which turn the items of one batch into a batch of the same structure.
/// A tensor field is stacked along a new first dimension; a number field becomes a tensor: <c>int</c> and
/// <c>long</c> int64 (Python's int), <c>double</c> float64 (Python's float), <c>float</c> float32 (as numpy's float32
/// does), <c>bool</c> bool.
/// </summary>
/// <example><code>
/// // items (Tensor Image, long Label) → batches (Tensor Images, Tensor Labels)
/// var loader = new DataLoader&lt;(Tensor, long), (Tensor, Tensor)&gt;(dataset, Collate.Tuple, batchSize: 32);
/// foreach (var (images, labels) in loader) { … }
/// </code></example>
public static class Collate
{
    /// <summary>One field: tensors stacked, numbers made a tensor (see <see cref="Collate"/>).</summary>
    /// <exception cref="ArgumentException">No items; items that are neither tensors nor numbers, or not all alike; tensors of different shapes.</exception>
    public static Tensor Stack<TValue>(IReadOnlyList<TValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) throw new ArgumentException("collate: no items to batch");
        return items switch
        {
            IReadOnlyList<Tensor> t => Tensor.Stack(t),
            IReadOnlyList<long> l => Tensor.FromArray(l.ToArray()),
            IReadOnlyList<int> i => Tensor.FromArray(i.Select(v => (long)v).ToArray()),
            IReadOnlyList<double> d => Tensor.FromArray(d.ToArray()),
            IReadOnlyList<float> f => Tensor.FromArray(f.ToArray()),
            IReadOnlyList<bool> b => Tensor.FromArray(b.ToArray()),
            _ => StackObjects(items),
        };
    }

    /// <summary>Items of tensor fields (a <see cref="Dataset"/>'s): one stacked tensor per field.</summary>
    public static Tensor[] Fields(IReadOnlyList<Tensor[]> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        int fields = items.Count == 0 ? 0 : items[0].Length;
        var r = new Tensor[fields];
        for (int f = 0; f < fields; f++) r[f] = Stack(Field(items, x => x[f]));
        return r;
    }

    /// <summary>Pairs: a pair of batched fields.</summary>
    public static (Tensor, Tensor) Tuple<T1, T2>(IReadOnlyList<(T1, T2)> items) =>
        (Stack(Field(items, x => x.Item1)), Stack(Field(items, x => x.Item2)));

    /// <summary>Triples: a triple of batched fields.</summary>
    public static (Tensor, Tensor, Tensor) Tuple<T1, T2, T3>(IReadOnlyList<(T1, T2, T3)> items) =>
        (Stack(Field(items, x => x.Item1)), Stack(Field(items, x => x.Item2)), Stack(Field(items, x => x.Item3)));

    /// <summary>Quadruples: a quadruple of batched fields.</summary>
    public static (Tensor, Tensor, Tensor, Tensor) Tuple<T1, T2, T3, T4>(IReadOnlyList<(T1, T2, T3, T4)> items) =>
        (Stack(Field(items, x => x.Item1)), Stack(Field(items, x => x.Item2)), Stack(Field(items, x => x.Item3)),
            Stack(Field(items, x => x.Item4)));

    /// <summary>
    /// String-keyed dictionaries: a dictionary of batched fields, with the first item's keys in its order (each item
    /// must have them all).
    /// </summary>
    /// <exception cref="KeyNotFoundException">An item lacks one of the first item's keys.</exception>
    public static Dictionary<string, Tensor> Dict<TValue>(IReadOnlyList<IReadOnlyDictionary<string, TValue>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var r = new Dictionary<string, Tensor>();
        if (items.Count == 0) return r;
        foreach (var key in items[0].Keys)
            r[key] = Stack(Field(items, d => d.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"'{key}'")));
        return r;
    }

    private static TField[] Field<TItem, TField>(IReadOnlyList<TItem> items, Func<TItem, TField> select)
    {
        var r = new TField[items.Count];
        for (int i = 0; i < r.Length; i++) r[i] = select(items[i]);
        return r;
    }

    // A field typed object (a dictionary's values): the first item's kind decides, as default_collate's first element does.
    private static Tensor StackObjects<TValue>(IReadOnlyList<TValue> items)
    {
        object? first = items[0];
        T[] All<T>(Func<object, T?> cast) where T : struct => Field(items, v =>
            v is not null && cast(v) is { } x ? x : throw Mixed(first, v));
        return first switch
        {
            Tensor => Tensor.Stack(Field(items, v => v as Tensor ?? throw Mixed(first, v))),
            int or long => Tensor.FromArray(All<long>(v => v switch { int i => i, long l => l, _ => null })),
            double => Tensor.FromArray(All<double>(v => v as double?)),
            float => Tensor.FromArray(All<float>(v => v as float?)),
            bool => Tensor.FromArray(All<bool>(v => v as bool?)),
            _ => throw new ArgumentException(
                $"default_collate: batch must contain tensors, numbers, dicts or tuples; found {first?.GetType().Name ?? "None"}"),
        };
    }

    private static ArgumentException Mixed(object? first, object? other) =>
        new($"collate: a batch mixes {first?.GetType().Name ?? "None"} and {other?.GetType().Name ?? "None"} in one field");
}
