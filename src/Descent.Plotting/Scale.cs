namespace Descent.Plotting;

/// <summary>
/// Maps data values to pixels and back, linearly or logarithmically. The range may be inverted
/// (e.g. a y axis from the bottom pixel to the top pixel).
/// </summary>
public sealed class Scale
{
    private readonly double t0;
    private readonly double factor;

    private Scale(bool isLog, double domainMin, double domainMax, double rangeMin, double rangeMax)
    {
        if (!double.IsFinite(domainMin) || !double.IsFinite(domainMax) || !double.IsFinite(rangeMin) || !double.IsFinite(rangeMax))
        {
            throw new ArgumentException("Scale domain and range must be finite.");
        }

        if (isLog && (domainMin <= 0 || domainMax <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(domainMin), "A log scale needs a positive domain.");
        }

        IsLog = isLog;
        DomainMin = domainMin;
        DomainMax = domainMax;
        RangeMin = rangeMin;
        RangeMax = rangeMax;
        t0 = Transform(domainMin);
        double t1 = Transform(domainMax);

        // A zero-width domain maps everything to the middle of the range instead of dividing by zero.
        factor = t1 == t0 ? 0 : (rangeMax - rangeMin) / (t1 - t0);
    }

    /// <summary>True for a log10 scale.</summary>
    public bool IsLog { get; }

    /// <summary>Data value mapped to <see cref="RangeMin"/>.</summary>
    public double DomainMin { get; }

    /// <summary>Data value mapped to <see cref="RangeMax"/>.</summary>
    public double DomainMax { get; }

    /// <summary>Pixel position of <see cref="DomainMin"/>.</summary>
    public double RangeMin { get; }

    /// <summary>Pixel position of <see cref="DomainMax"/>.</summary>
    public double RangeMax { get; }

    /// <summary>A linear scale taking [domainMin, domainMax] onto [rangeMin, rangeMax].</summary>
    public static Scale Linear(double domainMin, double domainMax, double rangeMin, double rangeMax) =>
        new(false, domainMin, domainMax, rangeMin, rangeMax);

    /// <summary>A log10 scale taking [domainMin, domainMax] (both positive) onto [rangeMin, rangeMax].</summary>
    public static Scale Log(double domainMin, double domainMax, double rangeMin, double rangeMax) =>
        new(true, domainMin, domainMax, rangeMin, rangeMax);

    /// <summary>True when <paramref name="value"/> can be drawn: finite, and positive on a log scale.</summary>
    public bool CanMap(double value) => double.IsFinite(value) && (!IsLog || value > 0);

    /// <summary>Pixel position of <paramref name="value"/> (extrapolated outside the domain); NaN when <see cref="CanMap"/> is false.</summary>
    public double Map(double value)
    {
        if (!CanMap(value))
        {
            return double.NaN;
        }

        return factor == 0 ? (RangeMin + RangeMax) / 2 : RangeMin + ((Transform(value) - t0) * factor);
    }

    /// <summary>Data value at pixel position <paramref name="pixel"/>; the inverse of <see cref="Map"/>.</summary>
    public double Invert(double pixel)
    {
        if (factor == 0)
        {
            return DomainMin;
        }

        double t = t0 + ((pixel - RangeMin) / factor);
        return IsLog ? Math.Pow(10, t) : t;
    }

    private double Transform(double v) => IsLog ? Math.Log10(v) : v;
}
