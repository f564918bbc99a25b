namespace Descent.Plotting;

/// <summary>Markers at (x, y) points, in one colour or one colour per point. Undrawable points are skipped.</summary>
public sealed class ScatterSeries : Series
{
    private readonly double[] _x;
    private readonly double[] _y;
    private Color[]? _pointColors;

    /// <summary>Creates a scatter series; the data are copied.</summary>
    public ScatterSeries(ReadOnlySpan<double> x, ReadOnlySpan<double> y, string? label = null)
    {
        (_x, _y) = CopyPair(x, y);
        Label = label;
    }

    /// <summary>The x values.</summary>
    public IReadOnlyList<double> X => _x;

    /// <summary>The y values.</summary>
    public IReadOnlyList<double> Y => _y;

    /// <summary>Marker colour (and legend colour); null takes the next palette colour.</summary>
    public Color? Color { get; set; }

    /// <summary>Optional colour per point (same length as the data), e.g. <see cref="Palette.ForClasses"/> of class labels; overrides <see cref="Color"/> for the markers.</summary>
    public IReadOnlyList<Color>? PointColors
    {
        get => _pointColors;
        set
        {
            if (value != null && value.Count != _x.Length)
            {
                throw new ArgumentException($"{value.Count} point colours for {_x.Length} points.", nameof(value));
            }

            _pointColors = value is null ? null : [.. value];
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
        for (int i = 0; i < _x.Length; i++)
        {
            if (double.IsFinite(_x[i]) && double.IsFinite(_y[i]) && (!logX || _x[i] > 0) && (!logY || _y[i] > 0))
            {
                x.Include(_x[i], logX);
                y.Include(_y[i], logY);
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
        for (int i = 0; i < _x.Length; i++)
        {
            double px = ctx.X.Map(_x[i]), py = ctx.Y.Map(_y[i]);
            if (double.IsNaN(px) || double.IsNaN(py))
            {
                continue;
            }

            Markers.Open(w, Marker, px, py, Size);
            if (_pointColors != null)
            {
                w.Attr(stroked ? "stroke" : "fill", _pointColors[i]);
            }

            w.Close();
        }

        w.End("g");
    }

    internal override void MarkOccupancy(RenderContext ctx, OccupancyGrid grid)
    {
        for (int i = 0; i < _x.Length; i++)
        {
            grid.Mark(ctx.X.Map(_x[i]), ctx.Y.Map(_y[i]));
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
