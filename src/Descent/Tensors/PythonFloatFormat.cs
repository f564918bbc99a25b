using System.Globalization;
using System.Numerics;
using System.Text;

namespace Descent.Tensors;

/// <summary>
/// Python's <c>"{:.Nf}"</c> and <c>"{:.Ne}"</c> for doubles, digit for digit. Python rounds the exact binary value
/// of the double to N digits, ties to even (<c>"{:.2f}".format(0.125) == "0.12"</c>); .NET's "F2" rounds ties
/// away from zero, so the rounding is done here on exact big-integer arithmetic.
/// </summary>
internal static class PythonFloatFormat
{
    /// <summary><c>"{:.{precision}f}".format(v)</c>: nan, inf, -inf, and a sign on negative zero.</summary>
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

    /// <summary><c>"{:.{precision}e}".format(v)</c>: one digit, the fraction, and an exponent of at least two digits.</summary>
    public static string Scientific(double v, int precision)
    {
        if (NonFinite(v) is { } s) return s;
        var sign = double.IsNegative(v) ? "-" : "";
        double a = Math.Abs(v);
        if (a == 0) return $"{sign}0{(precision > 0 ? "." + new string('0', precision) : "")}e+00";
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
        var sb = new StringBuilder(sign);
        sb.Append(ds[0]);
        if (precision > 0) sb.Append('.').Append(ds, 1, precision);
        sb.Append('e').Append(e10 < 0 ? '-' : '+').Append(Math.Abs(e10).ToString("00", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static string? NonFinite(double v) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : null;

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
