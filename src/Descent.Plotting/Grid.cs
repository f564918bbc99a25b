namespace Descent.Plotting;

/// <summary>Helpers to build coordinate vectors and sample functions on grids for contour and region plots.</summary>
public static class Grid
{
    /// <summary><paramref name="count"/> evenly spaced values from <paramref name="start"/> to <paramref name="stop"/>, both ends exact.</summary>
    public static double[] Linspace(double start, double stop, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var values = new double[count];
        if (count == 1)
        {
            values[0] = start;
            return values;
        }

        for (int i = 0; i < count; i++)
        {
            // Interpolating from both ends keeps the last value exactly equal to stop.
            double t = (double)i / (count - 1);
            values[i] = (start * (1 - t)) + (stop * t);
        }

        values[^1] = stop;
        return values;
    }

    /// <summary><paramref name="count"/> values from 10^<paramref name="startExponent"/> to 10^<paramref name="stopExponent"/>, evenly spaced in log10.</summary>
    public static double[] Logspace(double startExponent, double stopExponent, int count)
    {
        double[] exponents = Linspace(startExponent, stopExponent, count);
        for (int i = 0; i < exponents.Length; i++)
        {
            exponents[i] = Math.Pow(10, exponents[i]);
        }

        return exponents;
    }

    /// <summary>Samples <paramref name="f"/>(x, y) on the grid: <c>z[i, j] = f(xs[j], ys[i])</c> (rows follow y).</summary>
    public static double[,] Evaluate(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, Func<double, double, double> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var z = new double[ys.Length, xs.Length];
        for (int i = 0; i < ys.Length; i++)
        {
            for (int j = 0; j < xs.Length; j++)
            {
                z[i, j] = f(xs[j], ys[i]);
            }
        }

        return z;
    }

    /// <summary>Class ids on the grid: <c>classes[i, j] = classify(xs[j], ys[i])</c>, for <see cref="RegionSeries"/>.</summary>
    public static int[,] Classify(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, Func<double, double, int> classify)
    {
        ArgumentNullException.ThrowIfNull(classify);
        var classes = new int[ys.Length, xs.Length];
        for (int i = 0; i < ys.Length; i++)
        {
            for (int j = 0; j < xs.Length; j++)
            {
                classes[i, j] = classify(xs[j], ys[i]);
            }
        }

        return classes;
    }
}
