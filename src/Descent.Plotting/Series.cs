namespace Descent.Plotting;

/// <summary>
/// Something drawn in a chart's plot area. Concrete series copy their data when created, so later changes
/// to the caller's arrays do not affect the chart.
/// </summary>
public abstract class Series
{
    private protected Series()
    {
    }

    /// <summary>Legend text; series without a label get no legend entry.</summary>
    public string? Label { get; set; }

    /// <summary>True when this series takes the next palette colour because none was set.</summary>
    internal virtual bool TakesPaletteColor => false;

    /// <summary>The explicitly chosen colour, if any.</summary>
    internal virtual Color? ExplicitColor => null;

    /// <summary>True for area fills (contours, regions), which are drawn beneath every other series.</summary>
    internal virtual bool IsBackground => false;

    /// <summary>True when the series appears in the legend.</summary>
    internal virtual bool HasLegendEntry => false;

    /// <summary>Widens the data ranges with everything this series will draw.</summary>
    internal abstract void IncludeBounds(ref DataRange x, ref DataRange y, bool logX, bool logY);

    /// <summary>Writes the series' SVG elements.</summary>
    internal abstract void Render(RenderContext ctx, Color color);

    /// <summary>Marks where the series draws, so the legend can avoid it. Background fills mark nothing.</summary>
    internal virtual void MarkOccupancy(RenderContext ctx, OccupancyGrid grid)
    {
    }

    /// <summary>Draws the legend symbol centred vertically at <paramref name="y"/>, spanning <paramref name="width"/> from <paramref name="x"/>.</summary>
    internal virtual void RenderLegendGlyph(SvgWriter w, double x, double y, double width, Color color)
    {
    }

    /// <summary>Copies a span into a new array, requiring a matching length.</summary>
    private protected static (double[] X, double[] Y) CopyPair(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"x has {x.Length} values but y has {y.Length}.");
        }

        return (x.ToArray(), y.ToArray());
    }
}
