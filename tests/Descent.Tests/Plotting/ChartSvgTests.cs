using System.Text.RegularExpressions;
using System.Xml.Linq;
using Descent.Plotting;
using Xunit;

namespace Descent.Tests.Plotting;

public class ChartSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    internal static XDocument Parse(string svg)
    {
        XDocument doc = XDocument.Parse(svg);
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        return doc;
    }

    private static double[] Range(int n) => Enumerable.Range(0, n).Select(i => (double)i).ToArray();

    private static Chart Sample()
    {
        var chart = new Chart { Title = "Loss", Width = 640, Height = 400 };
        chart.X.Label = "step";
        chart.Y.Label = "loss";
        double[] x = Range(50);
        chart.AddLine(x, x.Select(v => Math.Exp(-v / 10)).ToArray(), "SGD");
        chart.AddLine(x, x.Select(v => Math.Exp(-v / 5)).ToArray(), "Adam").Dash = LineDash.Dashed;
        return chart;
    }

    [Fact]
    public void LineChartIsWellFormedWithOnePathPerSeries()
    {
        XDocument doc = Parse(Sample().ToSvg());
        var lines = doc.Descendants(Svg + "path").Where(p => (string?)p.Attribute("fill") == "none").ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("#e69f00", (string?)lines[0].Attribute("stroke"));
        Assert.Equal("#56b4e9", (string?)lines[1].Attribute("stroke"));
        Assert.NotNull(lines[1].Attribute("stroke-dasharray"));
        Assert.Equal("Loss", doc.Root!.Element(Svg + "title")!.Value);
        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("step", texts);
        Assert.Contains("loss", texts);
        Assert.Contains("SGD", texts);
        Assert.Contains("Adam", texts);
    }

    [Fact]
    public void ScatterWithPerPointColours()
    {
        var chart = new Chart();
        ScatterSeries s = chart.AddScatter([0.0, 1, 2, 3], [0.0, 1, 4, 9], "points");
        s.PointColors = Palette.ForClasses([0, 1, 1, 0]);
        chart.AddScatter([1.0, 2], [2.0, 3]).Marker = MarkerShape.Diamond;
        chart.AddScatter([1.0, 2], [5.0, 6]).Marker = MarkerShape.Cross;
        XDocument doc = Parse(chart.ToSvg());
        var circles = doc.Descendants(Svg + "circle").Where(c => c.Attribute("fill") != null && c.Parent!.Name == Svg + "g" && c.Parent.Attribute("class") == null).ToList();
        Assert.Equal(["#e69f00", "#56b4e9", "#56b4e9", "#e69f00"], circles.Select(c => (string)c.Attribute("fill")!));
        Assert.Throws<ArgumentException>(() => s.PointColors = [Palette.Blue]);
    }

    [Fact]
    public void PathSeriesHasStartEndAndStepMarkers()
    {
        var chart = new Chart { IdPrefix = "demo" };
        chart.AddPath([-1.5, -1, 0, 0.5, 1], [2.0, 1, 0.2, 0.3, 1], "GD");
        XDocument doc = Parse(chart.ToSvg());
        XElement path = doc.Descendants(Svg + "path").Last(p => (string?)p.Attribute("class") == "traj");
        Assert.Equal("url(#demo-p0-s)", (string?)path.Attribute("marker-start"));
        Assert.Equal("url(#demo-p0-e)", (string?)path.Attribute("marker-end"));
        Assert.Equal("url(#demo-p0-m)", (string?)path.Attribute("marker-mid"));
        var markerIds = doc.Descendants(Svg + "marker").Select(m => (string)m.Attribute("id")!).ToList();
        Assert.Equal(["demo-p0-s", "demo-p0-e", "demo-p0-m"], markerIds);

        // One vertex per step, even for repeated points.
        Assert.Equal(5, Regex.Count((string)path.Attribute("d")!, "[ML]"));
    }

    [Fact]
    public void ContourChartIsWellFormedWithBandsLinesAndColorBar()
    {
        double[] xs = Grid.Linspace(-2, 2, 60), ys = Grid.Linspace(-1, 3, 60);
        double[,] z = Grid.Evaluate(xs, ys, (x, y) => Math.Pow(1 - x, 2) + (100 * Math.Pow(y - (x * x), 2)));
        var chart = new Chart();
        ContourSeries c = chart.AddContour(xs, ys, z);
        c.LogLevels = true;
        c.Label = "f";
        chart.AddPath([-1.5, 0, 1], [2.0, 0.5, 1]);
        XDocument doc = Parse(chart.ToSvg());
        XElement group = doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "contour");
        double[] levels = c.ResolveLevels();
        int bands = group.Elements(Svg + "path").Count();
        Assert.Equal(levels.Length + 1, bands);
        Assert.Equal(levels.Length, group.Element(Svg + "g")!.Elements(Svg + "path").Count());
        XElement bar = doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "colorbar");
        Assert.Equal(levels.Length + 2, bar.Descendants(Svg + "rect").Count()); // swatches + frame

        // Contours are drawn before (under) the path even though they were added first anyway.
        var order = doc.Descendants().Select(e => (string?)e.Attribute("class")).Where(k => k is "contour" or "traj").ToList();
        Assert.Equal("contour", order[0]);
    }

    [Fact]
    public void RegionsDrawOnePathPerClassUnderTheScatter()
    {
        double[] xs = Grid.Linspace(-1, 1, 30), ys = Grid.Linspace(-1, 1, 20);
        int[,] classes = Grid.Classify(xs, ys, (x, y) => x + y > 0 ? 1 : (x < -0.5 ? 2 : 0));
        var chart = new Chart();
        chart.AddScatter([0.5, -0.5], [0.5, -0.5]).PointColors = Palette.ForClasses([1, 0]);
        RegionSeries regions = chart.AddRegions(xs, ys, classes);
        XDocument doc = Parse(chart.ToSvg());
        XElement group = doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("shape-rendering") == "crispEdges" && g.Elements(Svg + "path").Any());
        var fills = group.Elements(Svg + "path").Select(p => (string)p.Attribute("fill")!).ToList();
        Assert.Equal(3, fills.Count);
        Assert.Equal(Palette.Get(2).Mix(Color.White, regions.Tint).ToHex(), fills[0]); // bottom-left cell is class 2
        int regionPos = doc.Descendants().ToList().IndexOf(group);
        int scatterPos = doc.Descendants().ToList().FindIndex(e => e.Name == Svg + "circle");
        Assert.True(regionPos < scatterPos, "regions are drawn beneath the scatter");
        Assert.Throws<ArgumentException>(() => new RegionSeries(xs, ys, new int[2, 2]));
    }

    [Fact]
    public void ReferenceLinesSpanThePlotWithLabels()
    {
        var chart = new Chart();
        chart.AddLine([0.0, 10], [0.0, 10]);
        chart.AddHorizontalLine(12, "target");
        chart.AddVerticalLine(5, "warm-up ends");
        XDocument doc = Parse(chart.ToSvg());
        var dashed = doc.Descendants(Svg + "line").Where(l => l.Attribute("stroke-dasharray") != null).ToList();
        Assert.Equal(2, dashed.Count);
        Assert.Equal((string?)dashed[0].Attribute("y1"), (string?)dashed[0].Attribute("y2"));
        Assert.Equal((string?)dashed[1].Attribute("x1"), (string?)dashed[1].Attribute("x2"));
        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("target", texts);
        Assert.Contains("warm-up ends", texts);
        Assert.Contains("12", texts); // the horizontal line widened the y axis to include 12
    }

    [Fact]
    public void NaNAndNonPositiveOnLogAxisLeaveGaps()
    {
        var chart = new Chart();
        chart.Y.Log = true;
        chart.AddLine([0.0, 1, 2, 3, 4, 5, 6], [1.0, 0.5, double.NaN, 0.2, 0, -1, 0.05]);
        chart.AddScatter([0.0, 1, 2], [1.0, double.NaN, -3]);
        string svg = chart.ToSvg();
        Assert.DoesNotContain("NaN", svg);
        Assert.DoesNotContain("Infinity", svg);
        XDocument doc = Parse(svg);
        string d = (string)doc.Descendants(Svg + "path").First(p => (string?)p.Attribute("fill") == "none").Attribute("d")!;
        Assert.Equal(3, Regex.Count(d, "M")); // [1, 0.5] | [0.2] | [0.05]
        Assert.Equal(4, Regex.Count(d, "[ML]"));
        Assert.Single(doc.Descendants(Svg + "circle"));
    }

    [Fact]
    public void TextIsEscaped()
    {
        string nasty = "a<b & \"c\" 'd' > e\u0001";
        var chart = new Chart { Title = nasty };
        chart.X.Label = nasty;
        chart.AddLine([0.0, 1], [0.0, 1], nasty);
        chart.AddHorizontalLine(0.5, nasty);
        string svg = chart.ToSvg();
        XDocument doc = Parse(svg);
        string clean = "a<b & \"c\" 'd' > e";
        Assert.Equal(clean, doc.Root!.Element(Svg + "title")!.Value);
        Assert.Equal(4, doc.Descendants(Svg + "text").Count(t => t.Value == clean)); // title, x label, legend, line label
        Assert.Contains("a&lt;b &amp; &quot;c&quot;", svg);
    }

    [Fact]
    public void OutputIsDeterministicAndCompact()
    {
        string a = Sample().ToSvg(), b = Sample().ToSvg();
        Assert.Equal(a, b);
        Chart c = Sample();
        Assert.Equal(c.ToSvg(), c.ToSvg());

        // Attribute numbers never carry more than two decimals.
        foreach (Match m in Regex.Matches(a, "\"[^\"]*\""))
        {
            Assert.DoesNotMatch(@"\d\.\d{3,}", m.Value);
        }

        Assert.DoesNotMatch(@"[ML]\s*\d+\.\d{3}", a);
    }

    [Fact]
    public void LongMonotonicSeriesIsDecimatedPerPixel()
    {
        int n = 100_000;
        var rng = new Random(5);
        double[] x = Range(n);
        double[] y = x.Select(v => Math.Exp(-v / 20000) + (0.1 * rng.NextDouble())).ToArray();
        var chart = new Chart { Width = 600, Height = 300 };
        chart.AddLine(x, y);
        string svg = chart.ToSvg();
        XDocument doc = Parse(svg);
        string d = (string)doc.Descendants(Svg + "path").First(p => (string?)p.Attribute("fill") == "none").Attribute("d")!;
        int vertices = Regex.Count(d, "[ML]");
        Assert.InRange(vertices, 600, 4 * 600);
        Assert.True(svg.Length < 120_000, $"svg is {svg.Length} chars");
    }

    [Fact]
    public void AutoLegendAvoidsTheData()
    {
        // A rising line fills the top-right and bottom-left corners.
        var chart = new Chart();
        double[] x = Range(100);
        chart.AddLine(x, x, "rising");
        chart.AddScatter(x, x, "points");
        XDocument doc = Parse(chart.ToSvg());
        XElement box = doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "legend").Element(Svg + "rect")!;
        double legendX = double.Parse((string)box.Attribute("x")!, System.Globalization.CultureInfo.InvariantCulture);
        double legendY = double.Parse((string)box.Attribute("y")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(legendX < chart.Width / 2.0, "legend moved to the left");
        Assert.True(legendY < chart.Height / 2.0, "legend stays at the top");

        chart.Legend = LegendPosition.None;
        Assert.DoesNotContain("class=\"legend\"", chart.ToSvg());
    }

    [Fact]
    public void AutoLegendMovesOutsideWhenEveryCornerIsBusy()
    {
        var rng = new Random(2);
        double[] x = Enumerable.Range(0, 3000).Select(_ => rng.NextDouble()).ToArray();
        double[] y = Enumerable.Range(0, 3000).Select(_ => rng.NextDouble()).ToArray();
        var chart = new Chart();
        chart.AddScatter(x, y, "uniform cloud");
        XDocument doc = Parse(chart.ToSvg());
        XElement frame = doc.Descendants(Svg + "rect").Single(r => (string?)r.Parent!.Attribute("stroke") == "#444" && (string?)r.Attribute("fill") == "none");
        double frameRight = Number(frame, "x") + Number(frame, "width");
        XElement box = doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "legend").Element(Svg + "rect")!;
        Assert.True(Number(box, "x") > frameRight, "legend sits right of the plot area");
        Assert.True(Number(box, "x") + Number(box, "width") <= chart.Width);
    }

    private static double Number(XElement e, string attribute) =>
        double.Parse((string)e.Attribute(attribute)!, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void ExplicitLimitsAreHonoured()
    {
        var chart = new Chart();
        chart.X.Min = 0;
        chart.X.Max = 50;
        chart.Y.Min = 0;
        chart.AddLine([-10.0, 100], [0.37, 2.31]);
        XDocument doc = Parse(chart.ToSvg());
        var labels = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("50", labels);
        Assert.DoesNotContain("100", labels);
        Assert.Contains("2.5", labels); // free upper y limit rounded outward
        Assert.Single(doc.Descendants(Svg + "clipPath"));
    }

    [Fact]
    public void LogAxisUsesSuperscriptsForSmallDecades()
    {
        var chart = new Chart();
        chart.Y.Log = true;
        chart.AddLine([0.0, 1, 2], [1e-6, 1e-3, 1]);
        XDocument doc = Parse(chart.ToSvg());
        var tspans = doc.Descendants(Svg + "tspan").Select(t => t.Value).ToList();
        Assert.Contains("\u22126", tspans);
        var labels = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("10\u22123", labels); // 10 with superscript −3, same style as 10⁻⁶
        Assert.Contains("100", labels);       // 10⁰
        Assert.DoesNotContain("0.001", labels);
    }

    [Fact]
    public void SaveWritesAtomically()
    {
        string dir = Path.Combine(Path.GetTempPath(), "descent-plot-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(dir, "sub", "chart.svg");
            Chart chart = Sample();
            chart.Save(path);
            chart.Save(path); // overwrite
            Assert.Equal(chart.ToSvg(), File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(Path.Combine(dir, "sub")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void DegenerateInputsStillRenderValidSvg()
    {
        double[] xs = Grid.Linspace(0, 1, 5);
        var flat = new Chart();
        ContourSeries constant = flat.AddContour(xs, xs, Grid.Evaluate(xs, xs, (_, _) => 2.0));
        Assert.Empty(constant.ResolveLevels());
        flat.AddPath([0.5], [0.5], "one step");
        flat.AddScatter([], [], "nothing");
        Parse(flat.ToSvg());

        var logOfNothing = new Chart();
        logOfNothing.X.Log = true;
        logOfNothing.Y.Log = true;
        logOfNothing.AddLine([-1.0, 0], [0.0, -5]);
        ContourSeries negative = logOfNothing.AddContour(xs, xs, Grid.Evaluate(xs, xs, (x, y) => -x - y));
        negative.LogLevels = true;
        string svg = logOfNothing.ToSvg();
        Parse(svg);
        Assert.DoesNotContain("NaN", svg);

        var onlyReference = new Chart();
        onlyReference.AddVerticalLine(3, "x = 3");
        Parse(onlyReference.ToSvg());
    }

    [Fact]
    public void EmptyChartStillRenders()
    {
        XDocument doc = Parse(new Chart().ToSvg());
        Assert.Contains("1", doc.Descendants(Svg + "text").Select(t => t.Value));
    }
}
