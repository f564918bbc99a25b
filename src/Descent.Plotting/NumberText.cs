using System.Globalization;
using System.Text;

namespace Descent.Plotting;

/// <summary>Invariant, noise-free number formatting for coordinates and labels.</summary>
internal static class NumberText
{
    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>10^k, exact where representable; negative powers divide so they round correctly.</summary>
    public static double Pow10(int k)
    {
        if (k >= 0)
        {
            return k < PowersOfTen.Length ? PowersOfTen[k] : Math.Pow(10, k);
        }

        return -k < PowersOfTen.Length ? 1.0 / PowersOfTen[-k] : Math.Pow(10, k);
    }

    /// <summary>n × 10^k as a correctly rounded double (3 × 10^-1 is 0.3, not 0.30000000000000004).</summary>
    public static double Scaled(long n, int k) =>
        k >= 0 ? n * Pow10(k) : -k < PowersOfTen.Length ? n / PowersOfTen[-k] : n * Math.Pow(10, k);

    /// <summary>Appends a coordinate rounded to two decimals, shortest form, never "-0".</summary>
    public static void AppendCoord(StringBuilder sb, double v)
    {
        double r = Math.Round(v, 2, MidpointRounding.AwayFromZero);
        if (r == 0 || !double.IsFinite(r))
        {
            sb.Append('0');
            return;
        }

        Span<char> buf = stackalloc char[40];
        if (r.TryFormat(buf, out int n, "0.##", CultureInfo.InvariantCulture))
        {
            sb.Append(buf[..n]);
        }
        else
        {
            sb.Append(r.ToString("0.##", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A coordinate as text (see <see cref="AppendCoord"/>).</summary>
    public static string Coord(double v)
    {
        var sb = new StringBuilder(12);
        AppendCoord(sb, v);
        return sb.ToString();
    }

    /// <summary>Exact decimal text of n × 10^k, e.g. (-15, -2) → "-0.15", (2, 3) → "2000".</summary>
    public static string Decimal(long n, int k)
    {
        if (n == 0)
        {
            return "0";
        }

        string sign = n < 0 ? "-" : "";
        string digits = Math.Abs(n).ToString(CultureInfo.InvariantCulture);
        if (k >= 0)
        {
            return sign + digits + new string('0', k);
        }

        int frac = -k;
        if (digits.Length <= frac)
        {
            digits = new string('0', frac - digits.Length + 1) + digits;
        }

        string whole = digits[..^frac];
        string fraction = digits[^frac..].TrimEnd('0');
        return fraction.Length == 0 ? sign + whole : sign + whole + "." + fraction;
    }

    /// <summary>Exact scientific text of n × 10^k, e.g. (25, -6) → "2.5e-5", (1, 6) → "1e6".</summary>
    public static string Scientific(long n, int k)
    {
        if (n == 0)
        {
            return "0";
        }

        string sign = n < 0 ? "-" : "";
        string digits = Math.Abs(n).ToString(CultureInfo.InvariantCulture);
        int trimmed = digits.Length - digits.TrimEnd('0').Length;
        digits = digits[..^trimmed];
        k += trimmed;
        int exponent = k + digits.Length - 1;
        string mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
        return sign + mantissa + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A short label for an arbitrary value with about <paramref name="significant"/> digits:
    /// plain decimals for magnitudes in [1e-3, 1e5), otherwise "1.5e-5" style.
    /// </summary>
    public static string Compact(double v, int significant = 3)
    {
        if (v == 0)
        {
            return "0";
        }

        if (!double.IsFinite(v))
        {
            return double.IsNaN(v) ? "NaN" : v > 0 ? "inf" : "-inf";
        }

        double a = Math.Abs(v);
        if (a >= 1e-3 && a < 1e5)
        {
            int decimals = Math.Clamp(significant - 1 - (int)Math.Floor(Math.Log10(a)), 0, 15);
            string s = v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (s.Contains('.'))
            {
                s = s.TrimEnd('0').TrimEnd('.');
            }

            return s == "-0" ? "0" : s;
        }

        string mantissaFormat = "0." + new string('#', Math.Max(0, significant - 1)) + "e0";
        return v.ToString(mantissaFormat, CultureInfo.InvariantCulture);
    }
}
