namespace Descent.Plotting;

/// <summary>Stroke pattern for lines.</summary>
public enum LineDash
{
    /// <summary>Continuous line.</summary>
    Solid,

    /// <summary>Long dashes.</summary>
    Dashed,

    /// <summary>Short dots.</summary>
    Dotted,

    /// <summary>Alternating dash and dot.</summary>
    DashDot,
}

/// <summary>SVG dash arrays for <see cref="LineDash"/>.</summary>
internal static class LineDashExtensions
{
    /// <summary>The stroke-dasharray value, scaled with the line width so thick lines keep their rhythm; null for solid.</summary>
    public static string? DashArray(this LineDash dash, double width)
    {
        double s = Math.Max(1, width / 1.5);
        return dash switch
        {
            LineDash.Dashed => $"{NumberText.Coord(6 * s)} {NumberText.Coord(4 * s)}",
            LineDash.Dotted => $"{NumberText.Coord(1.5 * s)} {NumberText.Coord(3 * s)}",
            LineDash.DashDot => $"{NumberText.Coord(7 * s)} {NumberText.Coord(3 * s)} {NumberText.Coord(1.5 * s)} {NumberText.Coord(3 * s)}",
            _ => null,
        };
    }
}
