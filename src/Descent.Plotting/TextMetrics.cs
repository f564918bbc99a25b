namespace Descent.Plotting;

/// <summary>
/// Rough text widths for a proportional sans-serif font. SVG has no layout engine we can query at
/// generation time, so margins are sized from these estimates. The table approximates Helvetica/Arial;
/// <see cref="Slack"/> widens it to cover broader system fonts such as DejaVu Sans.
/// </summary>
internal static class TextMetrics
{
    /// <summary>Safety factor over the Helvetica-like table (DejaVu Sans runs about 10% wider).</summary>
    private const double Slack = 1.1;

    /// <summary>Estimated width in pixels of <paramref name="text"/> at <paramref name="fontSize"/>.</summary>
    public static double Width(string? text, double fontSize)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        double em = 0;
        foreach (char c in text)
        {
            em += c switch
            {
                >= '0' and <= '9' => 0.57,
                '.' or ',' or ':' or ';' or '\'' or '|' or '!' => 0.29,
                'i' or 'j' or 'l' or 'I' => 0.25,
                'f' or 't' or 'r' => 0.36,
                'm' or 'w' => 0.86,
                'M' or 'W' => 0.9,
                ' ' => 0.29,
                '-' or '(' or ')' or '[' or ']' => 0.36,
                '\u2212' or '+' or '=' or '<' or '>' or '\u00D7' => 0.6,
                >= 'A' and <= 'Z' => 0.68,
                >= 'a' and <= 'z' => 0.55,
                _ => 0.62,
            };
        }

        return em * fontSize * Slack;
    }
}
