namespace Descent.Plotting;

/// <summary>
/// The Okabe–Ito qualitative palette, distinguishable under the common forms of colour blindness.
/// Series without an explicit colour take these in order, cycling after eight.
/// </summary>
public static class Palette
{
    /// <summary>Okabe–Ito orange, #e69f00.</summary>
    public static Color Orange => new(0xE6, 0x9F, 0x00);

    /// <summary>Okabe–Ito sky blue, #56b4e9.</summary>
    public static Color SkyBlue => new(0x56, 0xB4, 0xE9);

    /// <summary>Okabe–Ito bluish green, #009e73.</summary>
    public static Color BluishGreen => new(0x00, 0x9E, 0x73);

    /// <summary>Okabe–Ito yellow, #f0e442 (low contrast on white: prefer it for fills).</summary>
    public static Color Yellow => new(0xF0, 0xE4, 0x42);

    /// <summary>Okabe–Ito blue, #0072b2.</summary>
    public static Color Blue => new(0x00, 0x72, 0xB2);

    /// <summary>Okabe–Ito vermillion, #d55e00.</summary>
    public static Color Vermillion => new(0xD5, 0x5E, 0x00);

    /// <summary>Okabe–Ito reddish purple, #cc79a7.</summary>
    public static Color ReddishPurple => new(0xCC, 0x79, 0xA7);

    /// <summary>Okabe–Ito black, #000000.</summary>
    public static Color Black => new(0, 0, 0);

    /// <summary>
    /// The eight colours in the published Okabe–Ito order, except that black moves from first to last
    /// so that the first series on a chart get a colour.
    /// </summary>
    public static IReadOnlyList<Color> OkabeIto { get; } =
        [Orange, SkyBlue, BluishGreen, Yellow, Blue, Vermillion, ReddishPurple, Black];

    /// <summary>The colour for series number <paramref name="index"/>, cycling through <see cref="OkabeIto"/>; negative indices wrap too.</summary>
    public static Color Get(int index)
    {
        int n = OkabeIto.Count;
        return OkabeIto[((index % n) + n) % n];
    }

    /// <summary>One colour per class id (<see cref="Get"/> of the id), e.g. for per-point scatter colours.</summary>
    public static Color[] ForClasses(ReadOnlySpan<int> classIds)
    {
        var colors = new Color[classIds.Length];
        for (int i = 0; i < classIds.Length; i++)
        {
            colors[i] = Get(classIds[i]);
        }

        return colors;
    }
}
