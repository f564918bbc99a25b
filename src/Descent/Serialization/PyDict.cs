using System.Collections;

namespace Descent.Serialization;

/// <summary>
/// A Python <c>dict</c> or <c>collections.OrderedDict</c> read from or written to a pickle, in insertion order.
/// Keys are compared as Python would for strings, integers and tuples. <see cref="Attributes"/> holds instance
/// attributes set by the pickle's BUILD opcode, such as the <c>_metadata</c> PyTorch attaches to a module's
/// state dict.
/// </summary>
public sealed class PyDict : IEnumerable<KeyValuePair<object, object?>>
{
    // Made on the first insert: a pickle can hold many empty dicts, each one byte of input.
    private List<KeyValuePair<object, object?>>? entries;
    private Dictionary<object, int>? index;

    /// <summary>An empty dict; <paramref name="ordered"/> makes it a <c>collections.OrderedDict</c>.</summary>
    public PyDict(bool ordered = false) => IsOrderedDict = ordered;

    /// <summary>Whether this is a <c>collections.OrderedDict</c> rather than a plain <c>dict</c>.</summary>
    public bool IsOrderedDict { get; set; }

    /// <summary>Instance attributes (a BUILD state dict), e.g. <c>_metadata</c>; null when there are none.</summary>
    public PyDict? Attributes { get; set; }

    /// <summary>Number of entries.</summary>
    public int Count => entries?.Count ?? 0;

    /// <summary>Gets or sets a value; setting an existing key keeps its position, as in Python.</summary>
    public object? this[object key]
    {
        get => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"key {PickleRepr.Of(key)} not found");
        set
        {
            ArgumentNullException.ThrowIfNull(key);
            index ??= new(PyKeyComparer.Instance);
            entries ??= [];
            if (index.TryGetValue(key, out int i)) entries[i] = new(entries[i].Key, value);
            else
            {
                index[key] = entries.Count;
                entries.Add(new(key, value));
            }
        }
    }

    /// <summary>Looks a key up.</summary>
    public bool TryGetValue(object key, out object? value)
    {
        if (index is not null && index.TryGetValue(key, out int i))
        {
            value = entries![i].Value;
            return true;
        }
        value = null;
        return false;
    }

    /// <summary>Whether the key is present.</summary>
    public bool ContainsKey(object key) => index is not null && index.ContainsKey(key);

    /// <summary>The keys, in order.</summary>
    public IEnumerable<object> Keys
    {
        get
        {
            if (entries is null) yield break;
            foreach (var e in entries) yield return e.Key;
        }
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<object, object?>> GetEnumerator() =>
        (entries ?? (IEnumerable<KeyValuePair<object, object?>>)[]).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Python's repr-like form, for messages.</summary>
    public override string ToString() => PickleRepr.Of(this);
}
