using System.Text;

namespace Descent.Plotting;

/// <summary>
/// Builds SVG path data ("M x y L x y … Z") in pixel coordinates. Vertices that round to the previous
/// one are dropped unless <see cref="KeepDuplicates"/> is set, which keeps dense series compact.
/// </summary>
internal sealed class PathData
{
    private readonly StringBuilder _sb = new(256);
    private double _lastX = double.NaN;
    private double _lastY = double.NaN;
    private bool _open;

    /// <summary>Keep vertices even when they round to the previous one (trajectories need one vertex per step).</summary>
    public bool KeepDuplicates { get; init; }

    /// <summary>True when nothing has been written.</summary>
    public bool IsEmpty => _sb.Length == 0;

    /// <summary>Starts a new sub-path at (x, y).</summary>
    public void MoveTo(double x, double y)
    {
        Command('M', x, y);
        _open = true;
    }

    /// <summary>Continues the sub-path to (x, y), or starts one if none is open.</summary>
    public void LineTo(double x, double y)
    {
        if (!_open)
        {
            MoveTo(x, y);
            return;
        }

        double rx = Math.Round(x, 2, MidpointRounding.AwayFromZero), ry = Math.Round(y, 2, MidpointRounding.AwayFromZero);
        if (!KeepDuplicates && rx == _lastX && ry == _lastY)
        {
            return;
        }

        Command('L', x, y);
    }

    /// <summary>Ends the current sub-path without closing it (the next point starts a new one).</summary>
    public void Break() => _open = false;

    /// <summary>Closes the current sub-path with Z.</summary>
    public void ClosePath()
    {
        if (_open)
        {
            _sb.Append('Z');
            _open = false;
        }
    }

    /// <summary>Appends an axis-aligned rectangle as a closed sub-path.</summary>
    public void Rect(double x0, double y0, double x1, double y1)
    {
        MoveTo(x0, y0);
        _sb.Append('H');
        NumberText.AppendCoord(_sb, x1);
        _sb.Append('V');
        NumberText.AppendCoord(_sb, y1);
        _sb.Append('H');
        NumberText.AppendCoord(_sb, x0);
        _sb.Append('Z');
        _open = false;
    }

    /// <summary>The path data text.</summary>
    public override string ToString() => _sb.ToString();

    private void Command(char c, double x, double y)
    {
        _sb.Append(c);
        NumberText.AppendCoord(_sb, x);
        _sb.Append(' ');
        NumberText.AppendCoord(_sb, y);
        _lastX = Math.Round(x, 2, MidpointRounding.AwayFromZero);
        _lastY = Math.Round(y, 2, MidpointRounding.AwayFromZero);
    }
}
