using System.Globalization;

namespace Descent.Cli.Lab;

/// <summary>Number formatting for terminal tables: short, invariant, exponents as <c>1.08e-6</c>.</summary>
internal static class LabFormat
{
    /// <summary>Up to <paramref name="digits"/> significant digits; exponent form for very small or large values.</summary>
    public static string Number(double v, int digits = 4)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return "0";
        double a = Math.Abs(v);
        if (a >= 1e-4 && a < 1e6) return v.ToString("G" + digits, CultureInfo.InvariantCulture);
        string e = v.ToString($"E{digits - 1}", CultureInfo.InvariantCulture); // 1.082E-006
        int at = e.IndexOf('E');
        string mantissa = e[..at].Contains('.') ? e[..at].TrimEnd('0').TrimEnd('.') : e[..at];
        int exponent = int.Parse(e[(at + 1)..], CultureInfo.InvariantCulture);
        return $"{mantissa}e{exponent}";
    }

    /// <summary>A learning rate or similar setting: up to 4 decimals, or exponent form below 1e-3.</summary>
    public static string Setting(double v) => Math.Abs(v) is > 0 and < 1e-3 ? Number(v, 3) : v.ToString("0.####", CultureInfo.InvariantCulture);
}
