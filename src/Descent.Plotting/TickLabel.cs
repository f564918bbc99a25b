namespace Descent.Plotting;

/// <summary>Typesetting for tick labels: a true minus sign, and "2e-5" shown as 2×10 with a superscript exponent.</summary>
internal static class TickLabel
{
    private const string Minus = "\u2212";

    /// <summary>Plain-text form with a typographic minus (used as element text when there is no exponent).</summary>
    public static string Typeset(string label) => label.StartsWith('-') ? Minus + label[1..] : label;

    /// <summary>Estimated rendered width, accounting for the smaller superscript.</summary>
    public static double Width(string label, double fontSize)
    {
        (string mantissa, string? exponent) = Split(label);
        return TextMetrics.Width(mantissa, fontSize) + (exponent is null ? 0 : TextMetrics.Width(exponent, fontSize * 0.75));
    }

    /// <summary>Writes a text element for the label; exponents become a raised, smaller tspan.</summary>
    public static void Write(SvgWriter w, double x, double y, string label, string anchor)
    {
        (string mantissa, string? exponent) = Split(label);
        if (exponent is null)
        {
            w.TextElement(x, y, mantissa, anchor);
            return;
        }

        w.Open("text").Attr("x", x).Attr("y", y);
        if (anchor != "start")
        {
            w.Attr("text-anchor", anchor);
        }

        w.EndStart(newline: false).Text(mantissa)
            .Raw("<tspan dy=\"-0.45em\" font-size=\"75%\">").Text(exponent).Raw("</tspan>").End("text");
    }

    private static (string Mantissa, string? Exponent) Split(string label)
    {
        int e = label.IndexOf('e');
        if (e < 0)
        {
            return (Typeset(label), null);
        }

        string m = label[..e];
        string exponent = Typeset(label[(e + 1)..]);
        string mantissa = m switch
        {
            "1" => "10",
            "-1" => Minus + "10",
            _ => Typeset(m) + "\u00D710",
        };
        return (mantissa, exponent);
    }
}
