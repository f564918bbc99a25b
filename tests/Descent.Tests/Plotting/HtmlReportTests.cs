using System.Xml;
using System.Xml.Linq;
using Descent.Plotting;
using Xunit;

namespace Descent.Tests.Plotting;

public class HtmlReportTests
{
    private static readonly XNamespace Html = "http://www.w3.org/1999/xhtml";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument ParseHtml(string html)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(html), settings);
        return XDocument.Load(reader);
    }

    private static Chart LineChart(int points)
    {
        var chart = new Chart { Title = "loss" };
        double[] x = Enumerable.Range(0, points).Select(i => (double)i).ToArray();
        chart.AddLine(x, x.Select(v => 1 / (1 + v)).ToArray(), "SGD");
        return chart;
    }

    private static Chart TrajectoryChart()
    {
        double[] xs = Grid.Linspace(-2, 2, 30), ys = Grid.Linspace(-1, 3, 30);
        var chart = new Chart { Width = 500, Height = 420 };
        chart.AddContour(xs, ys, Grid.Evaluate(xs, ys, (x, y) => Math.Pow(1 - x, 2) + (100 * Math.Pow(y - (x * x), 2)))).LogLevels = true;
        chart.AddPath([-1.5, -1, 0, 0.5, 1], [2.0, 1, 0.2, 0.3, 1], "GD");
        chart.AddPath([-1.5, -0.5, 1], [2.0, 0.5, 1], "Adam");
        return chart;
    }

    private static HtmlReport FullReport()
    {
        var report = new HtmlReport("Lab <1> & \"friends\"");
        report.AddParagraph("Intro with <tags> & ampersands.\nSecond line.");
        report.AddSection("Loss").AddChart(LineChart(20), "Loss per step").AddChart(LineChart(10));
        report.AddSection("Table").AddTable(
            ["optimizer", "lr", "final loss", "steps", "note"],
            [
                ["SGD", 0.1, 0.1 + 0.2, 100, null],
                ["Adam", "1e-3", 1e-5, 100L, "fast"],
                ["<b>", double.NaN, 123456789.0],
            ],
            caption: "Results");
        report.AddSection("Animations")
            .AddAnimation([LineChart(5), LineChart(10), LineChart(20)], 200, "Growing loss")
            .AddTrajectoryAnimation(TrajectoryChart(), caption: "Trajectories");
        return report;
    }

    [Fact]
    public void ReportIsWellFormedXhtmlWithAllParts()
    {
        string html = FullReport().ToHtml();
        Assert.StartsWith("<!DOCTYPE html>", html);
        XDocument doc = ParseHtml(html);
        Assert.Equal("Lab <1> & \"friends\"", doc.Descendants(Html + "title").Single().Value);
        Assert.Equal("Lab <1> & \"friends\"", doc.Descendants(Html + "h1").Single().Value);
        Assert.Equal(["Loss", "Table", "Animations"], doc.Descendants(Html + "section").Select(s => s.Element(Html + "h2")!.Value));
        XElement p = doc.Descendants(Html + "p").First();
        Assert.Equal("Intro with <tags> & ampersands.Second line.", p.Value);
        Assert.Single(p.Elements(Html + "br"));
        Assert.Equal(["Loss per step", "Growing loss", "Trajectories"], doc.Descendants(Html + "figcaption").Select(f => f.Value));
    }

    [Fact]
    public void EverySvgParsesAndIdsAreUniqueAcrossThePage()
    {
        string html = FullReport().ToHtml();
        XDocument doc = ParseHtml(html);
        var svgs = doc.Descendants(Svg + "svg").ToList();
        Assert.Equal(2 + 3 + 1, svgs.Count);
        foreach (XElement svg in svgs)
        {
            ChartSvgTests.Parse(svg.ToString()); // each inline SVG also stands alone
        }

        var ids = doc.Descendants().Select(e => (string?)e.Attribute("id")).Where(id => id != null).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (XElement e in doc.Descendants().Where(e => e.Attribute("clip-path") != null))
        {
            string target = ((string)e.Attribute("clip-path")!)[5..^1];
            Assert.Contains(target, ids);
        }
    }

    [Fact]
    public void TablesRightAlignNumbers()
    {
        XDocument doc = ParseHtml(FullReport().ToHtml());
        XElement table = doc.Descendants(Html + "table").Single();
        Assert.Equal("Results", table.Element(Html + "caption")!.Value);
        var headers = table.Descendants(Html + "th").Select(th => ((string?)th.Attribute("class"), th.Value)).ToList();
        Assert.Equal([(null, "optimizer"), ("num", "lr"), ("num", "final loss"), ("num", "steps"), (null, "note")], headers);
        var rows = table.Descendants(Html + "tbody").Single().Elements(Html + "tr").ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["SGD", "0.1", "0.3", "100", ""], rows[0].Elements(Html + "td").Select(td => td.Value));
        Assert.Equal(["Adam", "1e-3", "1e-5", "100", "fast"], rows[1].Elements(Html + "td").Select(td => td.Value));
        Assert.Equal(["<b>", "NaN", "1.23457e8", "", ""], rows[2].Elements(Html + "td").Select(td => td.Value));
        Assert.Equal("num", (string?)rows[1].Elements(Html + "td").ElementAt(1).Attribute("class"));
        Assert.Null(rows[0].Elements(Html + "td").First().Attribute("class"));
        Assert.Throws<ArgumentException>(() => new HtmlReport("x").AddTable(["a"], [[1, 2]]));
    }

    [Fact]
    public void FrameAnimationShowsOnlyTheLastFrameWithoutScript()
    {
        XDocument doc = ParseHtml(FullReport().ToHtml());
        XElement anim = doc.Descendants(Html + "figure").Single(f => (string?)f.Attribute("data-kind") == "frames");
        Assert.Equal("200", (string?)anim.Attribute("data-ms"));
        var frames = anim.Elements(Html + "div").Where(d => (string?)d.Attribute("class") == "frame").ToList();
        Assert.Equal(3, frames.Count);
        Assert.Equal([true, true, false], frames.Select(f => f.Attribute("hidden") != null));
        XElement controls = anim.Elements(Html + "div").Single(d => (string?)d.Attribute("class") == "anim-controls");
        Assert.NotNull(controls.Attribute("hidden"));
        Assert.NotNull(controls.Element(Html + "button"));
        Assert.Equal("2", (string?)controls.Element(Html + "input")!.Attribute("max"));
        Assert.Single(doc.Descendants(Html + "script"));
    }

    [Fact]
    public void TrajectoryAnimationKeepsFullPathsInMarkup()
    {
        XDocument doc = ParseHtml(FullReport().ToHtml());
        XElement anim = doc.Descendants(Html + "figure").Single(f => (string?)f.Attribute("data-kind") == "trajectory");
        var paths = anim.Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "traj").ToList();
        Assert.Equal(4, paths.Count); // halo + line for each of two paths
        Assert.Equal("4", (string?)anim.Descendants(Html + "input").Single().Attribute("max"));
    }

    [Fact]
    public void ReportIsSelfContainedAndDeterministic()
    {
        string html = FullReport().ToHtml();
        Assert.Equal(html, FullReport().ToHtml());
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("http://www.w3.org/2000/svg\" href", html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("https:", html);
        Assert.DoesNotContain("<link", html);

        // Only namespace URIs are allowed to look like URLs.
        foreach (string url in System.Text.RegularExpressions.Regex.Matches(html, "http://[^\"]*").Select(m => m.Value))
        {
            Assert.Contains(url, new[] { "http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg" });
        }
    }

    [Fact]
    public void NoScriptWithoutAnimations()
    {
        string html = new HtmlReport("static").AddParagraph("text").AddChart(LineChart(3)).ToHtml();
        Assert.DoesNotContain("<script", html);
        ParseHtml(html);
    }

    [Fact]
    public void SaveWritesTheDocument()
    {
        string path = Path.Combine(Path.GetTempPath(), "descent-report-" + Guid.NewGuid().ToString("N") + ".html");
        try
        {
            HtmlReport report = new HtmlReport("saved").AddParagraph("hello");
            report.Save(path);
            Assert.Equal(report.ToHtml(), File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
