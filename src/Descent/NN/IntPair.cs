namespace Descent.NN;

/// <summary>
/// A size for the two spatial dimensions (height, width), as PyTorch's 2-D layers take an int or a pair: an
/// <c>int</c> converts to a pair of equal values, a <c>(int, int)</c> tuple to that pair.
/// </summary>
/// <param name="First">Height.</param>
/// <param name="Second">Width.</param>
public readonly record struct IntPair(int First, int Second)
{
    /// <summary>The pair (v, v).</summary>
    public static implicit operator IntPair(int v) => new(v, v);

    /// <summary>The pair of a tuple.</summary>
    public static implicit operator IntPair((int First, int Second) v) => new(v.First, v.Second);

    /// <summary>The pair (v, v); what the implicit conversion from int does.</summary>
    public static IntPair FromInt32(int v) => new(v, v);

    /// <summary>The pair as Python prints the tuple, e.g. <c>(3, 3)</c>.</summary>
    public override string ToString() => $"({First}, {Second})";
}
