using System.Globalization;
using System.Numerics;

namespace Descent.Tests.Text;

/// <summary>
/// A finite double's exact decimal value, <see cref="Digits"/> × 10^−<see cref="Scale"/>, with Python's format specs
/// <c>"{:.Nf}"</c> and <c>"{:.Ne}"</c> written from it by their definitions (round half to even on the exact value):
/// the oracle for <c>PyRepr.Fixed</c> and <c>PyRepr.Scientific</c>. m·2^e is m·5^−e / 10^−e exactly, so the digits
/// come without division.
/// </summary>
internal readonly record struct ExactDecimal(BigInteger Digits, int Scale, bool Negative)
{
    public static ExactDecimal Of(double v)
    {
        long bits = BitConverter.DoubleToInt64Bits(v);
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xF_FFFF_FFFF_FFFF;
        if (exponent == 0) exponent = 1; // subnormal
        else mantissa |= 1L << 52;
        int e2 = exponent - 1075;
        return e2 >= 0
            ? new(new BigInteger(mantissa) << e2, 0, double.IsNegative(v))
            : new(mantissa * BigInteger.Pow(5, -e2), -e2, double.IsNegative(v));
    }

    /// <summary><c>"{:.{decimals}f}".format(v)</c>.</summary>
    public string Fixed(int decimals)
    {
        var s = RoundToScale(decimals).ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        return (Negative ? "-" : "") + s[..^decimals] + (decimals > 0 ? "." + s[^decimals..] : "");
    }

    /// <summary><c>"{:.{decimals}e}".format(v)</c>.</summary>
    public string Scientific(int decimals)
    {
        string sign = Negative ? "-" : "";
        if (Digits.IsZero) return sign + "0" + (decimals > 0 ? "." + new string('0', decimals) : "") + "e+00";
        // The first digit's exponent; keep decimals + 1 significant digits, then renormalise a carry (9.99… → 10.0…).
        int exponent = Digits.ToString(CultureInfo.InvariantCulture).Length - 1 - Scale;
        var s = RoundToScale(decimals - exponent).ToString(CultureInfo.InvariantCulture);
        if (s.Length > decimals + 1)
        {
            exponent++;
            s = s[..(decimals + 1)];
        }
        return sign + s[0] + (decimals > 0 ? "." + s[1..] : "") + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>The value in units of 10^−<paramref name="scale"/>, rounded half to even.</summary>
    private BigInteger RoundToScale(int scale)
    {
        if (scale >= Scale) return Digits * BigInteger.Pow(10, scale - Scale);
        var unit = BigInteger.Pow(10, Scale - scale);
        var q = BigInteger.DivRem(Digits, unit, out var r);
        int half = (2 * r).CompareTo(unit);
        return half > 0 || (half == 0 && !q.IsEven) ? q + 1 : q;
    }
}
