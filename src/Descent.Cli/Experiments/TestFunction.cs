using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>
/// A 2-D test function for optimizer trajectories: its formula on tensors (for autograd) and on doubles (for
/// contours), a start, the known minima, the plotted window, and learning rates tuned per lab optimizer so each
/// makes visible progress in the default number of steps.
/// </summary>
public sealed class TestFunction
{
    /// <summary>Name as given to <c>--functions</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The formula as text, for titles.</summary>
    public required string Formula { get; init; }

    /// <summary>f(x, y) on scalar tensors; differentiable.</summary>
    public required Func<Tensor, Tensor, Tensor> OnTensors { get; init; }

    /// <summary>f(x, y) in double precision.</summary>
    public required Func<double, double, double> OnDoubles { get; init; }

    /// <summary>Where every optimizer starts.</summary>
    public required (double X, double Y) Start { get; init; }

    /// <summary>The global minima (empty for the saddle, which has none).</summary>
    public required IReadOnlyList<(double X, double Y)> Minima { get; init; }

    /// <summary>The plotted window.</summary>
    public required (double Min, double Max) XRange { get; init; }

    /// <summary>The plotted window.</summary>
    public required (double Min, double Max) YRange { get; init; }

    /// <summary>Contour levels spaced logarithmically (for non-negative functions spanning decades).</summary>
    public bool LogLevels { get; init; }

    /// <summary>Steps when <c>--steps</c> is not given.</summary>
    public int DefaultSteps { get; init; } = 300;

    /// <summary>Learning rate per lab optimizer name; names not listed use <see cref="FallbackLr"/>.</summary>
    public required IReadOnlyDictionary<string, double> Lrs { get; init; }

    /// <summary>The learning rate for optimizers without a tuned one.</summary>
    public double FallbackLr { get; init; } = 0.01;

    /// <summary>The tuned learning rate for a lab optimizer name, and whether it was tuned.</summary>
    public (double Lr, bool Tuned) LrFor(string labName) =>
        Lrs.TryGetValue(labName, out var lr) ? (lr, true) : (FallbackLr, false);

    /// <summary>Distance from (x, y) to the nearest minimum; NaN when there is none.</summary>
    public double DistanceToMinimum(double x, double y)
    {
        double best = double.NaN;
        foreach (var (mx, my) in Minima)
        {
            double d = Math.Sqrt((x - mx) * (x - mx) + (y - my) * (y - my));
            if (!(d >= best)) best = d;
        }
        return best;
    }
}
