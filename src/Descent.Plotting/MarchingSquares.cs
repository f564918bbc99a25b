namespace Descent.Plotting;

/// <summary>
/// Marching squares on a rectilinear grid: iso-lines at a level, and the boundary of the region at or above
/// a level (for filled contours). <c>z[i, j]</c> is the value at (<c>xs[j]</c>, <c>ys[i]</c>): rows follow y.
/// </summary>
/// <remarks>
/// Segments are oriented with higher values on their left and joined through shared grid edges, so the
/// rings of <see cref="SuperlevelRegion"/> wind counter-clockwise around high areas and clockwise around
/// holes (for ascending xs and ys), which the SVG nonzero fill rule renders correctly in one path.
/// Saddle cells are resolved by the cell-centre average. NaN counts as below every level.
/// </remarks>
public static class MarchingSquares
{
    /// <summary>Iso-lines where z crosses <paramref name="level"/>: open polylines end on the grid border.</summary>
    public static IReadOnlyList<ContourPath> Isolines(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, double[,] z, double level)
    {
        Validate(xs, ys, z);
        var tracer = new IsoTracer(z, level);
        var result = new List<ContourPath>();
        foreach (IsoTracer.Chain chain in tracer.Chains())
        {
            result.Add(ToData(xs, ys, tracer, chain.Edges, chain.Closed));
        }

        return result;
    }

    /// <summary>Rings bounding the region where z ≥ <paramref name="level"/>, including stretches of the grid border.</summary>
    public static IReadOnlyList<ContourPath> SuperlevelRegion(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, double[,] z, double level)
    {
        Validate(xs, ys, z);
        var tracer = new IsoTracer(z, level);
        var result = new List<ContourPath>();
        foreach (List<double> ring in tracer.Rings())
        {
            int n = ring.Count / 2;
            var x = new double[n];
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = Interpolate(xs, ring[2 * i]);
                y[i] = Interpolate(ys, ring[(2 * i) + 1]);
            }

            result.Add(new ContourPath(x, y, true));
        }

        return result;
    }

    /// <summary>Coordinate at fractional grid index <paramref name="u"/> (linear between neighbouring grid lines).</summary>
    internal static double Interpolate(ReadOnlySpan<double> coords, double u)
    {
        int i = Math.Clamp((int)Math.Floor(u), 0, coords.Length - 2);
        double t = u - i;
        return t == 0 ? coords[i] : coords[i] + (t * (coords[i + 1] - coords[i]));
    }

    internal static void Validate(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, double[,] z)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.GetLength(0) != ys.Length || z.GetLength(1) != xs.Length)
        {
            throw new ArgumentException($"Grid is {z.GetLength(0)}×{z.GetLength(1)} but there are {ys.Length} y and {xs.Length} x coordinates (rows follow y).");
        }

        if (xs.Length < 2 || ys.Length < 2)
        {
            throw new ArgumentException("A contour grid needs at least 2×2 points.");
        }
    }

    private static ContourPath ToData(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, IsoTracer tracer, List<int> edges, bool closed)
    {
        var x = new double[edges.Count];
        var y = new double[edges.Count];
        for (int i = 0; i < edges.Count; i++)
        {
            (double u, double v) = tracer.Crossing(edges[i]);
            x[i] = Interpolate(xs, u);
            y[i] = Interpolate(ys, v);
        }

        return new ContourPath(x, y, closed);
    }
}
