using System.Text;

namespace Descent.Plotting;

/// <summary>Minimal streaming SVG writer: one element per line, escaped text, coordinates rounded to 2 decimals.</summary>
internal sealed class SvgWriter
{
    private readonly StringBuilder sb = new(16 * 1024);

    /// <summary>Starts an element: <c>&lt;name</c>. Follow with attributes, then <see cref="Close"/> or <see cref="EndStart"/>.</summary>
    public SvgWriter Open(string name)
    {
        sb.Append('<').Append(name);
        return this;
    }

    /// <summary>Adds an escaped string attribute.</summary>
    public SvgWriter Attr(string name, string value)
    {
        sb.Append(' ').Append(name).Append("=\"");
        XmlText.Append(sb, value);
        sb.Append('"');
        return this;
    }

    /// <summary>Adds a numeric attribute rounded to 2 decimals.</summary>
    public SvgWriter Attr(string name, double value)
    {
        sb.Append(' ').Append(name).Append("=\"");
        NumberText.AppendCoord(sb, value);
        sb.Append('"');
        return this;
    }

    /// <summary>Adds a colour attribute as #rrggbb.</summary>
    public SvgWriter Attr(string name, Color value) => Attr(name, value.ToHex());

    /// <summary>Ends a childless element: <c>/&gt;</c>.</summary>
    public SvgWriter Close()
    {
        sb.Append("/>\n");
        return this;
    }

    /// <summary>Ends a start tag: <c>&gt;</c>; children follow.</summary>
    public SvgWriter EndStart(bool newline = true)
    {
        sb.Append('>');
        if (newline)
        {
            sb.Append('\n');
        }

        return this;
    }

    /// <summary>Writes an end tag.</summary>
    public SvgWriter End(string name)
    {
        sb.Append("</").Append(name).Append(">\n");
        return this;
    }

    /// <summary>Writes escaped character data.</summary>
    public SvgWriter Text(string text)
    {
        XmlText.Append(sb, text);
        return this;
    }

    /// <summary>Writes pre-escaped markup verbatim (internal use only, for tspans built here).</summary>
    public SvgWriter Raw(string markup)
    {
        sb.Append(markup);
        return this;
    }

    /// <summary>Writes a line segment element.</summary>
    public void Line(double x1, double y1, double x2, double y2) =>
        Open("line").Attr("x1", x1).Attr("y1", y1).Attr("x2", x2).Attr("y2", y2).Close();

    /// <summary>Writes a text element with optional anchor and extra attributes already escaped.</summary>
    public void TextElement(double x, double y, string text, string anchor = "start", string? extra = null)
    {
        Open("text").Attr("x", x).Attr("y", y);
        if (anchor != "start")
        {
            Attr("text-anchor", anchor);
        }

        if (extra != null)
        {
            sb.Append(' ').Append(extra);
        }

        EndStart(newline: false).Text(text).End("text");
    }

    /// <summary>The SVG text written so far.</summary>
    public override string ToString() => sb.ToString();
}
