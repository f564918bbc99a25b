namespace Descent.NN;

/// <summary>
/// A convolution's padding as PyTorch takes it: an int, a (height, width) pair, or the string <c>"valid"</c> (no
/// padding) or <c>"same"</c> (the output as large as the input; stride 1 only). Converts implicitly from each.
/// </summary>
public readonly record struct ConvPadding
{
    private ConvPadding(IntPair size, string? mode)
    {
        Size = size;
        Mode = mode;
    }

    /// <summary>The explicit padding; (0, 0) for a string mode.</summary>
    public IntPair Size { get; }

    /// <summary><c>"same"</c> or <c>"valid"</c>, or null for an explicit size.</summary>
    public string? Mode { get; }

    /// <summary>Padding v on both sides of each dimension.</summary>
    public static implicit operator ConvPadding(int v) => new(v, null);

    /// <summary>Padding (height, width).</summary>
    public static implicit operator ConvPadding((int First, int Second) v) => new(v, null);

    /// <summary>Padding of a pair.</summary>
    public static implicit operator ConvPadding(IntPair v) => new(v, null);

    /// <summary><c>"same"</c> or <c>"valid"</c> (checked where the padding is used, with PyTorch's message).</summary>
    public static implicit operator ConvPadding(string mode) => new(0, mode);

    /// <summary>The padding of a pair; what the implicit conversion does.</summary>
    public static ConvPadding FromIntPair(IntPair v) => v;

    /// <summary>A padding mode; what the implicit conversion from string does.</summary>
    public static ConvPadding FromString(string mode) => mode;

    /// <summary>As PyTorch prints it: <c>same</c>, or the tuple.</summary>
    public override string ToString() => Mode ?? Size.ToString();
}
