using System.Globalization;
using System.Text;
using Descent.IO;

namespace Descent.Plotting;

/// <summary>
/// Builds one self-contained HTML page (inline CSS, SVG and script; no external resources) with a title,
/// sections, paragraphs, charts, tables and animations. Content is rendered when added, so later changes
/// to a chart do not alter the report. The output is also well-formed XML and byte-for-byte deterministic.
/// </summary>
/// <example>
/// <code>
/// var report = new HtmlReport("Optimizer lab: Rosenbrock");
/// report.AddSection("Loss").AddChart(lossChart, "Smoothed with EMA 0.9");
/// report.AddTable(["optimizer", "final loss"], [["SGD", 0.0213], ["Adam", 0.0041]]);
/// report.AddTrajectoryAnimation(contourChart, caption: "Iterates step by step");
/// report.Save("descent-out/report.html");
/// </code>
/// </example>
public sealed class HtmlReport
{
    private readonly StringBuilder body = new();
    private bool sectionOpen;
    private bool hasAnimation;
    private int figures;

    /// <summary>Creates a report whose page title and top heading are <paramref name="title"/>.</summary>
    public HtmlReport(string title)
    {
        Title = title ?? "";
    }

    /// <summary>The page title.</summary>
    public string Title { get; }

    /// <summary>Starts a new section with a heading; following content belongs to it until the next section.</summary>
    public HtmlReport AddSection(string heading)
    {
        CloseSection();
        body.Append("<section>\n<h2>");
        XmlText.Append(body, heading);
        body.Append("</h2>\n");
        sectionOpen = true;
        return this;
    }

    /// <summary>Adds a paragraph of plain text (escaped; line breaks are kept).</summary>
    public HtmlReport AddParagraph(string text)
    {
        body.Append("<p>");
        string[] lines = (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                body.Append("<br/>");
            }

            XmlText.Append(body, lines[i]);
        }

        body.Append("</p>\n");
        return this;
    }

    /// <summary>Adds a chart as inline SVG, with an optional caption.</summary>
    public HtmlReport AddChart(Chart chart, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        body.Append("<figure>\n").Append(chart.ToSvg(NextFigureId()));
        AppendCaption(caption);
        body.Append("</figure>\n");
        return this;
    }

    /// <summary>
    /// Adds a table. Numbers (numeric types, or strings that parse as numbers) are right-aligned; doubles are
    /// shown with up to 6 significant digits. Short rows are padded with empty cells.
    /// </summary>
    public HtmlReport AddTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var cells = new List<(string Text, bool Numeric)[]>();
        var numericColumn = new bool[headers.Count];
        var anyValue = new bool[headers.Count];
        Array.Fill(numericColumn, true);
        foreach (IReadOnlyList<object?> row in rows)
        {
            if (row.Count > headers.Count)
            {
                throw new ArgumentException($"A row has {row.Count} cells but there are {headers.Count} headers.", nameof(rows));
            }

            var formatted = new (string, bool)[headers.Count];
            for (int c = 0; c < headers.Count; c++)
            {
                (string text, bool numeric) = c < row.Count ? FormatCell(row[c]) : ("", false);
                formatted[c] = (text, numeric);
                if (text.Length > 0)
                {
                    anyValue[c] = true;
                    numericColumn[c] &= numeric;
                }
            }

            cells.Add(formatted);
        }

        body.Append("<table>\n");
        if (!string.IsNullOrEmpty(caption))
        {
            body.Append("<caption>");
            XmlText.Append(body, caption);
            body.Append("</caption>\n");
        }

        body.Append("<thead><tr>");
        for (int c = 0; c < headers.Count; c++)
        {
            body.Append(numericColumn[c] && anyValue[c] ? "<th class=\"num\">" : "<th>");
            XmlText.Append(body, headers[c]);
            body.Append("</th>");
        }

        body.Append("</tr></thead>\n<tbody>\n");
        foreach ((string Text, bool Numeric)[] row in cells)
        {
            body.Append("<tr>");
            foreach ((string text, bool numeric) in row)
            {
                body.Append(numeric ? "<td class=\"num\">" : "<td>");
                XmlText.Append(body, text);
                body.Append("</td>");
            }

            body.Append("</tr>\n");
        }

        body.Append("</tbody>\n</table>\n");
        return this;
    }

    /// <summary>
    /// Adds an animation that steps through <paramref name="frames"/> (e.g. a loss curve growing), with
    /// play/pause and a frame slider. Without scripts the last frame is shown.
    /// </summary>
    public HtmlReport AddAnimation(IReadOnlyList<Chart> frames, int frameMilliseconds = 100, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
        {
            throw new ArgumentException("An animation needs at least one frame.", nameof(frames));
        }

        string id = NextFigureId();
        OpenAnimation("frames", frameMilliseconds);
        for (int i = 0; i < frames.Count; i++)
        {
            body.Append(i == frames.Count - 1 ? "<div class=\"frame\">\n" : "<div class=\"frame\" hidden=\"hidden\">\n");
            body.Append(frames[i].ToSvg(id + "-" + i.ToString(CultureInfo.InvariantCulture))).Append("</div>\n");
        }

        CloseAnimation(frames.Count, caption);
        return this;
    }

    /// <summary>
    /// Adds one chart whose <see cref="PathSeries"/> trajectories are revealed step by step (all paths in
    /// step), with play/pause and a step slider. The contours and other series are drawn once, which keeps
    /// the page small; without scripts the complete trajectories are shown.
    /// </summary>
    public HtmlReport AddTrajectoryAnimation(Chart chart, int frameMilliseconds = 40, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        int steps = 1;
        foreach (Series s in chart.Series)
        {
            if (s is PathSeries p)
            {
                steps = Math.Max(steps, p.X.Count);
            }
        }

        string svg = chart.ToSvg(NextFigureId());
        OpenAnimation("trajectory", frameMilliseconds);
        body.Append(svg);
        CloseAnimation(steps, caption);
        return this;
    }

    /// <summary>The complete HTML document.</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder(body.Length + ReportAssets.Css.Length + ReportAssets.Script.Length + 512);
        sb.Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>");
        XmlText.Append(sb, Title);
        sb.Append("</title>\n<style>\n").Append(ReportAssets.Css).Append("\n</style>\n</head>\n<body>\n<h1>");
        XmlText.Append(sb, Title);
        sb.Append("</h1>\n").Append(body);
        if (sectionOpen)
        {
            sb.Append("</section>\n");
        }

        if (hasAnimation)
        {
            sb.Append("<script>\n").Append(ReportAssets.Script).Append("\n</script>\n");
        }

        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToHtml"/> to <paramref name="path"/> (UTF-8) atomically: a temporary file in the same folder, then a rename.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToHtml());

    /// <summary>Cell text and whether it is a number.</summary>
    internal static (string Text, bool Numeric) FormatCell(object? value) => value switch
    {
        null => ("", false),
        double d => (FormatDouble(d), true),
        float f => (FormatDouble(f), true),
        decimal or int or long or short or byte or sbyte or uint or ulong or ushort =>
            (Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", true),
        string s => (s, double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)),
        IFormattable f => (f.ToString(null, CultureInfo.InvariantCulture), false),
        _ => (value.ToString() ?? "", false),
    };

    private static string FormatDouble(double d)
    {
        if (!double.IsFinite(d))
        {
            return double.IsNaN(d) ? "NaN" : d > 0 ? "∞" : "−∞";
        }

        string s = d.ToString("G6", CultureInfo.InvariantCulture);
        int e = s.IndexOf('E');
        if (e >= 0)
        {
            int exponent = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e] + "e" + exponent.ToString(CultureInfo.InvariantCulture);
        }

        return s;
    }

    private string NextFigureId() => "f" + (++figures).ToString(CultureInfo.InvariantCulture);

    private void OpenAnimation(string kind, int frameMilliseconds)
    {
        hasAnimation = true;
        body.Append("<figure class=\"anim\" data-kind=\"").Append(kind).Append("\" data-ms=\"")
            .Append(Math.Max(10, frameMilliseconds).ToString(CultureInfo.InvariantCulture)).Append("\">\n");
    }

    private void CloseAnimation(int frames, string? caption)
    {
        string last = (frames - 1).ToString(CultureInfo.InvariantCulture);
        string count = frames.ToString(CultureInfo.InvariantCulture);
        body.Append("<div class=\"anim-controls\" hidden=\"hidden\"><button type=\"button\">Play</button>")
            .Append("<input type=\"range\" min=\"0\" max=\"").Append(last).Append("\" step=\"1\" value=\"").Append(last)
            .Append("\" aria-label=\"Frame\"/><output>").Append(count).Append(" / ").Append(count).Append("</output></div>\n");
        AppendCaption(caption);
        body.Append("</figure>\n");
    }

    private void AppendCaption(string? caption)
    {
        if (!string.IsNullOrEmpty(caption))
        {
            body.Append("<figcaption>");
            XmlText.Append(body, caption);
            body.Append("</figcaption>\n");
        }
    }

    private void CloseSection()
    {
        if (sectionOpen)
        {
            body.Append("</section>\n");
            sectionOpen = false;
        }
    }
}
