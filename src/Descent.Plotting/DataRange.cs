namespace Descent.Plotting;

/// <summary>Running minimum and maximum of the drawable values on one axis.</summary>
internal struct DataRange
{
    public DataRange()
    {
    }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public readonly bool IsEmpty => Min > Max;

    /// <summary>Includes <paramref name="v"/> when it is finite and, on a log axis, positive.</summary>
    public void Include(double v, bool log)
    {
        if (double.IsFinite(v) && (!log || v > 0))
        {
            if (v < Min)
            {
                Min = v;
            }

            if (v > Max)
            {
                Max = v;
            }
        }
    }

    /// <summary>Includes every drawable value of <paramref name="values"/>.</summary>
    public void Include(ReadOnlySpan<double> values, bool log)
    {
        foreach (double v in values)
        {
            Include(v, log);
        }
    }
}
