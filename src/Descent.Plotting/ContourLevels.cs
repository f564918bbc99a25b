namespace Descent.Plotting;

/// <summary>Automatic contour levels: round numbers, evenly spaced or log-spaced.</summary>
public static class ContourLevels
{
    /// <summary>
    /// About <paramref name="count"/> evenly spaced round levels (1, 2 or 5 × 10^k apart) strictly inside
    /// (<paramref name="min"/>, <paramref name="max"/>).
    /// </summary>
    public static double[] Linear(double min, double max, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(max > min) || !double.IsFinite(min) || !double.IsFinite(max))
        {
            return [];
        }

        double raw = (max - min) / (count + 1);
        int k = (int)Math.Floor(Math.Log10(raw));
        // Prefer the candidate step whose level count is closest to the request.
        long best = 1;
        int bestDiff = int.MaxValue;
        foreach (long m in (long[])[1, 2, 5, 10, 20])
        {
            int n = Collect(min, max, m, k, null);
            int diff = Math.Abs(n - count);
            if (n > 0 && diff < bestDiff)
            {
                bestDiff = diff;
                best = m;
            }
        }

        var levels = new List<double>();
        Collect(min, max, best, k, levels);
        return [.. levels];
    }

    /// <summary>
    /// About <paramref name="count"/> log-spaced round levels strictly inside (<paramref name="min"/>, <paramref name="max"/>):
    /// 1-2-5, 1-3 or 1 per decade, or every n-th decade, whichever count is closest. For surfaces like
    /// Rosenbrock whose values span many decades. A non-positive <paramref name="min"/> is raised to
    /// <paramref name="max"/> × 1e-8.
    /// </summary>
    public static double[] Log(double min, double max, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(max > 0) || !double.IsFinite(max))
        {
            return [];
        }

        if (!(min > 0) || !double.IsFinite(min) || min < max * 1e-8)
        {
            min = max * 1e-8;
        }

        int eLo = (int)Math.Floor(Math.Log10(min)), eHi = (int)Math.Ceiling(Math.Log10(max));
        int[][] patterns = [[1, 2, 5], [1, 3], [1]];
        List<double>? best = null;
        foreach (int[] pattern in patterns)
        {
            Consider(LevelsFor(min, max, eLo, eHi, pattern, 1));
        }

        for (int stride = 2; stride <= 10; stride++)
        {
            Consider(LevelsFor(min, max, eLo, eHi, [1], stride));
        }

        return best is null ? [] : [.. best];

        void Consider(List<double> candidate)
        {
            if (candidate.Count > 0 && (best is null || Math.Abs(candidate.Count - count) < Math.Abs(best.Count - count)))
            {
                best = candidate;
            }
        }
    }

    private static List<double> LevelsFor(double min, double max, int eLo, int eHi, int[] mantissas, int stride)
    {
        var levels = new List<double>();
        for (int e = eLo; e <= eHi; e++)
        {
            if (((e % stride) + stride) % stride != 0)
            {
                continue;
            }

            foreach (int m in mantissas)
            {
                double v = NumberText.Scaled(m, e);
                if (v > min && v < max)
                {
                    levels.Add(v);
                }
            }
        }

        return levels;
    }

    private static int Collect(double min, double max, long m, int k, List<double>? into)
    {
        double step = NumberText.Scaled(m, k);
        long first = (long)Math.Floor(min / step) + 1, last = (long)Math.Ceiling(max / step) - 1;
        int n = 0;
        for (long i = first; i <= last && n < 10_000; i++)
        {
            double v = NumberText.Scaled(i * m, k);
            if (v > min && v < max)
            {
                into?.Add(v);
                n++;
            }
        }

        return n;
    }
}
