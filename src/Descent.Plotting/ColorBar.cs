namespace Descent.Plotting;

/// <summary>A discrete colour bar for a <see cref="ContourSeries"/>: one equal-height swatch per band, levels as labels.</summary>
internal static class ColorBar
{
    private const double BarWidth = 14;
    private const double FontSize = 11;
    private const double MinLabelSpacing = 14;

    /// <summary>Horizontal space the bar, its labels and its title need.</summary>
    public static double Width(ContourSeries series)
    {
        double labels = 0;
        foreach (double level in series.ResolveLevels())
        {
            labels = Math.Max(labels, TickLabel.Width(NumberText.Compact(level), FontSize));
        }

        return BarWidth + 7 + labels + (string.IsNullOrEmpty(series.Label) ? 0 : 20);
    }

    /// <summary>Draws the bar with its top-left corner at (x, top).</summary>
    public static void Render(SvgWriter w, ContourSeries series, double x, double top, double height)
    {
        double[] levels = series.ResolveLevels();
        int bands = levels.Length + 1;
        double bandHeight = height / bands;
        w.Open("g").Attr("class", "colorbar").EndStart();
        w.Open("g").Attr("shape-rendering", "crispEdges").EndStart();
        for (int i = 0; i < bands; i++)
        {
            double y = top + height - ((i + 1) * bandHeight);
            w.Open("rect").Attr("x", x).Attr("y", y).Attr("width", BarWidth).Attr("height", bandHeight)
                .Attr("fill", series.BandColor(i, bands)).Close();
        }

        w.Open("rect").Attr("x", x).Attr("y", top).Attr("width", BarWidth).Attr("height", height)
            .Attr("fill", "none").Attr("stroke", "#444").Close();
        w.End("g");

        int stride = Math.Max(1, (int)Math.Ceiling(MinLabelSpacing / Math.Max(bandHeight, 1e-9)));
        double maxLabel = 0;
        w.Open("g").Attr("font-size", FontSize).Attr("fill", "#333").EndStart();
        for (int i = 0; i < levels.Length; i += stride)
        {
            string text = NumberText.Compact(levels[i]);
            maxLabel = Math.Max(maxLabel, TickLabel.Width(text, FontSize));
            double y = top + height - ((i + 1) * bandHeight);
            w.Open("line").Attr("x1", x + BarWidth).Attr("y1", y).Attr("x2", x + BarWidth + 3).Attr("y2", y)
                .Attr("stroke", "#444").Close();
            TickLabel.Write(w, x + BarWidth + 5, y + (FontSize * 0.35), text, "start");
        }

        w.End("g");
        if (!string.IsNullOrEmpty(series.Label))
        {
            double tx = x + BarWidth + 7 + maxLabel + 12, ty = top + (height / 2);
            w.TextElement(tx, ty, series.Label, "middle",
                $"transform=\"rotate(90 {NumberText.Coord(tx)} {NumberText.Coord(ty)})\" font-size=\"12\" fill=\"#222\"");
        }

        w.End("g");
    }
}
