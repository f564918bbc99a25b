namespace Descent.Plotting;

/// <summary>Settings for one chart axis.</summary>
public sealed class Axis
{
    /// <summary>Axis title, e.g. "step" or "loss".</summary>
    public string? Label { get; set; }

    /// <summary>Use a log10 scale; non-positive values are then not drawn.</summary>
    public bool Log { get; set; }

    /// <summary>
    /// Fixed lower limit; null fits the data. When both limits are null the axis is widened to the
    /// nearest round ticks (whole decades on a log axis).
    /// </summary>
    public double? Min { get; set; }

    /// <summary>Fixed upper limit; null fits the data.</summary>
    public double? Max { get; set; }

    /// <summary>Draw grid lines at the ticks.</summary>
    public bool Grid { get; set; } = true;

    /// <summary>
    /// Ticks and limits for data spanning <paramref name="range"/>, honouring <see cref="Min"/>, <see cref="Max"/> and
    /// <see cref="Log"/>. With <paramref name="tight"/> (charts with grid fills) free limits hug the data
    /// instead of widening to round ticks, so the fill reaches the frame.
    /// </summary>
    internal TickSet ComputeTicks(DataRange range, bool tight)
    {
        double? min = Log && Min <= 0 ? null : Min;
        double? max = Log && Max <= 0 ? null : Max;
        if (min is double a && max is double b)
        {
            return Log ? Ticks.Log(a, b, expand: false) : Ticks.Linear(a, b, expand: false);
        }

        double lo = range.IsEmpty ? double.NaN : range.Min;
        double hi = range.IsEmpty ? double.NaN : range.Max;
        if (min is null && max is null)
        {
            return Log ? Ticks.Log(lo, hi, expand: !tight) : Ticks.Linear(lo, hi, expand: !tight);
        }

        // One fixed end: round the free end outward as usual, then place ticks inside the final limits.
        TickSet fitted = Log ? Ticks.Log(min ?? lo, max ?? hi) : Ticks.Linear(min ?? lo, max ?? hi);
        double finalMin = min ?? fitted.Min, finalMax = max ?? fitted.Max;
        return Log ? Ticks.Log(finalMin, finalMax, expand: false) : Ticks.Linear(finalMin, finalMax, expand: false);
    }
}
