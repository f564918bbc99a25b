namespace Descent.Plotting;

/// <summary>What a series needs to draw itself: the writer, both scales, the plot rectangle and a unique id prefix.</summary>
internal sealed class RenderContext(SvgWriter writer, Scale x, Scale y, PlotArea area, string idPrefix)
{
    public SvgWriter Writer { get; } = writer;

    public Scale X { get; } = x;

    public Scale Y { get; } = y;

    public PlotArea Area { get; } = area;

    /// <summary>Prefix for element ids (clip paths, markers), unique per chart within one document.</summary>
    public string IdPrefix { get; } = idPrefix;

    /// <summary>Index of the series being drawn, for ids that must differ between series.</summary>
    public int SeriesIndex { get; set; }
}
