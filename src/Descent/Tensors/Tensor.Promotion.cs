namespace Descent.Tensors;

// PyTorch's type promotion (c10/core/ScalarType.h, ATen's ResultTypeState): the dtype a binary op computes in.
public sealed partial class Tensor
{
    // A C# number passed to an op, held as a 0-dim tensor as PyTorch wraps Python numbers: it takes part in
    // promotion only across categories (bool < integral < floating), and a float one stands for the default dtype.
    internal bool isWrappedNumber;

    // Process-wide, as torch.set_default_dtype is; only floating types are allowed.
    private static volatile int defaultDType = (int)DType.Float32;

    /// <summary>The dtype of factories given no dtype and of floats promoted from integers (<c>torch.get_default_dtype</c>).</summary>
    internal static DType DefaultDType
    {
        get => (DType)defaultDType;
        set => defaultDType = (int)value;
    }

    /// <summary>A C# double as an op's operand: a wrapped float64 number.</summary>
    internal static Tensor Wrap(double v) => new(new Storage<double>([v]), 0, [], []) { isWrappedNumber = true };

    /// <summary>A C# integer as an op's operand: a wrapped int64 number.</summary>
    internal static Tensor Wrap(long v) => new(new Storage<long>([v]), 0, [], []) { isWrappedNumber = true };

    /// <summary>A C# bool as an op's operand: a wrapped bool number.</summary>
    internal static Tensor Wrap(bool v) => new(new Storage<bool>([v]), 0, [], []) { isWrappedNumber = true };

    /// <summary>The dtype <paramref name="a"/> op <paramref name="b"/> computes in, like <c>torch.result_type</c>.</summary>
    internal static DType ResultType(Tensor a, Tensor b)
    {
        DType? dim = null, zero = null, wrapped = null;
        Update(a, ref dim, ref zero, ref wrapped);
        Update(b, ref dim, ref zero, ref wrapped);
        return CombineCategories(dim, CombineCategories(zero, wrapped)) ?? DefaultDType;
    }

    private static void Update(Tensor t, ref DType? dim, ref DType? zero, ref DType? wrapped)
    {
        var current = t.DType;
        if (t.isWrappedNumber)
        {
            if (current.IsFloatingPoint()) current = DefaultDType;
            wrapped = PromoteSkipNull(wrapped, current);
        }
        else if (t.shape.Length == 0) zero = PromoteSkipNull(zero, current);
        else dim = PromoteSkipNull(dim, current);
    }

    private static DType PromoteSkipNull(DType? a, DType b) => a is { } x ? DTypeExtensions.Promote(x, b) : b;

    // c10's combine_categories: the higher-priority group wins unless the lower one is of a higher category.
    private static DType? CombineCategories(DType? higher, DType? lower)
    {
        if (higher is not { } h) return lower;
        if (h.IsFloatingPoint()) return h;
        if (lower is { } l && (h == DType.Bool || l.IsFloatingPoint())) return DTypeExtensions.Promote(h, l);
        return h;
    }

    /// <summary>Whether a value of <paramref name="from"/> may be written to <paramref name="to"/> (c10's <c>canCast</c>).</summary>
    internal static bool CanCast(DType from, DType to) =>
        !(from.IsFloatingPoint() && !to.IsFloatingPoint()) && !(from != DType.Bool && to == DType.Bool);

    /// <summary>The dtype true division computes in: integers and bools divide in the default dtype.</summary>
    internal static DType TrueDivideType(Tensor a, Tensor b)
    {
        var t = ResultType(a, b);
        return t.IsFloatingPoint() ? t : DefaultDType;
    }
}
