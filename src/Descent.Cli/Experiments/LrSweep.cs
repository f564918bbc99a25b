namespace Descent.Cli.Experiments;

/// <summary>The learning-rate sweep's runs and its verdict.</summary>
/// <param name="Runs">One run per learning rate, in increasing lr.</param>
public sealed record LrSweepResult(IReadOnlyList<DescentRun> Runs)
{
    /// <summary>The run that reached the tolerance in the fewest iterations (smaller lr on ties), or null.</summary>
    public DescentRun? Fastest =>
        Runs.Where(r => r.ConvergedAt is not null).OrderBy(r => r.ConvergedAt).ThenBy(r => r.Lr).FirstOrDefault();

    /// <summary>The runs that diverged.</summary>
    public IReadOnlyList<DescentRun> Diverged => Runs.Where(r => r.Outcome == DescentOutcome.Diverged).ToList();
}

/// <summary>
/// The learning-rate experiment: plain gradient descent on (2x)² from x = 2 for a range of learning rates.
/// </summary>
public static class LrSweep
{
    /// <summary>
    /// The default rates: ten evenly spaced from 0.01 to 0.2 (the tutorial's sweep), the one-step rate 0.125,
    /// and the divergent 1.
    /// </summary>
    public static double[] DefaultLrs()
    {
        var lrs = new List<double>();
        for (int i = 0; i < 10; i++) lrs.Add(Math.Round(0.01 + (0.2 - 0.01) * i / 9, 4));
        lrs.Add(0.125);
        lrs.Add(1);
        return lrs.Distinct().Order().ToArray();
    }

    /// <summary>Runs every learning rate for <paramref name="steps"/> iterations; <paramref name="onRun"/> counts finished runs.</summary>
    public static LrSweepResult Run(IReadOnlyList<double> lrs, int steps = 100, Action<int>? onRun = null)
    {
        var runs = new List<DescentRun>();
        foreach (var lr in lrs.Distinct().Order())
        {
            runs.Add(QuadraticDescent.Run(lr, 0, steps));
            onRun?.Invoke(runs.Count);
        }
        return new LrSweepResult(runs);
    }
}
