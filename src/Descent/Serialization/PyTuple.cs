using System.Collections;

namespace Descent.Serialization;

/// <summary>
/// A Python tuple read from or written to a pickle. Distinct from a list (<see cref="List{T}"/> of object) so a
/// round trip keeps PyTorch's types: optimizer <c>betas</c> are tuples, <c>params</c> are lists. Compares by
/// value, so tuples can be dictionary keys as in Python.
/// </summary>
/// <remarks>
/// Hashing and equality walk nested tuples with an explicit stack, never by recursion, so a tuple nested
/// arbitrarily deep cannot overflow the call stack; the hash is computed once and cached, as Python caches a
/// string's.
/// </remarks>
public sealed class PyTuple : IReadOnlyList<object?>, IEquatable<PyTuple>, System.Runtime.CompilerServices.ITuple
{
    private readonly object?[] items;
    private int hash;
    private volatile bool hashed;

    /// <summary>A tuple of <paramref name="items"/> (copied).</summary>
    public PyTuple(params object?[] items) : this((object?[])items.Clone(), noCopy: true) { }

    private PyTuple(object?[] items, bool noCopy)
    {
        _ = noCopy;
        this.items = items;
        long weight = 1;
        foreach (var v in items) weight = SaturatingAdd(weight, WeightOf(v));
        Weight = weight;
    }

    internal static PyTuple Wrap(object?[] items) => new(items, noCopy: true);

    /// <summary>The empty tuple.</summary>
    public static PyTuple Empty { get; } = Wrap([]);

    /// <summary>
    /// An upper bound on the work of hashing or comparing this tuple as a key: one per tuple and element, plus
    /// the length of every string and bytes value, counted again for each time a shared element appears
    /// (saturating). The unpickler charges it against its work budget each time the tuple is used as a key.
    /// </summary>
    internal long Weight { get; }

    /// <summary>The same bound for any key value: its length for strings and bytes, a tuple's weight, 1 otherwise.</summary>
    internal static long WeightOf(object? v) => v switch
    {
        string s => 1 + s.Length,
        byte[] b => 1 + b.Length,
        PyTuple t => t.Weight,
        _ => 1,
    };

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    /// <inheritdoc/>
    public object? this[int index] => items[index];

    /// <inheritdoc/>
    public int Count => items.Length;

    int System.Runtime.CompilerServices.ITuple.Length => items.Length;

    /// <inheritdoc/>
    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(PyTuple? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        Stack<(PyTuple, PyTuple)>? pending = null;
        var (a, b) = (this, other);
        while (true)
        {
            if (a.items.Length != b.items.Length) return false;
            if (a.hashed && b.hashed && a.hash != b.hash) return false;
            for (int i = 0; i < a.items.Length; i++)
            {
                object? x = a.items[i], y = b.items[i];
                if (ReferenceEquals(x, y)) continue;
                if (x is PyTuple tx && y is PyTuple ty) (pending ??= new()).Push((tx, ty));
                else if (!PyKeyComparer.Instance.Equals(x, y)) return false;
            }
            if (pending is null || pending.Count == 0) return true;
            (a, b) = pending.Pop();
        }
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PyTuple);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        if (hashed) return hash;
        // Post-order over the tuples not yet hashed: a frame resumes at the child after the one it descended into.
        var frames = new Stack<(PyTuple Tuple, int Next)>();
        frames.Push((this, 0));
        while (frames.Count > 0)
        {
            var (t, next) = frames.Pop();
            while (next < t.items.Length && (t.items[next] is not PyTuple child || child.hashed)) next++;
            if (next < t.items.Length)
            {
                frames.Push((t, next + 1));
                frames.Push(((PyTuple)t.items[next]!, 0));
                continue;
            }
            var h = new HashCode();
            foreach (var v in t.items) h.Add(v is PyTuple c ? c.hash : v is null ? 0 : PyKeyComparer.Instance.GetHashCode(v));
            t.hash = h.ToHashCode();
            t.hashed = true;
        }
        return hash;
    }

    /// <summary>Python's repr-like form, for messages (bounded in depth and length).</summary>
    public override string ToString() => PickleRepr.Of(this);
}
