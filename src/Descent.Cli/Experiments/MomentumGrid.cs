namespace Descent.Cli.Experiments;

/// <summary>The momentum experiment's runs: every learning rate with every momentum, on (2x)² from x = 2.</summary>
/// <param name="Lrs">The learning rates, in the order given.</param>
/// <param name="Momenta">The momentum values, in the order given.</param>
/// <param name="Runs">Runs[i][j] is learning rate i with momentum j.</param>
public sealed record MomentumResult(IReadOnlyList<double> Lrs, IReadOnlyList<double> Momenta, DescentRun[][] Runs)
{
    /// <summary>The run for a learning rate and momentum from the grid.</summary>
    public DescentRun Get(double lr, double momentum) =>
        Runs[IndexOf(Lrs, lr, "learning rate")][IndexOf(Momenta, momentum, "momentum")];

    private static int IndexOf(IReadOnlyList<double> values, double v, string what)
    {
        for (int i = 0; i < values.Count; i++)
            if (values[i] == v) return i;
        throw new ArgumentException($"{what} {v} is not in the grid");
    }
}

/// <summary>
/// The momentum experiment: SGD with momentum on f(x) = (2x)² for a grid of learning rates and momenta. Momentum
/// accumulates past gradients (v ← m·v + g, x ← x − lr·v), so a large m keeps pushing past the minimum and x
/// swings from side to side while the loss decays slowly.
/// </summary>
public static class MomentumGrid
{
    /// <summary>The tutorial's learning rates.</summary>
    public static readonly double[] DefaultLrs = [0.01, 0.03, 0.1];

    /// <summary>The tutorial's momenta: none, 0.63 (about right for lr 0.1) and 0.9 (too much: oscillation).</summary>
    public static readonly double[] DefaultMomenta = [0, 0.63, 0.9];

    /// <summary>Runs the grid; <paramref name="onRun"/> counts finished runs.</summary>
    public static MomentumResult Run(IReadOnlyList<double> lrs, IReadOnlyList<double> momenta, int steps = 100, Action<int>? onRun = null)
    {
        var runs = new DescentRun[lrs.Count][];
        int done = 0;
        for (int i = 0; i < lrs.Count; i++)
        {
            runs[i] = new DescentRun[momenta.Count];
            for (int j = 0; j < momenta.Count; j++)
            {
                runs[i][j] = QuadraticDescent.Run(lrs[i], momenta[j], steps);
                onRun?.Invoke(++done);
            }
        }
        return new MomentumResult(lrs, momenta, runs);
    }
}
