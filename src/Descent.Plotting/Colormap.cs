namespace Descent.Plotting;

/// <summary>A sequential colour map: evenly spaced colour stops, linearly interpolated.</summary>
public sealed class Colormap
{
    private readonly Color[] stops;

    /// <summary>Creates a map from at least two stops, the first at 0 and the last at 1.</summary>
    public Colormap(IReadOnlyList<Color> stops)
    {
        ArgumentNullException.ThrowIfNull(stops);
        if (stops.Count < 2)
        {
            throw new ArgumentException("A colour map needs at least two stops.", nameof(stops));
        }

        this.stops = [.. stops];
    }

    /// <summary>Viridis (matplotlib): perceptually uniform, readable in greyscale and by colour-blind readers.</summary>
    public static Colormap Viridis { get; } = new(
    [
        Color.FromHex("#440154"), Color.FromHex("#482878"), Color.FromHex("#3e4989"),
        Color.FromHex("#31688e"), Color.FromHex("#26828e"), Color.FromHex("#1f9e89"),
        Color.FromHex("#35b779"), Color.FromHex("#6ece58"), Color.FromHex("#b5de2b"),
        Color.FromHex("#fde725"),
    ]);

    /// <summary>Cividis: a blue–yellow map optimised for deuteranomaly and protanomaly.</summary>
    public static Colormap Cividis { get; } = new(
    [
        Color.FromHex("#00224e"), Color.FromHex("#123570"), Color.FromHex("#3b496c"),
        Color.FromHex("#575d6d"), Color.FromHex("#707173"), Color.FromHex("#8a8678"),
        Color.FromHex("#a59c74"), Color.FromHex("#c3b369"), Color.FromHex("#e1cc55"),
        Color.FromHex("#fee838"),
    ]);

    /// <summary>The colour at <paramref name="t"/> in [0, 1]; values outside are clamped, NaN gives the first stop.</summary>
    public Color At(double t)
    {
        if (double.IsNaN(t) || t <= 0)
        {
            return stops[0];
        }

        if (t >= 1)
        {
            return stops[^1];
        }

        double pos = t * (stops.Length - 1);
        int i = (int)pos;
        return stops[i].Mix(stops[i + 1], pos - i);
    }
}
