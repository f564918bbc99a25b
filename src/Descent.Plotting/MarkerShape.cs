namespace Descent.Plotting;

/// <summary>Scatter marker shapes.</summary>
public enum MarkerShape
{
    /// <summary>Filled circle.</summary>
    Circle,

    /// <summary>Filled square.</summary>
    Square,

    /// <summary>Filled diamond.</summary>
    Diamond,

    /// <summary>Filled triangle pointing up.</summary>
    TriangleUp,

    /// <summary>Filled triangle pointing down.</summary>
    TriangleDown,

    /// <summary>Plus sign (stroked).</summary>
    Plus,

    /// <summary>Diagonal cross (stroked).</summary>
    Cross,
}

/// <summary>Writes marker shapes as SVG elements.</summary>
internal static class Markers
{
    /// <summary>True for shapes drawn with a stroke rather than a fill.</summary>
    public static bool IsStroked(MarkerShape shape) => shape is MarkerShape.Plus or MarkerShape.Cross;

    /// <summary>Starts the element for one marker of diameter <paramref name="size"/> at (x, y); the caller adds attributes and closes it.</summary>
    public static SvgWriter Open(SvgWriter w, MarkerShape shape, double x, double y, double size)
    {
        double r = size / 2;
        if (shape == MarkerShape.Circle)
        {
            return w.Open("circle").Attr("cx", x).Attr("cy", y).Attr("r", r);
        }

        var d = new PathData();
        switch (shape)
        {
            case MarkerShape.Square:
                r *= 0.89; // equal area with the circle
                d.Rect(x - r, y - r, x + r, y + r);
                break;
            case MarkerShape.Diamond:
                r *= 1.2;
                d.MoveTo(x, y - r);
                d.LineTo(x + r, y);
                d.LineTo(x, y + r);
                d.LineTo(x - r, y);
                d.ClosePath();
                break;
            case MarkerShape.TriangleUp or MarkerShape.TriangleDown:
                r *= 1.25;
                double s = shape == MarkerShape.TriangleUp ? 1 : -1;
                d.MoveTo(x, y - (s * r));
                d.LineTo(x + (0.866 * r), y + (s * 0.5 * r));
                d.LineTo(x - (0.866 * r), y + (s * 0.5 * r));
                d.ClosePath();
                break;
            case MarkerShape.Plus:
                d.MoveTo(x - r, y);
                d.LineTo(x + r, y);
                d.MoveTo(x, y - r);
                d.LineTo(x, y + r);
                break;
            default:
                double q = r * 0.8;
                d.MoveTo(x - q, y - q);
                d.LineTo(x + q, y + q);
                d.MoveTo(x - q, y + q);
                d.LineTo(x + q, y - q);
                break;
        }

        return w.Open("path").Attr("d", d.ToString());
    }
}
