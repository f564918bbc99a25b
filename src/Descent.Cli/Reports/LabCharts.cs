using Descent.Plotting;

namespace Descent.Cli.Reports;

/// <summary>Chart building blocks shared by the lab's reports.</summary>
internal static class LabCharts
{
    /// <summary>EMA weight for per-step loss curves: enough to see the trend through batch noise, little lag.</summary>
    public const double SmoothingWeight = 0.9;

    /// <summary>
    /// Adds a noisy per-step curve twice in one colour: raw (faint, no legend entry) and smoothed with a debiased
    /// EMA (solid, labelled). Returns the smoothed values.
    /// </summary>
    public static double[] AddRawAndSmoothed(Chart chart, double[] x, double[] y, string label, Color color, double weight = SmoothingWeight)
    {
        var raw = chart.AddLine(x, y);
        raw.Color = color;
        raw.Opacity = 0.22;
        raw.Width = 1;
        var smooth = Smoothing.Ema(y, weight);
        var line = chart.AddLine(x, smooth, label);
        line.Color = color;
        line.Width = 2;
        return smooth;
    }

    // Okabe–Ito without yellow up front: thin yellow lines are hard to see on white.
    private static readonly Color[] LineColors =
        [Palette.Blue, Palette.Orange, Palette.BluishGreen, Palette.Vermillion, Palette.ReddishPurple, Palette.SkyBlue, Palette.Black, Palette.Yellow];

    /// <summary>The lab's colour for the <paramref name="index"/>-th line, cycling.</summary>
    public static Color LineColor(int index) => LineColors[((index % LineColors.Length) + LineColors.Length) % LineColors.Length];

    /// <summary>0, 1, …, n − 1 as doubles.</summary>
    public static double[] Steps(int n)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return x;
    }

    /// <summary>
    /// An upper y limit that keeps the curves' shape readable: the largest smoothed value after the first few
    /// percent of steps (where every run starts high), plus headroom. Early spikes are clipped rather than
    /// squashing the rest of the chart.
    /// </summary>
    public static double RobustTop(IEnumerable<double[]> smoothed)
    {
        double top = 0;
        foreach (var s in smoothed)
        {
            int skip = Math.Min(s.Length - 1, Math.Max(1, s.Length / 50));
            for (int i = Math.Max(0, skip); i < s.Length; i++)
                if (double.IsFinite(s[i])) top = Math.Max(top, s[i]);
        }
        return top > 0 ? top * 1.15 : 1;
    }
}
