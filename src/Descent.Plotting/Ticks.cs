namespace Descent.Plotting;

/// <summary>
/// "Nice" tick generation: 1, 2 or 5 × 10^k steps on linear axes (4–8 ticks), decades on log axes.
/// Labels are built from integer mantissas, so they never show float noise such as 0.30000000000000004.
/// </summary>
public static class Ticks
{
    private const double Eps = 1e-12;
    private static readonly int[] Mantissas = [1, 2, 5];

    /// <summary>Linear ticks for the finite values in <paramref name="values"/> (NaN and ±∞ are skipped), expanded to cover them.</summary>
    public static TickSet Linear(ReadOnlySpan<double> values)
    {
        (double min, double max) = FiniteRange(values, positiveOnly: false);
        return Linear(min, max);
    }

    /// <summary>Log10 ticks for the finite positive values in <paramref name="values"/> (others are skipped), expanded to whole decades.</summary>
    public static TickSet Log(ReadOnlySpan<double> values)
    {
        (double min, double max) = FiniteRange(values, positiveOnly: true);
        return Log(min, max);
    }

    /// <summary>
    /// Linear ticks for [<paramref name="min"/>, <paramref name="max"/>]. With <paramref name="expand"/> the axis
    /// grows outward to the nearest ticks so every value is covered; without it the limits are kept and
    /// ticks are placed inside. Degenerate ranges (equal ends, NaN, ±∞) are widened around the value.
    /// </summary>
    public static TickSet Linear(double min, double max, bool expand = true)
    {
        (min, max) = Sanitize(min, max);
        if (max - min <= Math.Max(Math.Abs(min), Math.Abs(max)) * 1e-12)
        {
            double half = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = (min - half, min + half);
            expand = true;
        }

        double span = max - min;
        int baseExp = (int)Math.Floor(Math.Log10(span));
        Candidate best = default;
        double bestScore = double.PositiveInfinity;
        for (int k = baseExp - 2; k <= baseExp + 1; k++)
        {
            foreach (int m in Mantissas)
            {
                double step = NumberText.Scaled(m, k);
                double qMin = min / step, qMax = max / step;
                double lo = expand ? Math.Floor(qMin + Tolerance(qMin)) : Math.Ceiling(qMin - Tolerance(qMin));
                double hi = expand ? Math.Ceiling(qMax - Tolerance(qMax)) : Math.Floor(qMax + Tolerance(qMax));
                if (Math.Abs(lo) > 1e15 || Math.Abs(hi) > 1e15)
                {
                    continue;
                }

                int count = (int)(hi - lo) + 1;
                if (count < 2)
                {
                    continue;
                }

                // Prefer 4–8 ticks; among those, the least wasted axis, then about six ticks.
                double score = count is >= 4 and <= 8 ? 0 : 100 + Math.Abs(count - 6);
                score += 0.01 * Math.Abs(count - 6);
                if (expand)
                {
                    score += (((hi - lo) * step) / span) - 1;
                }

                if (score < bestScore)
                {
                    bestScore = score;
                    best = new Candidate(m, k, (long)lo, (long)hi);
                }
            }
        }

        var ticks = new List<Tick>(best.Hi - best.Lo + 1 > 0 ? (int)(best.Hi - best.Lo + 1) : 0);
        double maxAbs = Math.Max(Math.Abs(NumberText.Scaled(best.Lo * best.M, best.K)), Math.Abs(NumberText.Scaled(best.Hi * best.M, best.K)));
        bool scientific = maxAbs >= 1e6 || maxAbs < 1e-3;
        for (long i = best.Lo; i <= best.Hi; i++)
        {
            long n = i * best.M;
            string label = scientific ? NumberText.Scientific(n, best.K) : NumberText.Decimal(n, best.K);
            ticks.Add(new Tick(NumberText.Scaled(n, best.K), label, true));
        }

        return expand
            ? new TickSet(ticks[0].Value, ticks[^1].Value, ticks)
            : new TickSet(min, max, ticks);
    }

    /// <summary>
    /// Log10 ticks for [<paramref name="min"/>, <paramref name="max"/>]: labelled decades (every 2nd, 5th … decade on
    /// very wide ranges), plus labelled 2 and 5 minor ticks when the axis spans at most two decades and
    /// unlabelled 2–9 minor ticks on wider ones. Labels are plain decimals within [0.001, 10000], otherwise
    /// all in "1e-5" form. Non-positive or non-finite limits are ignored.
    /// </summary>
    public static TickSet Log(double min, double max, bool expand = true)
    {
        if (!(min > 0) || !double.IsFinite(min))
        {
            min = double.NaN;
        }

        if (!(max > 0) || !double.IsFinite(max))
        {
            max = double.NaN;
        }

        (min, max) = Sanitize(min, max, fallbackMin: 1, fallbackMax: 10);
        if (max / min < 1 + 1e-9)
        {
            (min, max) = (min / Math.Sqrt(10), max * Math.Sqrt(10));
            expand = true;
        }

        double lo = Math.Log10(min), hi = Math.Log10(max);
        int eLo = expand ? (int)Math.Floor(lo + Eps) : (int)Math.Ceiling(lo - Eps);
        int eHi = expand ? (int)Math.Ceiling(hi - Eps) : (int)Math.Floor(hi + Eps);

        // Widen the decade stride on very wide ranges so at most eight decades are labelled.
        int stride = 1;
        foreach (int s in (int[])[1, 2, 3, 5, 10, 20, 50, 100])
        {
            stride = s;
            int first = expand ? FloorDiv(eLo, s) * s : CeilDiv(eLo, s) * s;
            int last = expand ? CeilDiv(eHi, s) * s : FloorDiv(eHi, s) * s;
            if ((last - first) / s + 1 <= 8)
            {
                (eLo, eHi) = (first, last);
                break;
            }
        }

        double axisMin = expand ? NumberText.Pow10(eLo) : min;
        double axisMax = expand ? NumberText.Pow10(eHi) : max;
        double decades = Math.Log10(axisMax / axisMin);
        bool labelMinors = decades <= 2 + Eps;
        bool unlabelledMinors = !labelMinors && stride == 1 && decades <= 10;

        // Like matplotlib: once any decade needs an exponent, every label uses one, for a uniform axis.
        bool scientific = Math.Log10(axisMin) < -3 - Eps || Math.Log10(axisMax) > 4 + Eps;
        var ticks = new List<Tick>();
        for (int e = (int)Math.Floor(Math.Log10(axisMin) + Eps); e <= (int)Math.Ceiling(Math.Log10(axisMax) - Eps); e++)
        {
            for (int m = 1; m <= 9; m++)
            {
                bool major = m == 1 && e % stride == 0;
                bool labelledMinor = labelMinors && (m == 2 || m == 5);
                if (!major && !labelledMinor && !(unlabelledMinors && m > 1))
                {
                    continue;
                }

                double v = NumberText.Scaled(m, e);
                if (v < axisMin * (1 - Eps) || v > axisMax * (1 + Eps))
                {
                    continue;
                }

                string label = !major && !labelledMinor ? "" : scientific ? NumberText.Scientific(m, e) : NumberText.Decimal(m, e);
                ticks.Add(new Tick(v, label, major));
            }
        }

        int labelled = 0;
        foreach (Tick t in ticks)
        {
            labelled += t.Label.Length > 0 ? 1 : 0;
        }

        // A narrow fixed range may contain no decade at all: fall back to linear ticks inside it.
        return labelled >= 2 ? new TickSet(axisMin, axisMax, ticks) : Linear(min, max, expand: false);
    }

    /// <summary>
    /// Slack for rounding noise in value/step quotients (0.3 / 0.1 = 2.9999999999999996): a few ulps of the
    /// quotient, never so much that data a visible fraction of a step outside would be left uncovered.
    /// </summary>
    private static double Tolerance(double quotient) => Math.Max(1e-12, Math.Abs(quotient) * 1e-15);

    private static (double Min, double Max) Sanitize(double min, double max, double fallbackMin = 0, double fallbackMax = 1)
    {
        bool okMin = double.IsFinite(min), okMax = double.IsFinite(max);
        if (!okMin && !okMax)
        {
            return (fallbackMin, fallbackMax);
        }

        if (!okMin)
        {
            min = max;
        }
        else if (!okMax)
        {
            max = min;
        }

        return min <= max ? (min, max) : (max, min);
    }

    private static (double Min, double Max) FiniteRange(ReadOnlySpan<double> values, bool positiveOnly)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsFinite(v) && (!positiveOnly || v > 0))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        return min <= max ? (min, max) : (double.NaN, double.NaN);
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);

    private static int CeilDiv(int a, int b) => (int)Math.Ceiling((double)a / b);

    private readonly record struct Candidate(int M, int K, long Lo, long Hi);
}
