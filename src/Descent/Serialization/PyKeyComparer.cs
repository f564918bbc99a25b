using System.Numerics;

namespace Descent.Serialization;

/// <summary>
/// Equality for dictionary keys the way Python compares them where it matters for checkpoints: integers of any
/// CLR width (and bools) are equal by value, strings by ordinal value, tuples element-wise; anything else by
/// reference (Python's default identity hash for objects).
/// </summary>
internal sealed class PyKeyComparer : IEqualityComparer<object>
{
    public static readonly PyKeyComparer Instance = new();

    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null) return false;
        if (TryInteger(x, out var a) && TryInteger(y, out var b)) return a == b;
        if (x is double dx && y is double dy) return dx.Equals(dy);
        if (x is string sx && y is string sy) return string.Equals(sx, sy, StringComparison.Ordinal);
        if (x is PyTuple tx && y is PyTuple ty) return tx.Equals(ty);
        if (x is byte[] bx && y is byte[] by) return bx.AsSpan().SequenceEqual(by);
        return false;
    }

    public int GetHashCode(object obj) => obj switch
    {
        null => 0,
        string s => StringComparer.Ordinal.GetHashCode(s),
        PyTuple t => t.GetHashCode(),
        double d => d.GetHashCode(),
        byte[] b => b.Length,
        _ when TryInteger(obj, out var v) => v.GetHashCode(),
        _ => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj),
    };

    internal static bool TryInteger(object o, out BigInteger value)
    {
        switch (o)
        {
            case long l: value = l; return true;
            case int i: value = i; return true;
            case bool b: value = b ? 1 : 0; return true;
            case BigInteger big: value = big; return true;
            case short s: value = s; return true;
            case byte u8: value = u8; return true;
            case ulong ul: value = ul; return true;
            case uint ui: value = ui; return true;
            default: value = default; return false;
        }
    }
}
