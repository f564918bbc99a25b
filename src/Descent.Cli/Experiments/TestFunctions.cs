using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>
/// The trajectories' test functions. Learning rates were tuned by running each optimizer from the start for the
/// default steps (PyTorch 1.13 gives the same paths; Adafactor, which 1.13 lacks, was tuned with Descent's):
/// large enough to make progress, small enough not to fly off. SparseAdam on dense gradients is Adam.
/// </summary>
public static class TestFunctions
{
    /// <summary>Rosenbrock's banana valley: the minimum at (1, 1) is easy to reach and slow to follow.</summary>
    public static TestFunction Rosenbrock { get; } = new()
    {
        Name = "rosenbrock",
        Formula = "(1 − x)² + 100·(y − x²)²",
        OnTensors = (x, y) => (1 - x).Pow(2) + 100 * (y - x.Pow(2)).Pow(2),
        OnDoubles = (x, y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x),
        Start = (-1.5, 2),
        Minima = [(1, 1)],
        XRange = (-2, 2),
        YRange = (-1, 3),
        LogLevels = true,
        DefaultSteps = 500,
        Lrs = new Dictionary<string, double>
        {
            ["sgd"] = 0.0015, ["momentum"] = 0.001, ["nesterov"] = 0.001, ["rmsprop"] = 0.05, ["adam"] = 0.2,
            ["adagrad"] = 1, ["adadelta"] = 10, ["adamax"] = 0.5, ["adamw"] = 0.2, ["nadam"] = 0.2, ["radam"] = 0.005,
            ["asgd"] = 0.0015, ["rprop"] = 0.01, ["lbfgs"] = 1, ["sparseadam"] = 0.2, ["adafactor"] = 0.1,
        },
    };

    /// <summary>Beale's function: flat plateaus and steep walls, minimum at (3, 0.5).</summary>
    public static TestFunction Beale { get; } = new()
    {
        Name = "beale",
        Formula = "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
        OnTensors = (x, y) => (1.5 - x + x * y).Pow(2) + (2.25 - x + x * y.Pow(2)).Pow(2) + (2.625 - x + x * y.Pow(3)).Pow(2),
        OnDoubles = (x, y) => Sq(1.5 - x + x * y) + Sq(2.25 - x + x * y * y) + Sq(2.625 - x + x * y * y * y),
        Start = (1, 1.5),
        Minima = [(3, 0.5)],
        XRange = (-0.5, 4),
        YRange = (-1.5, 2),
        LogLevels = true,
        Lrs = new Dictionary<string, double>
        {
            ["sgd"] = 0.01, ["momentum"] = 0.001, ["nesterov"] = 0.001, ["rmsprop"] = 0.01, ["adam"] = 0.1,
            ["adagrad"] = 0.5, ["adadelta"] = 5, ["adamax"] = 0.1, ["adamw"] = 0.1, ["nadam"] = 0.1, ["radam"] = 0.01,
            ["asgd"] = 0.01, ["rprop"] = 0.01, ["lbfgs"] = 1, ["sparseadam"] = 0.1, ["adafactor"] = 0.03,
        },
    };

    /// <summary>Himmelblau's function: four equal minima; from near its local maximum, optimizers pick different ones.</summary>
    public static TestFunction Himmelblau { get; } = new()
    {
        Name = "himmelblau",
        Formula = "(x² + y − 11)² + (x + y² − 7)²",
        OnTensors = (x, y) => (x.Pow(2) + y - 11).Pow(2) + (x + y.Pow(2) - 7).Pow(2),
        OnDoubles = (x, y) => Sq(x * x + y - 11) + Sq(x + y * y - 7),
        Start = (-0.3, -0.9),
        Minima = [(3, 2), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)],
        XRange = (-5, 5),
        YRange = (-5, 5),
        LogLevels = true,
        Lrs = new Dictionary<string, double>
        {
            ["sgd"] = 0.005, ["momentum"] = 0.002, ["nesterov"] = 0.002, ["rmsprop"] = 0.05, ["adam"] = 0.1,
            ["adagrad"] = 0.5, ["adadelta"] = 5, ["adamax"] = 0.1, ["adamw"] = 0.1, ["nadam"] = 0.1, ["radam"] = 0.02,
            ["asgd"] = 0.005, ["rprop"] = 0.01, ["lbfgs"] = 1, ["sparseadam"] = 0.1, ["adafactor"] = 0.03,
        },
    };

    /// <summary>The saddle x² − y²: no minimum; the question is how fast each optimizer escapes along y.</summary>
    public static TestFunction Saddle { get; } = new()
    {
        Name = "saddle",
        Formula = "x² − y²",
        OnTensors = (x, y) => x.Pow(2) - y.Pow(2),
        OnDoubles = (x, y) => x * x - y * y,
        Start = (-1.5, 0.01),
        Minima = [],
        XRange = (-2, 2),
        YRange = (-2, 2),
        Lrs = new Dictionary<string, double>
        {
            ["sgd"] = 0.01, ["momentum"] = 0.005, ["nesterov"] = 0.005, ["rmsprop"] = 0.01, ["adam"] = 0.02,
            ["adagrad"] = 0.1, ["adadelta"] = 1, ["adamax"] = 0.02, ["adamw"] = 0.02, ["nadam"] = 0.02, ["radam"] = 0.05,
            ["asgd"] = 0.01, ["rprop"] = 0.01, ["lbfgs"] = 0.1, ["sparseadam"] = 0.02, ["adafactor"] = 0.01,
        },
    };

    /// <summary>All four, in the report's order.</summary>
    public static IReadOnlyList<TestFunction> All { get; } = [Rosenbrock, Beale, Himmelblau, Saddle];

    /// <summary>Finds a function by name, ignoring case; null when unknown.</summary>
    public static TestFunction? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    private static double Sq(double v) => v * v;
}
