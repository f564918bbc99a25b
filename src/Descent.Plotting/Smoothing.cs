namespace Descent.Plotting;

/// <summary>Smoothing for noisy curves such as per-step training loss.</summary>
public static class Smoothing
{
    /// <summary>
    /// TensorBoard-style exponential moving average with debiasing: s_t = w·s_{t−1} + (1−w)·x_t, divided by
    /// 1 − w^n (n = finite values seen so far), so early values are not pulled towards zero. Non-finite
    /// values are passed through unchanged and do not affect the average.
    /// </summary>
    /// <param name="values">The raw values.</param>
    /// <param name="weight">Smoothing weight in [0, 1): 0 returns the input, 0.9–0.99 is typical.</param>
    public static double[] Ema(ReadOnlySpan<double> values, double weight)
    {
        if (!(weight >= 0 && weight < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "Weight must be in [0, 1).");
        }

        var result = new double[values.Length];
        double last = 0;
        double decay = 1; // weight^n, updated incrementally
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v))
            {
                result[i] = v;
                continue;
            }

            last = (last * weight) + ((1 - weight) * v);
            decay *= weight;
            result[i] = last / (1 - decay);
        }

        return result;
    }

    /// <summary>
    /// Trailing moving average: each output is the mean of the finite values among the last
    /// <paramref name="window"/> inputs (fewer at the start); NaN when there are none.
    /// </summary>
    public static double[] MovingAverage(ReadOnlySpan<double> values, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var result = new double[values.Length];
        double sum = 0;
        int count = 0;
        for (int i = 0; i < values.Length; i++)
        {
            int start = i - window + 1;
            if (start > 0 && start % window == 0)
            {
                // Re-sum from scratch once per window so add/subtract rounding errors cannot accumulate.
                sum = 0;
                count = 0;
                for (int j = start; j < i; j++)
                {
                    if (double.IsFinite(values[j]))
                    {
                        sum += values[j];
                        count++;
                    }
                }
            }
            else if (start > 0 && double.IsFinite(values[start - 1]))
            {
                sum -= values[start - 1];
                count--;
            }

            if (double.IsFinite(values[i]))
            {
                sum += values[i];
                count++;
            }

            result[i] = count > 0 ? sum / count : double.NaN;
        }

        return result;
    }
}
