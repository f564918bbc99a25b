namespace Descent.Tensors;

/// <summary>
/// One entry of a multi-dimensional index, <c>x[i, 1..3, TensorIndex.Ellipsis, mask]</c>, like an element of Python's
/// index tuple: an integer (a C# <see cref="System.Index"/> too, so <c>^1</c> is the last), a range, an ellipsis, a new
/// axis (<c>None</c>), or a tensor (bool mask or int64 indices).
/// </summary>
public readonly struct TensorIndex : IEquatable<TensorIndex>
{
    internal enum Kind { Int, Range, Ellipsis, NewAxis, Tensor }

    internal Kind What { get; }
    internal System.Index At { get; }
    internal System.Range Span { get; }
    internal Tensor? Indices { get; }

    private TensorIndex(Kind what, System.Index at = default, System.Range span = default, Tensor? indices = null)
    {
        What = what;
        At = at;
        Span = span;
        Indices = indices;
    }

    /// <summary>Python's <c>...</c>: as many full slices as the other entries leave dimensions.</summary>
    public static TensorIndex Ellipsis { get; } = new(Kind.Ellipsis);

    /// <summary>Python's <c>None</c> (<c>np.newaxis</c>): inserts a dimension of size 1.</summary>
    public static TensorIndex NewAxis { get; } = new(Kind.NewAxis);

    /// <summary>An integer index (negative counts from the end).</summary>
    public static implicit operator TensorIndex(int index) => new(Kind.Int, index < 0 ? System.Index.FromEnd(-index) : index);

    /// <summary>An index that may count from the end (<c>^1</c>).</summary>
    public static implicit operator TensorIndex(System.Index index) => new(Kind.Int, index);

    /// <summary>A slice, <c>a..b</c>; bounds past either end clamp as Python's do.</summary>
    public static implicit operator TensorIndex(System.Range range) => new(Kind.Range, span: range);

    /// <summary>A bool mask or an int64 index tensor.</summary>
    public static implicit operator TensorIndex(Tensor indices) => new(Kind.Tensor, indices: indices);

    /// <summary>An integer index, for languages without implicit conversions.</summary>
    public static TensorIndex FromInt32(int index) => index;

    /// <inheritdoc/>
    public bool Equals(TensorIndex other) =>
        What == other.What && At.Equals(other.At) && Span.Equals(other.Span) && ReferenceEquals(Indices, other.Indices);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TensorIndex t && Equals(t);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(What, At, Span, Indices);

    /// <summary>Equality of index entries.</summary>
    public static bool operator ==(TensorIndex left, TensorIndex right) => left.Equals(right);

    /// <summary>Inequality of index entries.</summary>
    public static bool operator !=(TensorIndex left, TensorIndex right) => !left.Equals(right);
}
