namespace Descent.Plotting;

/// <summary>
/// A 2-D trajectory, e.g. an optimizer's iterates over a loss surface: a line through the points with a
/// hollow circle at the start, a filled circle at the end and (for short paths) a dot at every step.
/// The markers are SVG markers on a single path element (class <c>traj</c>), so a report animation can
/// reveal the path step by step just by shortening its path data.
/// </summary>
public sealed class PathSeries : Series
{
    private readonly double[] x;
    private readonly double[] y;

    /// <summary>Creates a path series; the data are copied.</summary>
    public PathSeries(ReadOnlySpan<double> x, ReadOnlySpan<double> y, string? label = null)
    {
        (this.x, this.y) = CopyPair(x, y);
        Label = label;
    }

    /// <summary>The x values, in step order.</summary>
    public IReadOnlyList<double> X => x;

    /// <summary>The y values, in step order.</summary>
    public IReadOnlyList<double> Y => y;

    /// <summary>Line and marker colour; null takes the next palette colour.</summary>
    public Color? Color { get; set; }

    /// <summary>Stroke width in pixels.</summary>
    public double Width { get; set; } = 1.75;

    /// <summary>
    /// Colour of a soft outline drawn under the line so it stays visible on busy backgrounds such as
    /// contour fills; null for none.
    /// </summary>
    public Color? Halo { get; set; } = Plotting.Color.White;

    /// <summary>Dots at every step; null means only when there are at most <see cref="AutoPointLimit"/> points.</summary>
    public bool? ShowPoints { get; set; }

    /// <summary>Largest path that gets step dots when <see cref="ShowPoints"/> is null.</summary>
    public const int AutoPointLimit = 150;

    internal override bool TakesPaletteColor => Color is null;

    internal override Color? ExplicitColor => Color;

    internal override bool HasLegendEntry => Label != null;

    internal override void IncludeBounds(ref DataRange x, ref DataRange y, bool logX, bool logY)
    {
        for (int i = 0; i < this.x.Length; i++)
        {
            if (double.IsFinite(this.x[i]) && double.IsFinite(this.y[i]) && (!logX || this.x[i] > 0) && (!logY || this.y[i] > 0))
            {
                x.Include(this.x[i], logX);
                y.Include(this.y[i], logY);
            }
        }
    }

    internal override void Render(RenderContext ctx, Color color)
    {
        // One vertex per step, even when steps overlap, so animations stay in step with each other.
        var path = new PathData { KeepDuplicates = true };
        for (int i = 0; i < x.Length; i++)
        {
            double px = ctx.X.Map(x[i]), py = ctx.Y.Map(y[i]);
            if (double.IsNaN(px) || double.IsNaN(py))
            {
                path.Break();
            }
            else
            {
                path.LineTo(px, py);
            }
        }

        if (path.IsEmpty)
        {
            return;
        }

        SvgWriter w = ctx.Writer;
        string d = path.ToString();
        string id = $"{ctx.IdPrefix}-p{ctx.SeriesIndex}";
        bool dots = ShowPoints ?? x.Length <= AutoPointLimit;
        w.Open("defs").EndStart();
        WriteMarker(w, id + "-s", color, hollow: true, radius: 4.5);
        WriteMarker(w, id + "-e", color, hollow: false, radius: 4.5);
        if (dots)
        {
            w.Open("marker").Attr("id", id + "-m").Attr("markerUnits", "userSpaceOnUse").Attr("overflow", "visible").EndStart();
            w.Open("circle").Attr("r", Math.Max(1.6, Width)).Attr("fill", color).Close();
            w.End("marker");
        }

        w.End("defs");
        if (Halo is Color halo)
        {
            w.Open("path").Attr("class", "traj").Attr("d", d).Attr("fill", "none").Attr("stroke", halo)
                .Attr("stroke-width", Width + 2.5).Attr("stroke-opacity", 0.7).Attr("stroke-linejoin", "round").Close();
        }

        w.Open("path").Attr("class", "traj").Attr("d", d).Attr("fill", "none").Attr("stroke", color)
            .Attr("stroke-width", Width).Attr("stroke-linejoin", "round")
            .Attr("marker-start", $"url(#{id}-s)").Attr("marker-end", $"url(#{id}-e)");
        if (dots)
        {
            w.Attr("marker-mid", $"url(#{id}-m)");
        }

        w.Close();
    }

    internal override void MarkOccupancy(RenderContext ctx, OccupancyGrid grid)
    {
        for (int i = 1; i < x.Length; i++)
        {
            grid.MarkSegment(ctx.X.Map(x[i - 1]), ctx.Y.Map(y[i - 1]), ctx.X.Map(x[i]), ctx.Y.Map(y[i]));
        }
    }

    internal override void RenderLegendGlyph(SvgWriter w, double x, double y, double width, Color color)
    {
        w.Open("line").Attr("x1", x).Attr("y1", y).Attr("x2", x + width).Attr("y2", y)
            .Attr("stroke", color).Attr("stroke-width", Width).Close();
        w.Open("circle").Attr("cx", x + width).Attr("cy", y).Attr("r", 3.5).Attr("fill", color)
            .Attr("stroke", Plotting.Color.White).Attr("stroke-width", 1).Close();
    }

    private static void WriteMarker(SvgWriter w, string id, Color color, bool hollow, double radius)
    {
        w.Open("marker").Attr("id", id).Attr("markerUnits", "userSpaceOnUse").Attr("overflow", "visible").EndStart();
        w.Open("circle").Attr("r", radius).Attr("fill", hollow ? Plotting.Color.White : color)
            .Attr("stroke", hollow ? color : Plotting.Color.White).Attr("stroke-width", 1.5).Close();
        w.End("marker");
    }
}
