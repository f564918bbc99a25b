using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Descent.Text;

/// <summary>
/// The library's one Python formatter: the text Python prints for numbers and values, so that reprs and messages
/// match PyTorch's. <see cref="Float"/> is <c>repr(float)</c>; <see cref="Fixed"/> and <see cref="Scientific"/>
/// are the format specs <c>"{:.Nf}"</c> and <c>"{:.Ne}"</c> tensor printing uses; <see cref="Of"/> and
/// <see cref="Str"/> are <c>repr</c> and <c>str</c> of the values options and messages hold (None, True, 0.001,
/// 'text', (0.9, 0.999), [1, 2], {'a': 1}), bounded for hostile data: nested tuples, lists and dicts are shown
/// <see cref="MaxDepth"/> levels deep, long ones by their length, and the text is cut at <see cref="MaxLength"/>
/// characters. <see cref="Repr"/> and <see cref="Display"/> are the same, whole: what printing an object the program
/// made itself (an optimizer, its state dict) shows.
/// </summary>
internal static class PyRepr
{
    /// <summary>Levels of nested tuples and lists shown; deeper ones print as <c>(...)</c> / <c>[...]</c>.</summary>
    public const int MaxDepth = 4;

    /// <summary>The longest text <see cref="Of"/> returns, before its closing ellipsis.</summary>
    public const int MaxLength = 200;

    private const int MaxItems = 8;      // a longer tuple or list prints as "tuple of N" / "list of N"
    private const int MaxString = 60;    // a longer string is cut, with an ellipsis
    private const int MaxIntBytes = 32;  // a longer int prints as "int of N bytes"

    /// <summary><c>True</c> / <c>False</c>.</summary>
    public static string Bool(bool b) => b ? "True" : "False";

    /// <summary>An optional int: the number or <c>None</c>.</summary>
    public static string Int(int? v) => v is null ? "None" : v.Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>repr(float)</c>: the shortest digits that read back as <paramref name="v"/>, in fixed notation with at
    /// least one decimal (<c>1.0</c>, <c>0.0001</c>, <c>1e+16</c>'s neighbour <c>9999999999999998.0</c>) when the
    /// decimal exponent is from -4 to 15, else in scientific notation with a two-digit exponent at least
    /// (<c>1e-05</c>, <c>1e+16</c>, <c>1.5e+300</c>); <c>inf</c>, <c>-inf</c>, <c>nan</c>, and <c>-0.0</c>.
    /// </summary>
    public static string Float(double v)
    {
        if (NonFinite(v) is { } s) return s;
        if (v == 0) return double.IsNegative(v) ? "-0.0" : "0.0";
        var (digits, exp) = Shortest(Math.Abs(v));
        string sign = v < 0 ? "-" : "";
        // The value is 0.d₁d₂… × 10^(exp+1): exp is the exponent of the first digit, as "{:e}" writes it.
        if (exp < -4 || exp >= 16) return sign + Mantissa(digits) + Exponent(exp);
        if (exp < 0) return sign + "0." + new string('0', -exp - 1) + digits;
        if (exp + 1 >= digits.Length) return sign + digits + new string('0', exp + 1 - digits.Length) + ".0";
        return sign + digits[..(exp + 1)] + "." + digits[(exp + 1)..];
    }

    /// <summary>
    /// A number whose PyTorch default is an int (Softplus's beta=1, an epoch): whole values below 10^15 print as ints,
    /// others as <see cref="Float"/>.
    /// </summary>
    public static string Number(double v) =>
        double.IsFinite(v) && v == Math.Floor(v) && Math.Abs(v) < 1e15
            ? ((long)v).ToString(CultureInfo.InvariantCulture)
            : Float(v);

    /// <summary>
    /// <c>"{:.{precision}f}".format(v)</c>, digit for digit: the exact binary value rounded to
    /// <paramref name="precision"/> decimals, ties to even (<c>"{:.2f}".format(0.125) == "0.12"</c>; .NET's "F2"
    /// rounds ties away from zero); nan, inf, -inf, and a sign on negative zero.
    /// </summary>
    public static string Fixed(double v, int precision)
    {
        if (NonFinite(v) is { } s) return s;
        var (num, den) = Exact(Math.Abs(v));
        num *= BigInteger.Pow(10, precision);
        var digits = RoundHalfEven(num, den).ToString(CultureInfo.InvariantCulture);
        if (digits.Length <= precision) digits = new string('0', precision - digits.Length + 1) + digits;
        var sb = new StringBuilder();
        if (double.IsNegative(v)) sb.Append('-');
        sb.Append(digits, 0, digits.Length - precision);
        if (precision > 0) sb.Append('.').Append(digits, digits.Length - precision, precision);
        return sb.ToString();
    }

    /// <summary>
    /// <c>"{:.{precision}e}".format(v)</c>, digit for digit: one digit, <paramref name="precision"/> decimals rounded
    /// exactly, ties to even, and an exponent of at least two digits.
    /// </summary>
    public static string Scientific(double v, int precision)
    {
        if (NonFinite(v) is { } s) return s;
        var sign = double.IsNegative(v) ? "-" : "";
        double a = Math.Abs(v);
        if (a == 0) return sign + "0" + (precision > 0 ? "." + new string('0', precision) : "") + Exponent(0);
        var (num, den) = Exact(a);
        // Find the exponent E with 10^E ≤ a < 10^(E+1), starting from log10 and correcting exactly.
        int e10 = (int)Math.Floor(Math.Log10(a));
        var low = BigInteger.Pow(10, precision);
        var high = low * 10;
        BigInteger Scaled(int e, bool round)
        {
            BigInteger n = num, d = den;
            int k = precision - e;
            if (k >= 0) n *= BigInteger.Pow(10, k);
            else d *= BigInteger.Pow(10, -k);
            return round ? RoundHalfEven(n, d) : BigInteger.Divide(n, d);
        }
        while (Scaled(e10, false) < low) e10--;
        while (Scaled(e10, false) >= high) e10++;
        var digits = Scaled(e10, true);
        if (digits >= high)
        {
            // Rounding carried into a new digit (9.99995 → 10.0000): renormalise.
            e10++;
            digits /= 10;
        }
        var ds = digits.ToString(CultureInfo.InvariantCulture);
        return sign + ds[0] + (precision > 0 ? "." + ds[1..(precision + 1)] : "") + Exponent(e10);
    }

    /// <summary>
    /// <c>repr(v)</c>, bounded: None, True/False, ints, floats as <see cref="Float"/>, strings quoted (long ones
    /// cut), tuples (<see cref="ITuple"/>: value tuples, pickled tuples) as <c>(a, b)</c> and <c>(a,)</c>, lists and
    /// arrays as <c>[a, b]</c>, long bytes and ints by their size. <paramref name="describe"/> may give the text of
    /// other values (a tensor's shape and dtype), returning null for those it leaves to this method; what neither
    /// knows prints as its type name.
    /// </summary>
    public static string Of(object? v, Func<object, string?>? describe = null)
    {
        var sb = new StringBuilder();
        Append(sb, v, 0, describe, Limits.Bounded);
        return sb.Length > MaxLength ? sb.ToString(0, MaxLength) + "…" : sb.ToString();
    }

    /// <summary><c>str(v)</c>: a string as it is, anything else as <see cref="Of"/>.</summary>
    public static string Str(object? v) => v as string ?? Of(v);

    /// <summary>
    /// <c>repr(v)</c> whole, as <see cref="Of"/> without its bounds: every item, every digit, every character. For
    /// values the program made (what <c>print</c> shows), not for data read from outside.
    /// </summary>
    public static string Repr(object? v, Func<object, string?>? describe = null)
    {
        var sb = new StringBuilder();
        Append(sb, v, 0, describe, Limits.Whole);
        return sb.ToString();
    }

    /// <summary><c>str(v)</c> whole: a string as it is, anything else as <see cref="Repr"/>.</summary>
    public static string Display(object? v, Func<object, string?>? describe = null) => v as string ?? Repr(v, describe);

    private static void Append(StringBuilder sb, object? v, int depth, Func<object, string?>? describe, Limits limits)
    {
        if (sb.Length > limits.Length) return;
        if (v is not null and not string && describe?.Invoke(v) is { } described)
        {
            sb.Append(described);
            return;
        }
        switch (v)
        {
            case ITuple t:
                Items(sb, t.Length, i => t[i], "(", t.Length == 1 ? ",)" : ")", "tuple", depth, describe, limits);
                return;
            case IDictionary dict: // before IList: an ordered dictionary is both
                Entries(sb, dict, depth, describe, limits);
                return;
            case IList list when v is not byte[]:
                Items(sb, list.Count, i => list[i], "[", "]", "list", depth, describe, limits);
                return;
            default:
                sb.Append(Scalar(v, limits));
                return;
        }
    }

    private static void Items(StringBuilder sb, int count, Func<int, object?> item, string open, string close, string kind, int depth,
        Func<object, string?>? describe, Limits limits)
    {
        if (count > limits.Items)
        {
            sb.Append(kind).Append(" of ").Append(count);
            return;
        }
        if (depth >= limits.Depth)
        {
            sb.Append(open).Append("...").Append(close[^1]);
            return;
        }
        sb.Append(open);
        for (int i = 0; i < count && sb.Length <= limits.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            Append(sb, item(i), depth + 1, describe, limits);
        }
        sb.Append(close);
    }

    // A dict as Python writes it, {key: value, ...}, in the dictionary's own order.
    private static void Entries(StringBuilder sb, IDictionary dict, int depth, Func<object, string?>? describe, Limits limits)
    {
        if (dict.Count > limits.Items)
        {
            sb.Append("dict of ").Append(dict.Count);
            return;
        }
        if (depth >= limits.Depth)
        {
            sb.Append("{...}");
            return;
        }
        sb.Append('{');
        bool first = true;
        var e = dict.GetEnumerator();
        while (e.MoveNext() && sb.Length <= limits.Length)
        {
            if (!first) sb.Append(", ");
            first = false;
            Append(sb, e.Key, depth + 1, describe, limits);
            sb.Append(": ");
            Append(sb, e.Value, depth + 1, describe, limits);
        }
        sb.Append('}');
    }

    private static string Scalar(object? v, Limits limits) => v switch
    {
        null => "None",
        bool b => Bool(b),
        string s => "'" + (s.Length > limits.String ? s[..limits.String] + "…" : s) + "'",
        double d => Float(d),
        float f => Float(f),
        byte[] b => $"bytes of {b.Length}",
        BigInteger big => big.GetByteCount() > limits.IntBytes ? $"int of {big.GetByteCount()} bytes" : big.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.GetType().Name,
    };

    // How much of a value is shown: the bounds of Of, or none (Repr).
    private readonly record struct Limits(int Depth, int Items, int String, int IntBytes, int Length)
    {
        public static readonly Limits Bounded = new(MaxDepth, MaxItems, MaxString, MaxIntBytes, MaxLength);
        public static readonly Limits Whole = new(int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue);
    }

    private static string? NonFinite(double v) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : null;

    /// <summary>"e+05", "e-07", "e+300": Python's exponent, at least two digits.</summary>
    private static string Exponent(int e) => "e" + (e < 0 ? "-" : "+") + Math.Abs(e).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>d₁.d₂d₃… from the digits, or d₁ alone.</summary>
    private static string Mantissa(string digits) => digits.Length > 1 ? digits[..1] + "." + digits[1..] : digits;

    /// <summary>
    /// The shortest digits that round-trip (no leading or trailing zeros) and the decimal exponent of the first:
    /// .NET's "R" (shortest round-trip since .NET Core 3.0, as Python's repr), re-read as digits and exponent.
    /// </summary>
    private static (string Digits, int Exponent) Shortest(double a)
    {
        string r = a.ToString("R", CultureInfo.InvariantCulture);
        int exp = 0, e = r.IndexOf('E');
        if (e >= 0)
        {
            exp = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
            r = r[..e];
        }
        int dot = r.IndexOf('.');
        string intPart = dot < 0 ? r : r[..dot];
        string all = intPart + (dot < 0 ? "" : r[(dot + 1)..]);
        string digits = all.TrimStart('0');
        // value = 0.<digits> × 10^point, so the first digit's exponent is point − 1.
        int point = intPart.Length + exp - (all.Length - digits.Length);
        return (digits.TrimEnd('0'), point - 1);
    }

    /// <summary>A finite non-negative double as the exact fraction num/den.</summary>
    private static (BigInteger Num, BigInteger Den) Exact(double a)
    {
        long bits = BitConverter.DoubleToInt64Bits(a);
        int exp = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exp == 0) exp = 1; // subnormal
        else mantissa |= 1L << 52;
        int e2 = exp - 1075;
        return e2 >= 0 ? (new BigInteger(mantissa) << e2, BigInteger.One) : (new BigInteger(mantissa), BigInteger.One << -e2);
    }

    private static BigInteger RoundHalfEven(BigInteger num, BigInteger den)
    {
        var q = BigInteger.DivRem(num, den, out var r);
        var twice = r * 2;
        if (twice > den || (twice == den && !q.IsEven)) q += 1;
        return q;
    }
}
