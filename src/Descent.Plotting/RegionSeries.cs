namespace Descent.Plotting;

/// <summary>
/// A filled grid of class ids, e.g. a classifier's decision regions drawn under a scatter of the data.
/// <c>classes[i, j]</c> is the class at (<c>xs[j]</c>, <c>ys[i]</c>); each grid point fills the cell halfway to its
/// neighbours. Cells of one class are merged into horizontal runs and drawn as one path per class.
/// </summary>
public sealed class RegionSeries : Series
{
    private readonly double[] xs;
    private readonly double[] ys;
    private readonly int[,] classes;

    /// <summary>Creates a region fill; the data are copied. Coordinates must be strictly monotonic.</summary>
    public RegionSeries(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, int[,] classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.GetLength(0) != ys.Length || classes.GetLength(1) != xs.Length)
        {
            throw new ArgumentException($"Class grid is {classes.GetLength(0)}×{classes.GetLength(1)} but there are {ys.Length} y and {xs.Length} x coordinates (rows follow y).");
        }

        if (xs.Length < 2 || ys.Length < 2)
        {
            throw new ArgumentException("A region grid needs at least 2×2 points.");
        }

        this.xs = xs.ToArray();
        this.ys = ys.ToArray();
        this.classes = (int[,])classes.Clone();
    }

    /// <summary>Colour per class id (cycled); null uses <see cref="Palette"/>, matching <see cref="Palette.ForClasses"/> for scatter points.</summary>
    public IReadOnlyList<Color>? Colors { get; set; }

    /// <summary>How far each class colour is blended towards white, in [0, 1], so data drawn on top stays readable.</summary>
    public double Tint { get; set; } = 0.7;

    internal override bool IsBackground => true;

    internal override void IncludeBounds(ref DataRange x, ref DataRange y, bool logX, bool logY)
    {
        x.Include(OuterEdge(xs[0], xs[1], logX), logX);
        x.Include(OuterEdge(xs[^1], xs[^2], logX), logX);
        y.Include(OuterEdge(ys[0], ys[1], logY), logY);
        y.Include(OuterEdge(ys[^1], ys[^2], logY), logY);
    }

    internal override void Render(RenderContext ctx, Color color)
    {
        double[] ex = CellEdges(xs, ctx.X);
        double[] ey = CellEdges(ys, ctx.Y);
        int rows = ys.Length, cols = xs.Length;

        // One path per class, in order of first appearance, so output order is deterministic.
        var paths = new Dictionary<int, PathData>();
        var order = new List<int>();
        for (int r = 0; r < rows; r++)
        {
            if (double.IsNaN(ey[r]) || double.IsNaN(ey[r + 1]))
            {
                continue;
            }

            int c = 0;
            while (c < cols)
            {
                int id = classes[r, c];
                int end = c + 1;
                while (end < cols && classes[r, end] == id)
                {
                    end++;
                }

                if (!double.IsNaN(ex[c]) && !double.IsNaN(ex[end]))
                {
                    if (!paths.TryGetValue(id, out PathData? path))
                    {
                        path = new PathData();
                        paths[id] = path;
                        order.Add(id);
                    }

                    path.Rect(ex[c], ey[r], ex[end], ey[r + 1]);
                }

                c = end;
            }
        }

        SvgWriter w = ctx.Writer;

        // crispEdges avoids hairline seams between adjacent runs.
        w.Open("g").Attr("shape-rendering", "crispEdges").EndStart();
        foreach (int id in order)
        {
            w.Open("path").Attr("d", paths[id].ToString()).Attr("fill", ClassColor(id).Mix(Plotting.Color.White, Tint)).Close();
        }

        w.End("g");
    }

    private Color ClassColor(int id)
    {
        if (Colors is { Count: > 0 } colors)
        {
            return colors[((id % colors.Count) + colors.Count) % colors.Count];
        }

        return Palette.Get(id);
    }

    /// <summary>Pixel edges of the cells around each grid point: midpoints between neighbours, half a step beyond the ends.</summary>
    private static double[] CellEdges(double[] coords, Scale scale)
    {
        int n = coords.Length;
        var centres = new double[n];
        for (int i = 0; i < n; i++)
        {
            centres[i] = scale.Map(coords[i]);
        }

        var edges = new double[n + 1];
        for (int i = 1; i < n; i++)
        {
            edges[i] = (centres[i - 1] + centres[i]) / 2;
        }

        edges[0] = centres[0] - ((centres[1] - centres[0]) / 2);
        edges[n] = centres[n - 1] + ((centres[n - 1] - centres[n - 2]) / 2);
        return edges;
    }

    private static double OuterEdge(double end, double neighbour, bool log) =>
        log ? end * Math.Sqrt(end / neighbour) : end - ((neighbour - end) / 2);
}
