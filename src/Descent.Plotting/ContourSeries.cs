namespace Descent.Plotting;

/// <summary>
/// Filled contours of a function sampled on a grid (<c>z[i, j]</c> at (<c>xs[j]</c>, <c>ys[i]</c>), rows follow y),
/// computed by <see cref="MarchingSquares"/>. Each level's region z ≥ level is drawn as one path over the
/// previous one, so neighbouring bands share exact edges. NaN values count as below every level.
/// </summary>
public sealed class ContourSeries : Series
{
    private readonly double[] xs;
    private readonly double[] ys;
    private readonly double[,] z;
    private double[]? levels;

    /// <summary>Creates a contour series; the data are copied.</summary>
    public ContourSeries(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, double[,] z)
    {
        MarchingSquares.Validate(xs, ys, z);
        this.xs = xs.ToArray();
        this.ys = ys.ToArray();
        this.z = (double[,])z.Clone();
    }

    /// <summary>Explicit levels (sorted and de-duplicated when used); null chooses them automatically.</summary>
    public IReadOnlyList<double>? Levels
    {
        get => levels;
        set => levels = value is null ? null : [.. value];
    }

    /// <summary>Approximate number of automatic levels.</summary>
    public int LevelCount { get; set; } = 10;

    /// <summary>Space automatic levels logarithmically (1-2-5 or 1-3 per decade), for values spanning decades such as Rosenbrock.</summary>
    public bool LogLevels { get; set; }

    /// <summary>Colour map for the bands, from the lowest band (0) to the highest (1).</summary>
    public Colormap Colormap { get; set; } = Colormap.Viridis;

    /// <summary>Draw thin iso-lines on the band edges.</summary>
    public bool ShowLines { get; set; } = true;

    /// <summary>Iso-line colour.</summary>
    public Color LineColor { get; set; } = Color.White;

    /// <summary>Iso-line opacity in [0, 1].</summary>
    public double LineOpacity { get; set; } = 0.45;

    /// <summary>Show a colour bar with the levels to the right of the plot (the series label is its title).</summary>
    public bool ShowColorBar { get; set; } = true;

    /// <summary>The levels that will be drawn: the explicit ones, or automatic ones from the finite data.</summary>
    public double[] ResolveLevels()
    {
        if (levels != null)
        {
            var explicitLevels = new SortedSet<double>();
            foreach (double v in levels)
            {
                if (double.IsFinite(v))
                {
                    explicitLevels.Add(v);
                }
            }

            return [.. explicitLevels];
        }

        double min = double.PositiveInfinity, max = double.NegativeInfinity, minPositive = double.PositiveInfinity;
        foreach (double v in z)
        {
            if (double.IsFinite(v))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                if (v > 0)
                {
                    minPositive = Math.Min(minPositive, v);
                }
            }
        }

        int count = Math.Max(1, LevelCount);
        return LogLevels ? ContourLevels.Log(minPositive, max, count) : ContourLevels.Linear(min, max, count);
    }

    /// <summary>Colour of band <paramref name="band"/> of <paramref name="bandCount"/> (band 0 lies below the first level).</summary>
    internal Color BandColor(int band, int bandCount) => Colormap.At(bandCount <= 1 ? 0 : (double)band / (bandCount - 1));

    internal override bool IsBackground => true;

    internal override void IncludeBounds(ref DataRange x, ref DataRange y, bool logX, bool logY)
    {
        x.Include(xs, logX);
        y.Include(ys, logY);
    }

    internal override void Render(RenderContext ctx, Color color)
    {
        double[] levels = ResolveLevels();
        int bands = levels.Length + 1;
        SvgWriter w = ctx.Writer;
        w.Open("g").Attr("class", "contour").EndStart();

        var baseBand = new PathData();
        baseBand.Rect(ctx.X.Map(xs[0]), ctx.Y.Map(ys[0]), ctx.X.Map(xs[^1]), ctx.Y.Map(ys[^1]));
        w.Open("path").Attr("d", baseBand.ToString()).Attr("fill", BandColor(0, bands)).Close();
        for (int k = 0; k < levels.Length; k++)
        {
            string d = ToPathData(ctx, MarchingSquares.SuperlevelRegion(xs, ys, z, levels[k]), closed: true);
            if (d.Length > 0)
            {
                w.Open("path").Attr("d", d).Attr("fill", BandColor(k + 1, bands)).Close();
            }
        }

        if (ShowLines)
        {
            w.Open("g").Attr("fill", "none").Attr("stroke", LineColor).Attr("stroke-width", 0.6)
                .Attr("stroke-opacity", Math.Clamp(LineOpacity, 0, 1)).EndStart();
            foreach (double level in levels)
            {
                string d = ToPathData(ctx, MarchingSquares.Isolines(xs, ys, z, level), closed: false);
                if (d.Length > 0)
                {
                    w.Open("path").Attr("d", d).Close();
                }
            }

            w.End("g");
        }

        w.End("g");
    }

    private static string ToPathData(RenderContext ctx, IReadOnlyList<ContourPath> paths, bool closed)
    {
        var d = new PathData();
        foreach (ContourPath p in paths)
        {
            d.Break();
            for (int i = 0; i < p.Count; i++)
            {
                double px = ctx.X.Map(p.X[i]), py = ctx.Y.Map(p.Y[i]);
                if (double.IsNaN(px) || double.IsNaN(py))
                {
                    d.Break();
                    continue;
                }

                d.LineTo(px, py);
            }

            if (closed || p.Closed)
            {
                d.ClosePath();
            }
        }

        return d.ToString();
    }
}
