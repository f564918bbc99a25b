namespace Descent.Plotting;

/// <summary>Ticks for one axis together with the axis limits they were chosen for.</summary>
/// <param name="Min">Lower axis limit (the first tick when the range was expanded to ticks).</param>
/// <param name="Max">Upper axis limit.</param>
/// <param name="Ticks">Ticks in increasing order, all within [<paramref name="Min"/>, <paramref name="Max"/>].</param>
public sealed record TickSet(double Min, double Max, IReadOnlyList<Tick> Ticks)
{
    /// <summary>The tick values, in order (convenient in tests and for custom rendering).</summary>
    public double[] Values()
    {
        var values = new double[Ticks.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Ticks[i].Value;
        }

        return values;
    }

    /// <summary>The tick labels, in order.</summary>
    public string[] Labels()
    {
        var labels = new string[Ticks.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = Ticks[i].Label;
        }

        return labels;
    }
}
