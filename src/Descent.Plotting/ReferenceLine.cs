namespace Descent.Plotting;

/// <summary>
/// A horizontal or vertical line across the whole plot area at a data value, e.g. a known optimum or a
/// target loss, with an optional text label drawn next to it (not in the legend).
/// </summary>
public sealed class ReferenceLine : Series
{
    /// <summary>Creates a reference line at <paramref name="value"/>.</summary>
    /// <param name="value">The y value of a horizontal line, or the x value of a vertical one.</param>
    /// <param name="vertical">True for a vertical line.</param>
    /// <param name="label">Text shown beside the line.</param>
    public ReferenceLine(double value, bool vertical, string? label = null)
    {
        Value = value;
        Vertical = vertical;
        Label = label;
    }

    /// <summary>Position in data units on the axis the line crosses.</summary>
    public double Value { get; }

    /// <summary>True for a vertical line (a fixed x), false for a horizontal one (a fixed y).</summary>
    public bool Vertical { get; }

    /// <summary>Stroke colour.</summary>
    public Color Color { get; set; } = new(0x55, 0x55, 0x55);

    /// <summary>Stroke width in pixels.</summary>
    public double Width { get; set; } = 1;

    /// <summary>Stroke pattern.</summary>
    public LineDash Dash { get; set; } = LineDash.Dashed;

    internal override Color? ExplicitColor => Color;

    internal override void IncludeBounds(ref DataRange x, ref DataRange y, bool logX, bool logY)
    {
        if (Vertical)
        {
            x.Include(Value, logX);
        }
        else
        {
            y.Include(Value, logY);
        }
    }

    internal override void Render(RenderContext ctx, Color color)
    {
        PlotArea a = ctx.Area;
        double p = Vertical ? ctx.X.Map(Value) : ctx.Y.Map(Value);
        if (double.IsNaN(p))
        {
            return;
        }

        SvgWriter w = ctx.Writer;
        w.Open("line");
        if (Vertical)
        {
            w.Attr("x1", p).Attr("y1", a.Top).Attr("x2", p).Attr("y2", a.Bottom);
        }
        else
        {
            w.Attr("x1", a.Left).Attr("y1", p).Attr("x2", a.Right).Attr("y2", p);
        }

        w.Attr("stroke", Color).Attr("stroke-width", Width);
        string? dash = Dash.DashArray(Width);
        if (dash != null)
        {
            w.Attr("stroke-dasharray", dash);
        }

        w.Close();
        if (!string.IsNullOrEmpty(Label))
        {
            // Vertical: just right of the line near the top. Horizontal: right end, just above the line.
            string fill = $"fill=\"{Color.ToHex()}\" font-size=\"11\"";
            if (Vertical)
            {
                w.TextElement(p + 4, a.Top + 14, Label, "start", fill);
            }
            else
            {
                w.TextElement(a.Right - 4, p - 4, Label, "end", fill);
            }
        }
    }

    internal override void MarkOccupancy(RenderContext ctx, OccupancyGrid grid)
    {
        PlotArea a = ctx.Area;
        if (Vertical)
        {
            double p = ctx.X.Map(Value);
            grid.MarkSegment(p, a.Top, p, a.Bottom);
        }
        else
        {
            double p = ctx.Y.Map(Value);
            grid.MarkSegment(a.Left, p, a.Right, p);
        }
    }
}
