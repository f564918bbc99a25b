namespace Descent.Plotting;

/// <summary>
/// A polyline through (x, y) points, e.g. a loss curve. Points that cannot be drawn (NaN, ±∞, or
/// non-positive on a log axis) leave a gap. Long series with increasing x are reduced to at most four
/// points per pixel column (first, min, max, last), which keeps the SVG small without changing the picture.
/// </summary>
public sealed class LineSeries : Series
{
    private readonly double[] x;
    private readonly double[] y;

    /// <summary>Creates a line series; the data are copied.</summary>
    public LineSeries(ReadOnlySpan<double> x, ReadOnlySpan<double> y, string? label = null)
    {
        (this.x, this.y) = CopyPair(x, y);
        Label = label;
    }

    /// <summary>The x values.</summary>
    public IReadOnlyList<double> X => x;

    /// <summary>The y values.</summary>
    public IReadOnlyList<double> Y => y;

    /// <summary>Stroke colour; null takes the next palette colour.</summary>
    public Color? Color { get; set; }

    /// <summary>Stroke width in pixels.</summary>
    public double Width { get; set; } = 1.75;

    /// <summary>Stroke pattern.</summary>
    public LineDash Dash { get; set; } = LineDash.Solid;

    /// <summary>Stroke opacity in [0, 1]; e.g. 0.3 for a raw curve drawn under its smoothed version.</summary>
    public double Opacity { get; set; } = 1;

    internal override bool TakesPaletteColor => Color is null;

    internal override Color? ExplicitColor => Color;

    internal override bool HasLegendEntry => Label != null;

    internal override void IncludeBounds(ref DataRange x, ref DataRange y, bool logX, bool logY)
    {
        double[] xs = this.x, ys = this.y;
        for (int i = 0; i < xs.Length; i++)
        {
            if (Drawable(xs[i], logX) && Drawable(ys[i], logY))
            {
                x.Include(xs[i], logX);
                y.Include(ys[i], logY);
            }
        }
    }

    internal override void Render(RenderContext ctx, Color color)
    {
        (double[] px, double[] py) = Project(ctx);
        var path = new PathData();
        if (px.Length > 4 * ctx.Area.Width && IsMonotonic(px))
        {
            AppendDecimated(path, px, py);
        }
        else
        {
            for (int i = 0; i < px.Length; i++)
            {
                if (double.IsNaN(px[i]) || double.IsNaN(py[i]))
                {
                    path.Break();
                }
                else
                {
                    path.LineTo(px[i], py[i]);
                }
            }
        }

        if (path.IsEmpty)
        {
            return;
        }

        SvgWriter w = ctx.Writer.Open("path").Attr("d", path.ToString()).Attr("fill", "none")
            .Attr("stroke", color).Attr("stroke-width", Width).Attr("stroke-linejoin", "round");
        WriteStyle(w);
        w.Close();
    }

    internal override void MarkOccupancy(RenderContext ctx, OccupancyGrid grid)
    {
        (double[] px, double[] py) = Project(ctx);
        for (int i = 1; i < px.Length; i++)
        {
            grid.MarkSegment(px[i - 1], py[i - 1], px[i], py[i]);
        }

        if (px.Length == 1)
        {
            grid.Mark(px[0], py[0]);
        }
    }

    internal override void RenderLegendGlyph(SvgWriter w, double x, double y, double width, Color color)
    {
        w.Open("line").Attr("x1", x).Attr("y1", y).Attr("x2", x + width).Attr("y2", y)
            .Attr("stroke", color).Attr("stroke-width", Math.Min(Width, 4));
        WriteStyle(w);
        w.Close();
    }

    private static bool Drawable(double v, bool log) => double.IsFinite(v) && (!log || v > 0);

    private static bool IsMonotonic(double[] px)
    {
        double last = double.NegativeInfinity;
        foreach (double v in px)
        {
            if (double.IsNaN(v))
            {
                continue;
            }

            if (v < last)
            {
                return false;
            }

            last = v;
        }

        return true;
    }

    /// <summary>Keeps the first, lowest, highest and last point of each pixel column, in their original order.</summary>
    private static void AppendDecimated(PathData path, double[] px, double[] py)
    {
        Span<int> keep = stackalloc int[4];
        int i = 0;
        while (i < px.Length)
        {
            if (double.IsNaN(px[i]) || double.IsNaN(py[i]))
            {
                path.Break();
                i++;
                continue;
            }

            double column = Math.Floor(px[i]);
            int first = i, last = i, lo = i, hi = i;
            int j = i + 1;
            while (j < px.Length && !double.IsNaN(px[j]) && !double.IsNaN(py[j]) && Math.Floor(px[j]) == column)
            {
                if (py[j] < py[lo])
                {
                    lo = j;
                }

                if (py[j] > py[hi])
                {
                    hi = j;
                }

                last = j;
                j++;
            }

            keep[0] = first;
            keep[1] = lo;
            keep[2] = hi;
            keep[3] = last;
            keep.Sort();
            for (int k = 0; k < 4; k++)
            {
                if (k == 0 || keep[k] != keep[k - 1])
                {
                    path.LineTo(px[keep[k]], py[keep[k]]);
                }
            }

            i = j;
        }
    }

    private (double[] Px, double[] Py) Project(RenderContext ctx)
    {
        double[] xs = x, ys = y;
        var px = new double[xs.Length];
        var py = new double[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            px[i] = ctx.X.Map(xs[i]);
            py[i] = ctx.Y.Map(ys[i]);
            if (double.IsNaN(py[i]))
            {
                px[i] = double.NaN;
            }
        }

        return (px, py);
    }

    private void WriteStyle(SvgWriter w)
    {
        string? dash = Dash.DashArray(Width);
        if (dash != null)
        {
            w.Attr("stroke-dasharray", dash);
        }

        if (Opacity < 1)
        {
            w.Attr("stroke-opacity", Math.Clamp(Opacity, 0, 1));
        }
    }
}
