using System.Text;

namespace Descent.Plotting;

/// <summary>
/// Builds SVG path data ("M x y L x y … Z") in pixel coordinates. Vertices that round to the previous
/// one are dropped unless <see cref="KeepDuplicates"/> is set, which keeps dense series compact.
/// </summary>
internal sealed class PathData
{
    private readonly StringBuilder sb = new(256);
    private double lastX = double.NaN;
    private double lastY = double.NaN;
    private bool open;

    /// <summary>Keep vertices even when they round to the previous one (trajectories need one vertex per step).</summary>
    public bool KeepDuplicates { get; init; }

    /// <summary>True when nothing has been written.</summary>
    public bool IsEmpty => sb.Length == 0;

    /// <summary>Starts a new sub-path at (x, y).</summary>
    public void MoveTo(double x, double y)
    {
        Command('M', x, y);
        open = true;
    }

    /// <summary>Continues the sub-path to (x, y), or starts one if none is open.</summary>
    public void LineTo(double x, double y)
    {
        if (!open)
        {
            MoveTo(x, y);
            return;
        }

        double rx = Math.Round(x, 2, MidpointRounding.AwayFromZero), ry = Math.Round(y, 2, MidpointRounding.AwayFromZero);
        if (!KeepDuplicates && rx == lastX && ry == lastY)
        {
            return;
        }

        Command('L', x, y);
    }

    /// <summary>Ends the current sub-path without closing it (the next point starts a new one).</summary>
    public void Break() => open = false;

    /// <summary>Closes the current sub-path with Z.</summary>
    public void ClosePath()
    {
        if (open)
        {
            sb.Append('Z');
            open = false;
        }
    }

    /// <summary>Appends an axis-aligned rectangle as a closed sub-path.</summary>
    public void Rect(double x0, double y0, double x1, double y1)
    {
        MoveTo(x0, y0);
        sb.Append('H');
        NumberText.AppendCoord(sb, x1);
        sb.Append('V');
        NumberText.AppendCoord(sb, y1);
        sb.Append('H');
        NumberText.AppendCoord(sb, x0);
        sb.Append('Z');
        open = false;
    }

    /// <summary>The path data text.</summary>
    public override string ToString() => sb.ToString();

    private void Command(char c, double x, double y)
    {
        sb.Append(c);
        NumberText.AppendCoord(sb, x);
        sb.Append(' ');
        NumberText.AppendCoord(sb, y);
        lastX = Math.Round(x, 2, MidpointRounding.AwayFromZero);
        lastY = Math.Round(y, 2, MidpointRounding.AwayFromZero);
    }
}
