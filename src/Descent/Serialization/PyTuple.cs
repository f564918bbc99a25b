using System.Collections;

namespace Descent.Serialization;

/// <summary>
/// A Python tuple read from or written to a pickle. Distinct from a list (<see cref="List{T}"/> of object) so a
/// round trip keeps PyTorch's types: optimizer <c>betas</c> are tuples, <c>params</c> are lists. Compares by
/// value, so tuples can be dictionary keys as in Python.
/// </summary>
public sealed class PyTuple : IReadOnlyList<object?>, IEquatable<PyTuple>
{
    private readonly object?[] items;

    /// <summary>A tuple of <paramref name="items"/> (copied).</summary>
    public PyTuple(params object?[] items) => this.items = (object?[])items.Clone();

    private PyTuple(object?[] items, bool noCopy) => this.items = items;

    internal static PyTuple Wrap(object?[] items) => new(items, noCopy: true);

    /// <summary>The empty tuple.</summary>
    public static PyTuple Empty { get; } = Wrap([]);

    /// <inheritdoc/>
    public object? this[int index] => items[index];

    /// <inheritdoc/>
    public int Count => items.Length;

    /// <inheritdoc/>
    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(PyTuple? other)
    {
        if (other is null || other.items.Length != items.Length) return false;
        for (int i = 0; i < items.Length; i++)
            if (!PyKeyComparer.Instance.Equals(items[i], other.items[i])) return false;
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PyTuple);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var v in items) h.Add(PyKeyComparer.Instance.GetHashCode(v!));
        return h.ToHashCode();
    }

    /// <summary>Python's repr-like form, for messages.</summary>
    public override string ToString() =>
        "(" + string.Join(", ", Array.ConvertAll(items, PyRepr.Of)) + (items.Length == 1 ? ",)" : ")");
}
