namespace Descent.Plotting;

/// <summary>Legend layout and drawing: a box of glyph + label rows.</summary>
internal sealed class Legend
{
    private const double FontSize = 12;
    private const double RowHeight = 18;
    private const double Padding = 8;
    private const double GlyphWidth = 22;
    private const double Inset = 8;

    private readonly List<(Series Series, Color Color)> entries;

    public Legend(List<(Series Series, Color Color)> entries)
    {
        this.entries = entries;
        double labelWidth = 0;
        foreach ((Series s, _) in entries)
        {
            labelWidth = Math.Max(labelWidth, TextMetrics.Width(s.Label, FontSize));
        }

        Width = Padding + GlyphWidth + 6 + labelWidth + Padding;
        Height = (2 * 5) + (entries.Count * RowHeight);
    }

    public bool IsEmpty => entries.Count == 0;

    public double Width { get; }

    public double Height { get; }

    /// <summary>
    /// Top-left corner for an inside <paramref name="position"/>, and the fraction of the box that covers
    /// marked cells of <paramref name="grid"/>. Auto picks the corner with the least overlap (ties in the
    /// order top-right, top-left, bottom-right, bottom-left).
    /// </summary>
    public ((double X, double Y) At, double Overlap) Place(LegendPosition position, PlotArea area, OccupancyGrid grid)
    {
        (double X, double Y) Corner(LegendPosition p) => p switch
        {
            LegendPosition.TopLeft => (area.Left + Inset, area.Top + Inset),
            LegendPosition.BottomRight => (area.Right - Inset - Width, area.Bottom - Inset - Height),
            LegendPosition.BottomLeft => (area.Left + Inset, area.Bottom - Inset - Height),
            _ => (area.Right - Inset - Width, area.Top + Inset),
        };

        double Overlap((double X, double Y) at)
        {
            (int marked, int total) = grid.Count(at.X - 2, at.Y - 2, Width + 4, Height + 4);
            return total == 0 ? 0 : (double)marked / total;
        }

        if (position != LegendPosition.Auto)
        {
            return (Corner(position), Overlap(Corner(position)));
        }

        (double X, double Y) best = Corner(LegendPosition.TopRight);
        double bestOverlap = double.PositiveInfinity;
        foreach (LegendPosition p in (LegendPosition[])[LegendPosition.TopRight, LegendPosition.TopLeft, LegendPosition.BottomRight, LegendPosition.BottomLeft])
        {
            double overlap = Overlap(Corner(p));
            if (overlap < bestOverlap)
            {
                bestOverlap = overlap;
                best = Corner(p);
            }
        }

        return (best, bestOverlap);
    }

    public void Render(SvgWriter w, double x, double y)
    {
        w.Open("g").Attr("class", "legend").Attr("font-size", FontSize).EndStart();
        w.Open("rect").Attr("x", x).Attr("y", y).Attr("width", Width).Attr("height", Height).Attr("rx", 3)
            .Attr("fill", "#fff").Attr("fill-opacity", 0.88).Attr("stroke", "#c8c8c8").Close();
        for (int i = 0; i < entries.Count; i++)
        {
            (Series series, Color color) = entries[i];
            double cy = y + 5 + (i * RowHeight) + (RowHeight / 2);
            series.RenderLegendGlyph(w, x + Padding, cy, GlyphWidth, color);
            w.TextElement(x + Padding + GlyphWidth + 6, cy + (FontSize * 0.35), series.Label ?? "", "start", "fill=\"#222\"");
        }

        w.End("g");
    }
}
