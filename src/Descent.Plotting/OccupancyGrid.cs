namespace Descent.Plotting;

/// <summary>
/// A coarse bitmap of where data is drawn inside the plot area, used to place the legend where it hides
/// the least. Cells are a few pixels wide, so marking and counting stay cheap for large series.
/// </summary>
internal sealed class OccupancyGrid
{
    private const double CellSize = 6;
    private readonly PlotArea area;
    private readonly int cols;
    private readonly int rows;
    private readonly bool[] cells;

    public OccupancyGrid(PlotArea area)
    {
        this.area = area;
        cols = Math.Max(1, (int)Math.Ceiling(area.Width / CellSize));
        rows = Math.Max(1, (int)Math.Ceiling(area.Height / CellSize));
        cells = new bool[cols * rows];
    }

    /// <summary>Marks the cell under pixel (x, y); points outside the plot area or NaN are ignored.</summary>
    public void Mark(double x, double y)
    {
        if (!(x >= area.Left && x <= area.Right && y >= area.Top && y <= area.Bottom))
        {
            return;
        }

        int c = Math.Min(cols - 1, (int)((x - area.Left) / CellSize));
        int r = Math.Min(rows - 1, (int)((y - area.Top) / CellSize));
        cells[(r * cols) + c] = true;
    }

    /// <summary>Marks the cells along a segment, sampled at half-cell spacing.</summary>
    public void MarkSegment(double x0, double y0, double x1, double y1)
    {
        if (!double.IsFinite(x0) || !double.IsFinite(y0) || !double.IsFinite(x1) || !double.IsFinite(y1))
        {
            return;
        }

        double length = Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0));
        int steps = Math.Min(4096, (int)(length / (CellSize / 2)) + 1);
        for (int i = 0; i <= steps; i++)
        {
            double t = (double)i / steps;
            Mark(x0 + ((x1 - x0) * t), y0 + ((y1 - y0) * t));
        }
    }

    /// <summary>Marked cells overlapping the pixel rectangle, and all cells it overlaps.</summary>
    public (int Marked, int Total) Count(double left, double top, double width, double height)
    {
        int c0 = Math.Max(0, (int)((left - area.Left) / CellSize));
        int c1 = Math.Min(cols - 1, (int)((left + width - area.Left) / CellSize));
        int r0 = Math.Max(0, (int)((top - area.Top) / CellSize));
        int r1 = Math.Min(rows - 1, (int)((top + height - area.Top) / CellSize));
        int count = 0;
        int total = Math.Max(0, r1 - r0 + 1) * Math.Max(0, c1 - c0 + 1);
        for (int r = r0; r <= r1; r++)
        {
            for (int c = c0; c <= c1; c++)
            {
                count += cells[(r * cols) + c] ? 1 : 0;
            }
        }

        return (count, total);
    }
}
