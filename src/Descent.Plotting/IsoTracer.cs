namespace Descent.Plotting;

/// <summary>
/// Index-space marching squares for one level. Crossing points are identified by the grid edge they lie on
/// (one crossing per edge per level), which makes joining segments exact: no floating-point matching.
/// Coordinates are fractional (column, row) indices.
/// </summary>
internal sealed class IsoTracer
{
    private readonly double[,] z;
    private readonly int rows;
    private readonly int cols;
    private readonly double level;
    private readonly int horizontalCount;
    private readonly int[] next;
    private readonly bool[] hasIncoming;

    public IsoTracer(double[,] z, double level)
    {
        this.z = z;
        rows = z.GetLength(0);
        cols = z.GetLength(1);
        this.level = level;
        horizontalCount = rows * (cols - 1);
        int edgeCount = horizontalCount + ((rows - 1) * cols);
        next = new int[edgeCount];
        hasIncoming = new bool[edgeCount];
        Array.Fill(next, -1);
        if (rows >= 2 && cols >= 2)
        {
            BuildSegments();
        }
    }

    /// <summary>A joined chain of crossings (edge ids), open (border to border) or closed.</summary>
    public readonly record struct Chain(List<int> Edges, bool Closed);

    /// <summary>The crossing point on an edge, in fractional (column, row) index coordinates.</summary>
    public (double U, double V) Crossing(int edge)
    {
        if (edge < horizontalCount)
        {
            int r = edge / (cols - 1), c = edge % (cols - 1);
            return (c + Fraction(z[r, c], z[r, c + 1]), r);
        }

        int e = edge - horizontalCount;
        int row = e / cols, col = e % cols;
        return (col, row + Fraction(z[row, col], z[row + 1, col]));
    }

    /// <summary>All iso-line chains: open ones first, in border order, then closed loops in edge order.</summary>
    public List<Chain> Chains()
    {
        var chains = new List<Chain>();
        var visited = new bool[next.Length];
        foreach (int start in BorderEdges())
        {
            if (next[start] >= 0 && !hasIncoming[start])
            {
                chains.Add(new Chain(Follow(start, visited), false));
            }
        }

        for (int e = 0; e < next.Length; e++)
        {
            if (next[e] >= 0 && !visited[e])
            {
                chains.Add(new Chain(Follow(e, visited), true));
            }
        }

        return chains;
    }

    /// <summary>Rings (interleaved u, v) bounding the region z ≥ level, high side on the left.</summary>
    public List<List<double>> Rings()
    {
        var rings = new List<List<double>>();
        List<int> border = BorderEdges();
        var borderPos = new Dictionary<int, int>(border.Count);
        for (int i = 0; i < border.Count; i++)
        {
            borderPos[border[i]] = i;
        }

        var openByStart = new Dictionary<int, List<int>>();
        var closed = new List<List<int>>();
        foreach (Chain chain in Chains())
        {
            if (chain.Closed)
            {
                closed.Add(chain.Edges);
            }
            else
            {
                openByStart[borderPos[chain.Edges[0]]] = chain.Edges;
            }
        }

        if (openByStart.Count == 0)
        {
            // No line reaches the border: the border is entirely high or entirely low.
            if (IsHigh(z[0, 0]))
            {
                rings.Add([0, 0, cols - 1, 0, cols - 1, rows - 1, 0, rows - 1]);
            }
        }
        else
        {
            var used = new HashSet<int>();
            for (int p = 0; p < border.Count; p++)
            {
                if (!openByStart.ContainsKey(p) || used.Contains(p))
                {
                    continue;
                }

                var ring = new List<double>();
                int startPos = p;
                do
                {
                    used.Add(startPos);
                    List<int> edges = openByStart[startPos];
                    AppendCrossings(ring, edges);

                    // Walk the border counter-clockwise (it is high here) to the next line that enters.
                    int q = borderPos[edges[^1]];
                    do
                    {
                        q = (q + 1) % border.Count;
                        (double u, double v) = BorderStartCorner(border[q]);
                        ring.Add(u);
                        ring.Add(v);
                    }
                    while (!openByStart.ContainsKey(q));

                    startPos = q;
                }
                while (startPos != p);

                rings.Add(ring);
            }
        }

        foreach (List<int> loop in closed)
        {
            var ring = new List<double>(loop.Count * 2);
            AppendCrossings(ring, loop);
            rings.Add(ring);
        }

        return rings;
    }

    private void AppendCrossings(List<double> ring, List<int> edges)
    {
        foreach (int e in edges)
        {
            (double u, double v) = Crossing(e);
            ring.Add(u);
            ring.Add(v);
        }
    }

    private List<int> Follow(int start, bool[] visited)
    {
        var edges = new List<int>();
        int e = start;
        while (e >= 0 && !visited[e])
        {
            visited[e] = true;
            edges.Add(e);
            e = next[e];
        }

        return edges;
    }

    private void BuildSegments()
    {
        Span<int> edge = stackalloc int[4];
        Span<bool> high = stackalloc bool[4];
        for (int r = 0; r < rows - 1; r++)
        {
            for (int c = 0; c < cols - 1; c++)
            {
                // Corners and edges counter-clockwise from bottom-left; edge k joins corner k to corner k+1.
                double bl = z[r, c], br = z[r, c + 1], tr = z[r + 1, c + 1], tl = z[r + 1, c];
                high[0] = IsHigh(bl);
                high[1] = IsHigh(br);
                high[2] = IsHigh(tr);
                high[3] = IsHigh(tl);
                int crossings = 0;
                for (int k = 0; k < 4; k++)
                {
                    crossings += high[k] != high[(k + 1) & 3] ? 1 : 0;
                }

                if (crossings == 0)
                {
                    continue;
                }

                edge[0] = HorizontalEdge(r, c);
                edge[1] = VerticalEdge(r, c + 1);
                edge[2] = HorizontalEdge(r + 1, c);
                edge[3] = VerticalEdge(r, c);
                bool centreHigh = IsHigh((bl + br + tr + tl) / 4);
                for (int k = 0; k < 4; k++)
                {
                    if (!high[k] || high[(k + 1) & 3])
                    {
                        continue;
                    }

                    // Leaving the high corner k: join the crossing where the walk re-enters high ground,
                    // with the high side on the left. Only saddles (4 crossings) need the centre to decide.
                    int partner;
                    if (crossings == 2)
                    {
                        partner = (k + 1) & 3;
                        while (high[partner] || !high[(partner + 1) & 3])
                        {
                            partner = (partner + 1) & 3;
                        }
                    }
                    else
                    {
                        partner = centreHigh ? (k + 1) & 3 : (k + 3) & 3;
                    }

                    next[edge[k]] = edge[partner];
                    hasIncoming[edge[partner]] = true;
                }
            }
        }
    }

    /// <summary>Border edges in counter-clockwise order: bottom (left→right), right (up), top (right→left), left (down).</summary>
    private List<int> BorderEdges()
    {
        var border = new List<int>(2 * (rows + cols));
        for (int c = 0; c < cols - 1; c++)
        {
            border.Add(HorizontalEdge(0, c));
        }

        for (int r = 0; r < rows - 1; r++)
        {
            border.Add(VerticalEdge(r, cols - 1));
        }

        for (int c = cols - 2; c >= 0; c--)
        {
            border.Add(HorizontalEdge(rows - 1, c));
        }

        for (int r = rows - 2; r >= 0; r--)
        {
            border.Add(VerticalEdge(r, 0));
        }

        return border;
    }

    /// <summary>The grid corner where a border edge begins when walking the border counter-clockwise.</summary>
    private (double U, double V) BorderStartCorner(int edge)
    {
        if (edge < horizontalCount)
        {
            int r = edge / (cols - 1), c = edge % (cols - 1);
            return r == 0 ? (c, 0) : (c + 1, r);
        }

        int e = edge - horizontalCount;
        int row = e / cols, col = e % cols;
        return col == cols - 1 ? (col, row) : (col, row + 1);
    }

    private int HorizontalEdge(int r, int c) => (r * (cols - 1)) + c;

    private int VerticalEdge(int r, int c) => horizontalCount + (r * cols) + c;

    private bool IsHigh(double v) => v >= level;

    private double Fraction(double a, double b)
    {
        if (!double.IsFinite(a) || !double.IsFinite(b) || a == b)
        {
            return 0.5;
        }

        return Math.Clamp((level - a) / (b - a), 0, 1);
    }
}
