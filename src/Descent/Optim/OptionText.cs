using System.Globalization;

namespace Descent.Optim;

/// <summary>Formats option values the way Python prints them (True, None, (0.9, 0.999), 0.001).</summary>
internal static class OptionText
{
    public static string Format(object? v) => v switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        double d => Number(d),
        float f => Number(f),
        ValueTuple<double, double> t => $"({Number(t.Item1)}, {Number(t.Item2)})",
        ValueTuple<double?, double> t => $"({(t.Item1 is double a ? Number(a) : "None")}, {Number(t.Item2)})",
        ValueTuple<double, double, double> t => $"({Number(t.Item1)}, {Number(t.Item2)}, {Number(t.Item3)})",
        int i => i.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Python's repr of a float: shortest round-trip digits, always with a decimal point or exponent.</summary>
    public static string Number(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        if (r.Contains('E'))
        {
            // Python writes 1e-05, .NET 1E-05.
            var parts = r.Split('E');
            int exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return $"{parts[0]}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
        }
        return r.Contains('.') ? r : r + ".0";
    }
}
