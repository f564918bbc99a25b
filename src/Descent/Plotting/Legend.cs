namespace Descent.Plotting;

/// <summary>Legend layout and drawing: a box of glyph + label rows.</summary>
internal sealed class Legend
{
    private const double FontSize = 12;
    private const double RowHeight = 18;
    private const double Padding = 8;
    private const double GlyphWidth = 22;
    private const double Inset = 8;

    private readonly List<(Series Series, Color Color)> _entries;

    public Legend(List<(Series Series, Color Color)> entries)
    {
        _entries = entries;
        double labelWidth = 0;
        foreach ((Series s, _) in entries)
        {
            labelWidth = Math.Max(labelWidth, TextMetrics.Width(s.Label, FontSize));
        }

        Width = Padding + GlyphWidth + 6 + labelWidth + Padding;
        Height = (2 * 5) + (entries.Count * RowHeight);
    }

    public bool IsEmpty => _entries.Count == 0;

    public double Width { get; }

    public double Height { get; }

    /// <summary>Top-left corner for <paramref name="position"/>; Auto picks the inside corner covering the fewest occupied cells.</summary>
    public (double X, double Y) Place(LegendPosition position, PlotArea area, Func<OccupancyGrid> occupancy)
    {
        (double X, double Y) Corner(LegendPosition p) => p switch
        {
            LegendPosition.TopLeft => (area.Left + Inset, area.Top + Inset),
            LegendPosition.BottomRight => (area.Right - Inset - Width, area.Bottom - Inset - Height),
            LegendPosition.BottomLeft => (area.Left + Inset, area.Bottom - Inset - Height),
            _ => (area.Right - Inset - Width, area.Top + Inset),
        };

        if (position != LegendPosition.Auto)
        {
            return Corner(position);
        }

        OccupancyGrid grid = occupancy();
        LegendPosition best = LegendPosition.TopRight;
        int bestCount = int.MaxValue;
        foreach (LegendPosition p in (LegendPosition[])[LegendPosition.TopRight, LegendPosition.TopLeft, LegendPosition.BottomRight, LegendPosition.BottomLeft])
        {
            (double x, double y) = Corner(p);
            int count = grid.Count(x - 2, y - 2, Width + 4, Height + 4);
            if (count < bestCount)
            {
                bestCount = count;
                best = p;
            }
        }

        return Corner(best);
    }

    public void Render(SvgWriter w, double x, double y)
    {
        w.Open("g").Attr("class", "legend").Attr("font-size", FontSize).EndStart();
        w.Open("rect").Attr("x", x).Attr("y", y).Attr("width", Width).Attr("height", Height).Attr("rx", 3)
            .Attr("fill", "#fff").Attr("fill-opacity", 0.88).Attr("stroke", "#c8c8c8").Close();
        for (int i = 0; i < _entries.Count; i++)
        {
            (Series series, Color color) = _entries[i];
            double cy = y + 5 + (i * RowHeight) + (RowHeight / 2);
            series.RenderLegendGlyph(w, x + Padding, cy, GlyphWidth, color);
            w.TextElement(x + Padding + GlyphWidth + 6, cy + (FontSize * 0.35), series.Label ?? "", "start", "fill=\"#222\"");
        }

        w.End("g");
    }
}
