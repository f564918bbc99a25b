using System.Globalization;

namespace Descent.NN;

/// <summary>Python's text for the values modules print in <c>extra_repr</c> and messages, so output matches PyTorch.</summary>
internal static class PyRepr
{
    /// <summary><c>True</c> / <c>False</c>.</summary>
    public static string Bool(bool b) => b ? "True" : "False";

    /// <summary>
    /// <c>repr(float)</c>: the shortest round-trip digits, fixed notation with at least one decimal ("1.0", "0.5")
    /// for exponents from -4 to 15, scientific otherwise ("1e-05", "1e+16"), and "inf" / "nan".
    /// </summary>
    public static string Float(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return double.IsNegative(v) ? "-0.0" : "0.0";
        string r = Math.Abs(v).ToString("R", CultureInfo.InvariantCulture);
        int exp = 0;
        int e = r.IndexOf('E');
        if (e >= 0)
        {
            exp = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
            r = r[..e];
        }
        int dot = r.IndexOf('.');
        string intPart = dot < 0 ? r : r[..dot];
        string all = intPart + (dot < 0 ? "" : r[(dot + 1)..]);
        string digits = all.TrimStart('0');
        // value = 0.<digits> × 10^point
        int point = intPart.Length + exp - (all.Length - digits.Length);
        digits = digits.TrimEnd('0');
        int sci = point - 1;
        string body;
        if (sci < -4 || sci >= 16)
            body = digits[..1] + (digits.Length > 1 ? "." + digits[1..] : "") + "e" + (sci < 0 ? "-" : "+") + Math.Abs(sci).ToString("00", CultureInfo.InvariantCulture);
        else if (point <= 0) body = "0." + new string('0', -point) + digits;
        else if (point >= digits.Length) body = digits + new string('0', point - digits.Length) + ".0";
        else body = digits[..point] + "." + digits[point..];
        return (v < 0 ? "-" : "") + body;
    }

    /// <summary>
    /// A number whose PyTorch default is an int (Softplus's beta=1, threshold=20): whole values print as ints,
    /// others as floats.
    /// </summary>
    public static string Number(double v) =>
        double.IsFinite(v) && v == Math.Floor(v) && Math.Abs(v) < 1e15
            ? ((long)v).ToString(CultureInfo.InvariantCulture)
            : Float(v);

    /// <summary>An optional int: the number or <c>None</c>.</summary>
    public static string Int(int? v) => v is null ? "None" : v.Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>PyTorch's legacy type word in "expected scalar type X but found Y": Float, Double, Long, Bool.</summary>
    public static string ScalarType(Tensors.DType d) => d switch
    {
        Tensors.DType.Float32 => "Float",
        Tensors.DType.Float64 => "Double",
        Tensors.DType.Int64 => "Long",
        _ => "Bool",
    };
}
