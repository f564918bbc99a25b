using System.Globalization;

namespace Descent.Plotting;

/// <summary>An opaque 24-bit sRGB colour.</summary>
/// <param name="R">Red channel, 0–255.</param>
/// <param name="G">Green channel, 0–255.</param>
/// <param name="B">Blue channel, 0–255.</param>
public readonly record struct Color(byte R, byte G, byte B)
{
    /// <summary>Pure white, #ffffff.</summary>
    public static Color White => new(255, 255, 255);

    /// <summary>Pure black, #000000.</summary>
    public static Color Black => new(0, 0, 0);

    /// <summary>Parses <c>#rrggbb</c>, <c>rrggbb</c>, <c>#rgb</c> or <c>rgb</c> (case-insensitive).</summary>
    /// <exception cref="FormatException">The text is not a hex colour.</exception>
    public static Color FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        ReadOnlySpan<char> s = hex.AsSpan().Trim();
        if (s.Length > 0 && s[0] == '#')
        {
            s = s[1..];
        }

        if (s.Length == 3)
        {
            return new Color(Nibble(s[0], hex, 17), Nibble(s[1], hex, 17), Nibble(s[2], hex, 17));
        }

        if (s.Length != 6 || !uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint v))
        {
            throw new FormatException($"'{hex}' is not a #rrggbb colour.");
        }

        return new Color((byte)(v >> 16), (byte)(v >> 8), (byte)v);
    }

    /// <summary>Lower-case <c>#rrggbb</c> text, as used in SVG and CSS.</summary>
    public string ToHex() => string.Create(7, this, static (span, c) =>
    {
        span[0] = '#';
        c.R.TryFormat(span[1..], out _, "x2", CultureInfo.InvariantCulture);
        c.G.TryFormat(span[3..], out _, "x2", CultureInfo.InvariantCulture);
        c.B.TryFormat(span[5..], out _, "x2", CultureInfo.InvariantCulture);
    });

    /// <summary>Linear blend towards <paramref name="other"/>: 0 gives this colour, 1 gives <paramref name="other"/>.</summary>
    public Color Mix(Color other, double t)
    {
        t = Math.Clamp(double.IsNaN(t) ? 0 : t, 0, 1);
        return new Color(Lerp(R, other.R, t), Lerp(G, other.G, t), Lerp(B, other.B, t));
    }

    /// <summary>Returns <see cref="ToHex"/>.</summary>
    public override string ToString() => ToHex();

    private static byte Lerp(byte a, byte b, double t) => (byte)Math.Round(a + ((b - a) * t), MidpointRounding.AwayFromZero);

    private static byte Nibble(char c, string original, int scale)
    {
        int v = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => throw new FormatException($"'{original}' is not a #rgb colour."),
        };
        return (byte)(v * scale);
    }
}
