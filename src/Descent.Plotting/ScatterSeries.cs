namespace Descent.Plotting;

/// <summary>Markers at (x, y) points, in one colour or one colour per point. Undrawable points are skipped.</summary>
public sealed class ScatterSeries : Series
{
    private readonly double[] x;
    private readonly double[] y;
    private Color[]? pointColors;

    /// <summary>Creates a scatter series; the data are copied.</summary>
    public ScatterSeries(ReadOnlySpan<double> x, ReadOnlySpan<double> y, string? label = null)
    {
        (this.x, this.y) = CopyPair(x, y);
        Label = label;
    }

    /// <summary>The x values.</summary>
    public IReadOnlyList<double> X => x;

    /// <summary>The y values.</summary>
    public IReadOnlyList<double> Y => y;

    /// <summary>Marker colour (and legend colour); null takes the next palette colour.</summary>
    public Color? Color { get; set; }

    /// <summary>Optional colour per point (same length as the data), e.g. <see cref="Palette.ForClasses"/> of class labels; overrides <see cref="Color"/> for the markers.</summary>
    public IReadOnlyList<Color>? PointColors
    {
        get => pointColors;
        set
        {
            if (value != null && value.Count != x.Length)
            {
                throw new ArgumentException($"{value.Count} point colours for {x.Length} points.", nameof(value));
            }

            pointColors = value is null ? null : [.. value];
        }
    }

    /// <summary>Marker shape.</summary>
    public MarkerShape Marker { get; set; } = MarkerShape.Circle;

    /// <summary>Marker diameter in pixels.</summary>
    public double Size { get; set; } = 6;

    /// <summary>Fill opacity in [0, 1]; lower it for dense clouds.</summary>
    public double Opacity { get; set; } = 1;

    /// <summary>Outline colour of filled markers (white separates overlapping points); null for none.</summary>
    public Color? EdgeColor { get; set; } = Plotting.Color.White;

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
        SvgWriter w = ctx.Writer;
        bool stroked = Markers.IsStroked(Marker);
        w.Open("g");
        WriteGroupStyle(w, color, stroked);
        w.EndStart();
        for (int i = 0; i < x.Length; i++)
        {
            double px = ctx.X.Map(x[i]), py = ctx.Y.Map(y[i]);
            if (double.IsNaN(px) || double.IsNaN(py))
            {
                continue;
            }

            Markers.Open(w, Marker, px, py, Size);
            if (pointColors != null)
            {
                w.Attr(stroked ? "stroke" : "fill", pointColors[i]);
            }

            w.Close();
        }

        w.End("g");
    }

    internal override void MarkOccupancy(RenderContext ctx, OccupancyGrid grid)
    {
        for (int i = 0; i < x.Length; i++)
        {
            grid.Mark(ctx.X.Map(x[i]), ctx.Y.Map(y[i]));
        }
    }

    internal override void RenderLegendGlyph(SvgWriter w, double x, double y, double width, Color color)
    {
        bool stroked = Markers.IsStroked(Marker);
        Markers.Open(w, Marker, x + (width / 2), y, Math.Min(Size, 10));
        WriteGroupStyle(w, color, stroked);
        w.Close();
    }

    private void WriteGroupStyle(SvgWriter w, Color color, bool stroked)
    {
        if (stroked)
        {
            w.Attr("fill", "none").Attr("stroke", color).Attr("stroke-width", 1.5);
        }
        else
        {
            w.Attr("fill", color);
            if (EdgeColor is Color edge)
            {
                w.Attr("stroke", edge).Attr("stroke-width", 0.75);
            }
        }

        if (Opacity < 1)
        {
            w.Attr("opacity", Math.Clamp(Opacity, 0, 1));
        }
    }
}
