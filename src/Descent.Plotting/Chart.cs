using Descent.IO;
namespace Descent.Plotting;

/// <summary>
/// A 2-D chart rendered to SVG: title, axes (linear or log, fixed or fitted limits), grid, legend and
/// any number of series. Area fills (contours, regions) are drawn first, then the other series in the
/// order they were added.
/// </summary>
/// <example>
/// <code>
/// var chart = new Chart { Title = "Training loss", Width = 720, Height = 420 };
/// chart.X.Label = "step";
/// chart.Y.Label = "loss";
/// chart.Y.Log = true;
/// chart.AddLine(steps, sgdLoss, "SGD");
/// chart.AddLine(steps, adamLoss, "Adam").Dash = LineDash.Dashed;
/// chart.Save("loss.svg");
/// </code>
/// </example>
public sealed class Chart
{
    private readonly List<Series> series = [];

    /// <summary>Title shown above the plot; null for none.</summary>
    public string? Title { get; set; }

    /// <summary>Width of the SVG in pixels.</summary>
    public int Width { get; set; } = 720;

    /// <summary>Height of the SVG in pixels.</summary>
    public int Height { get; set; } = 440;

    /// <summary>The horizontal axis.</summary>
    public Axis X { get; } = new();

    /// <summary>The vertical axis.</summary>
    public Axis Y { get; } = new();

    /// <summary>Legend placement.</summary>
    public LegendPosition Legend { get; set; } = LegendPosition.Auto;

    /// <summary>
    /// Prefix for element ids inside the SVG (clip paths, markers). Charts inlined in the same HTML page need
    /// distinct prefixes; <see cref="HtmlReport"/> assigns them itself.
    /// </summary>
    public string IdPrefix { get; set; } = "chart";

    /// <summary>The series, in the order they were added.</summary>
    public IReadOnlyList<Series> Series => series;

    /// <summary>Adds any series and returns it for further styling.</summary>
    public T Add<T>(T series)
        where T : Series
    {
        ArgumentNullException.ThrowIfNull(series);
        this.series.Add(series);
        return series;
    }

    /// <summary>Adds a line through (x, y).</summary>
    public LineSeries AddLine(ReadOnlySpan<double> x, ReadOnlySpan<double> y, string? label = null) =>
        Add(new LineSeries(x, y, label));

    /// <summary>Adds a line through (i, y[i]) for i = 0, 1, …; handy for per-step losses.</summary>
    public LineSeries AddLine(ReadOnlySpan<double> y, string? label = null)
    {
        var x = new double[y.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = i;
        }

        return Add(new LineSeries(x, y, label));
    }

    /// <summary>Adds markers at (x, y).</summary>
    public ScatterSeries AddScatter(ReadOnlySpan<double> x, ReadOnlySpan<double> y, string? label = null) =>
        Add(new ScatterSeries(x, y, label));

    /// <summary>Adds a 2-D trajectory with start and end markers.</summary>
    public PathSeries AddPath(ReadOnlySpan<double> x, ReadOnlySpan<double> y, string? label = null) =>
        Add(new PathSeries(x, y, label));

    /// <summary>Adds filled contours of <c>z[i, j]</c> sampled at (<c>xs[j]</c>, <c>ys[i]</c>).</summary>
    public ContourSeries AddContour(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, double[,] z) =>
        Add(new ContourSeries(xs, ys, z));

    /// <summary>Adds a decision-region fill of class ids <c>classes[i, j]</c> at (<c>xs[j]</c>, <c>ys[i]</c>).</summary>
    public RegionSeries AddRegions(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, int[,] classes) =>
        Add(new RegionSeries(xs, ys, classes));

    /// <summary>Adds a horizontal reference line at <paramref name="y"/>.</summary>
    public ReferenceLine AddHorizontalLine(double y, string? label = null) => Add(new ReferenceLine(y, vertical: false, label));

    /// <summary>Adds a vertical reference line at <paramref name="x"/>.</summary>
    public ReferenceLine AddVerticalLine(double x, string? label = null) => Add(new ReferenceLine(x, vertical: true, label));

    /// <summary>Renders the chart as a standalone SVG document. The same chart always gives the same bytes.</summary>
    public string ToSvg() => ChartRenderer.Render(this, IdPrefix);

    /// <summary>Writes <see cref="ToSvg()"/> to <paramref name="path"/> (UTF-8) atomically: a temporary file in the same folder, then a rename.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToSvg());

    /// <summary>Renders with a specific id prefix (used by <see cref="HtmlReport"/> to keep ids unique per page).</summary>
    internal string ToSvg(string idPrefix) => ChartRenderer.Render(this, idPrefix);
}
