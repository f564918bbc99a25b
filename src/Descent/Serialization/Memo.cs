namespace Descent.Serialization;

/// <summary>
/// The unpickler's memo. Python's pickler numbers memo entries 0, 1, 2, … in order, so those live in a list
/// (a slot each, as in CPython's unpickler); any other key goes to a dictionary.
/// </summary>
internal sealed class Memo
{
    private readonly List<object?> dense = [];
    private Dictionary<long, object?>? sparse;

    /// <summary>Number of keys stored.</summary>
    public int Count => dense.Count + (sparse?.Count ?? 0);

    public bool Contains(long key) => key < dense.Count || (sparse?.ContainsKey(key) ?? false);

    public bool TryGet(long key, out object? value)
    {
        if (key >= 0 && key < dense.Count)
        {
            value = dense[(int)key];
            return true;
        }
        value = null;
        return sparse is not null && sparse.TryGetValue(key, out value);
    }

    public void Set(long key, object? value)
    {
        if (key < dense.Count) dense[(int)key] = value;
        else if (key == dense.Count && (sparse is null || !sparse.ContainsKey(key))) dense.Add(value);
        else (sparse ??= [])[key] = value;
    }
}
