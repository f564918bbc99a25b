namespace Descent.Plotting;

/// <summary>Lays out a <see cref="Chart"/> (margins sized to its labels) and writes the SVG.</summary>
internal static class ChartRenderer
{
    private const string FontFamily = "system-ui,-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif";
    private const double TickFont = 12;
    private const double LabelFont = 13;
    private const double TitleFont = 15;
    private const double TickLength = 5;
    private const double MinorTickLength = 3;
    private const double Edge = 12;

    /// <summary>Share of the best inside legend position that may cover data before Auto moves the legend outside.</summary>
    private const double AutoOutsideOverlap = 0.12;

    public static string Render(Chart chart, string idPrefix)
    {
        string prefix = SanitizeId(idPrefix);
        IReadOnlyList<Series> series = chart.Series;
        var colors = new Color[series.Count];
        int nextColor = 0;
        var xRange = new DataRange();
        var yRange = new DataRange();
        for (int i = 0; i < series.Count; i++)
        {
            colors[i] = series[i].ExplicitColor ?? (series[i].TakesPaletteColor ? Palette.Get(nextColor++) : Palette.Black);
            series[i].IncludeBounds(ref xRange, ref yRange, chart.X.Log, chart.Y.Log);
        }

        bool tight = false;
        foreach (Series s in series)
        {
            tight |= s.IsBackground;
        }

        TickSet xTicks = chart.X.ComputeTicks(xRange, tight);
        TickSet yTicks = chart.Y.ComputeTicks(yRange, tight);

        var entries = new List<(Series, Color)>();
        ContourSeries? barSeries = null;
        for (int i = 0; i < series.Count; i++)
        {
            if (series[i].HasLegendEntry)
            {
                entries.Add((series[i], colors[i]));
            }

            if (barSeries is null && series[i] is ContourSeries { ShowColorBar: true } contour)
            {
                barSeries = contour;
            }
        }

        var legend = new Legend(entries);
        bool showLegend = !legend.IsEmpty && chart.Legend != LegendPosition.None;
        bool legendOutside = showLegend && chart.Legend == LegendPosition.OutsideRight;
        (PlotArea area, Scale xScale, Scale yScale) = Arrange(chart, xTicks, yTicks, barSeries, legendOutside ? legend.Width : 0);
        (double X, double Y) legendAt = default;
        if (showLegend && !legendOutside)
        {
            OccupancyGrid grid = Occupancy(series, new RenderContext(new SvgWriter(), xScale, yScale, area, prefix));
            (legendAt, double overlap) = legend.Place(chart.Legend, area, grid);

            // When every corner hides data, give the legend its own space beside the plot.
            if (chart.Legend == LegendPosition.Auto && overlap > AutoOutsideOverlap)
            {
                legendOutside = true;
                (area, xScale, yScale) = Arrange(chart, xTicks, yTicks, barSeries, legend.Width);
            }
        }

        var w = new SvgWriter();
        var ctx = new RenderContext(w, xScale, yScale, area, prefix);
        w.Open("svg").Attr("xmlns", "http://www.w3.org/2000/svg").Attr("width", chart.Width).Attr("height", chart.Height)
            .Attr("viewBox", $"0 0 {chart.Width} {chart.Height}").Attr("font-family", FontFamily).Attr("font-size", TickFont).EndStart();
        if (!string.IsNullOrEmpty(chart.Title))
        {
            w.Open("title").EndStart(newline: false).Text(chart.Title).End("title");
        }

        w.Open("rect").Attr("width", chart.Width).Attr("height", chart.Height).Attr("fill", "#fff").Close();
        w.Open("defs").EndStart().Open("clipPath").Attr("id", prefix + "-clip").EndStart();
        w.Open("rect").Attr("x", area.Left).Attr("y", area.Top).Attr("width", area.Width).Attr("height", area.Height).Close();
        w.End("clipPath").End("defs");

        WriteGrid(w, chart.X.Grid, xTicks, xScale, area, vertical: true);
        WriteGrid(w, chart.Y.Grid, yTicks, yScale, area, vertical: false);

        w.Open("g").Attr("clip-path", $"url(#{prefix}-clip)").EndStart();
        foreach (bool background in (bool[])[true, false])
        {
            for (int i = 0; i < series.Count; i++)
            {
                if (series[i].IsBackground == background)
                {
                    ctx.SeriesIndex = i;
                    series[i].Render(ctx, colors[i]);
                }
            }
        }

        w.End("g");
        WriteAxes(w, xTicks, yTicks, xScale, yScale, area);
        WriteTitles(w, chart, area);

        double rightX = area.Right + 16;
        if (barSeries != null)
        {
            ColorBar.Render(w, barSeries, rightX, area.Top, area.Height);
            rightX += ColorBar.Width(barSeries) + 16;
        }

        if (showLegend)
        {
            (double lx, double ly) = legendOutside ? (rightX, area.Top) : legendAt;
            legend.Render(w, lx, ly);
        }

        w.End("svg");
        return w.ToString();
    }

    private static (PlotArea Area, Scale X, Scale Y) Arrange(Chart chart, TickSet xTicks, TickSet yTicks, ContourSeries? barSeries, double outsideLegendWidth)
    {
        PlotArea area = Layout(chart, xTicks, yTicks, barSeries, outsideLegendWidth);
        Scale x = chart.X.Log
            ? Scale.Log(xTicks.Min, xTicks.Max, area.Left, area.Right)
            : Scale.Linear(xTicks.Min, xTicks.Max, area.Left, area.Right);
        Scale y = chart.Y.Log
            ? Scale.Log(yTicks.Min, yTicks.Max, area.Bottom, area.Top)
            : Scale.Linear(yTicks.Min, yTicks.Max, area.Bottom, area.Top);
        return (area, x, y);
    }

    private static OccupancyGrid Occupancy(IReadOnlyList<Series> series, RenderContext ctx)
    {
        var grid = new OccupancyGrid(ctx.Area);
        foreach (Series s in series)
        {
            s.MarkOccupancy(ctx, grid);
        }

        return grid;
    }

    private static PlotArea Layout(Chart chart, TickSet xTicks, TickSet yTicks, ContourSeries? barSeries, double outsideLegendWidth)
    {
        double yLabelWidth = 0;
        foreach (Tick t in yTicks.Ticks)
        {
            yLabelWidth = Math.Max(yLabelWidth, TickLabel.Width(t.Label, TickFont));
        }

        double lastXLabel = 0;
        foreach (Tick t in xTicks.Ticks)
        {
            if (t.Label.Length > 0)
            {
                lastXLabel = TickLabel.Width(t.Label, TickFont);
            }
        }

        double left = Edge + (string.IsNullOrEmpty(chart.Y.Label) ? 0 : LabelFont + 10) + yLabelWidth + 5 + TickLength;
        double top = string.IsNullOrEmpty(chart.Title) ? 14 : 14 + TitleFont + 14;
        double bottom = TickLength + 5 + TickFont + (string.IsNullOrEmpty(chart.X.Label) ? 0 : 10 + LabelFont) + Edge;
        double extras = (barSeries is null ? 0 : 16 + ColorBar.Width(barSeries)) + (outsideLegendWidth > 0 ? 16 + outsideLegendWidth : 0);
        double right = Math.Max(Math.Max(16, (lastXLabel / 2) + 6), extras + Edge);
        return new PlotArea(left, top, Math.Max(20, chart.Width - left - right), Math.Max(20, chart.Height - top - bottom));
    }

    private static void WriteGrid(SvgWriter w, bool enabled, TickSet ticks, Scale scale, PlotArea area, bool vertical)
    {
        if (!enabled)
        {
            return;
        }

        bool minors = ShowMinorTicks(ticks, scale);
        foreach (bool major in (bool[])[false, true])
        {
            if (!major && !minors)
            {
                continue;
            }

            w.Open("g").Attr("stroke", major ? "#e0e0e0" : "#eeeeee").Attr("shape-rendering", "crispEdges").EndStart();
            foreach (Tick t in ticks.Ticks)
            {
                double p = scale.Map(t.Value);
                bool onFrame = Math.Abs(p - scale.RangeMin) < 0.5 || Math.Abs(p - scale.RangeMax) < 0.5;
                if (t.IsMajor != major || onFrame || double.IsNaN(p))
                {
                    continue;
                }

                if (vertical)
                {
                    w.Line(p, area.Top, p, area.Bottom);
                }
                else
                {
                    w.Line(area.Left, p, area.Right, p);
                }
            }

            w.End("g");
        }
    }

    private static void WriteAxes(SvgWriter w, TickSet xTicks, TickSet yTicks, Scale xScale, Scale yScale, PlotArea area)
    {
        w.Open("g").Attr("stroke", "#444").Attr("shape-rendering", "crispEdges").EndStart();
        w.Open("rect").Attr("x", area.Left).Attr("y", area.Top).Attr("width", area.Width).Attr("height", area.Height)
            .Attr("fill", "none").Close();
        bool xMinors = ShowMinorTicks(xTicks, xScale), yMinors = ShowMinorTicks(yTicks, yScale);
        foreach (Tick t in xTicks.Ticks)
        {
            if (!t.IsMajor && !xMinors)
            {
                continue;
            }

            double p = xScale.Map(t.Value);
            w.Line(p, area.Bottom, p, area.Bottom + (t.IsMajor ? TickLength : MinorTickLength));
        }

        foreach (Tick t in yTicks.Ticks)
        {
            if (!t.IsMajor && !yMinors)
            {
                continue;
            }

            double p = yScale.Map(t.Value);
            w.Line(area.Left - (t.IsMajor ? TickLength : MinorTickLength), p, area.Left, p);
        }

        w.End("g");
        w.Open("g").Attr("fill", "#333").EndStart();
        foreach (int i in VisibleLabels(xTicks, xScale, horizontal: true))
        {
            TickLabel.Write(w, xScale.Map(xTicks.Ticks[i].Value), area.Bottom + TickLength + 3 + TickFont, xTicks.Ticks[i].Label, "middle");
        }

        foreach (int i in VisibleLabels(yTicks, yScale, horizontal: false))
        {
            TickLabel.Write(w, area.Left - TickLength - 4, yScale.Map(yTicks.Ticks[i].Value) + (TickFont * 0.35), yTicks.Ticks[i].Label, "end");
        }

        w.End("g");
    }

    private static void WriteTitles(SvgWriter w, Chart chart, PlotArea area)
    {
        double cx = area.Left + (area.Width / 2);
        if (!string.IsNullOrEmpty(chart.Title))
        {
            (string title, double size, double x) = FitTitle(chart.Title, chart.Width, area);
            w.TextElement(x, 14 + TitleFont, title, "middle", $"font-size=\"{NumberText.Coord(size)}\" font-weight=\"600\" fill=\"#111\"");
        }

        if (!string.IsNullOrEmpty(chart.X.Label))
        {
            double y = area.Bottom + TickLength + 5 + TickFont + 8 + LabelFont;
            w.TextElement(cx, y, chart.X.Label, "middle", $"font-size=\"{LabelFont}\" fill=\"#222\"");
        }

        if (!string.IsNullOrEmpty(chart.Y.Label))
        {
            double x = Edge + (LabelFont * 0.8), cy = area.Top + (area.Height / 2);
            w.TextElement(x, cy, chart.Y.Label, "middle",
                $"transform=\"rotate(-90 {NumberText.Coord(x)} {NumberText.Coord(cy)})\" font-size=\"{LabelFont}\" fill=\"#222\"");
        }
    }

    /// <summary>
    /// Centres the title over the plot when it fits there, else over the whole chart; a title wider than the
    /// chart is set smaller (down to 10 px) and then shortened with an ellipsis.
    /// </summary>
    private static (string Text, double Size, double X) FitTitle(string title, double chartWidth, PlotArea area)
    {
        const double BoldFactor = 1.08;
        double width = TextMetrics.Width(title, TitleFont) * BoldFactor;
        if (width <= area.Width)
        {
            return (title, TitleFont, area.Left + (area.Width / 2));
        }

        double available = chartWidth - (2 * Edge);
        double size = Math.Max(10, Math.Min(TitleFont, TitleFont * available / width));
        string text = title;
        while (text.Length > 1 && TextMetrics.Width(text, size) * BoldFactor > available)
        {
            text = text[..^2].TrimEnd() + "\u2026";
        }

        return (text, size, chartWidth / 2);
    }

    /// <summary>Unlabelled minor ticks only help while they are a few pixels apart; denser, they read as grey noise.</summary>
    private static bool ShowMinorTicks(TickSet ticks, Scale scale)
    {
        for (int i = 1; i < ticks.Ticks.Count; i++)
        {
            if (Math.Abs(scale.Map(ticks.Ticks[i].Value) - scale.Map(ticks.Ticks[i - 1].Value)) < 4)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Indices of the labels to draw: all when they fit, else majors only, else every n-th major.</summary>
    private static List<int> VisibleLabels(TickSet ticks, Scale scale, bool horizontal)
    {
        var all = new List<int>();
        var majors = new List<int>();
        for (int i = 0; i < ticks.Ticks.Count; i++)
        {
            if (ticks.Ticks[i].Label.Length > 0)
            {
                all.Add(i);
                if (ticks.Ticks[i].IsMajor)
                {
                    majors.Add(i);
                }
            }
        }

        if (Fits(all))
        {
            return all;
        }

        for (int stride = 1; stride < majors.Count; stride++)
        {
            var kept = new List<int>();
            for (int k = 0; k < majors.Count; k += stride)
            {
                kept.Add(majors[k]);
            }

            if (Fits(kept))
            {
                return kept;
            }
        }

        return majors.Count > 0 ? [majors[0]] : [];

        bool Fits(List<int> indices)
        {
            for (int k = 1; k < indices.Count; k++)
            {
                Tick a = ticks.Ticks[indices[k - 1]], b = ticks.Ticks[indices[k]];
                double gap = Math.Abs(scale.Map(b.Value) - scale.Map(a.Value));
                double need = horizontal
                    ? ((TickLabel.Width(a.Label, TickFont) + TickLabel.Width(b.Label, TickFont)) / 2) + 8
                    : TickFont + 2;
                if (gap < need)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Keeps ids valid and reference-safe: letters, digits, '-' and '_', starting with a letter.</summary>
    private static string SanitizeId(string? prefix)
    {
        var chars = new List<char>();
        foreach (char c in prefix ?? "")
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                chars.Add(c);
            }
        }

        string s = new([.. chars]);
        return s.Length > 0 && char.IsAsciiLetter(s[0]) ? s : "c" + s;
    }
}
