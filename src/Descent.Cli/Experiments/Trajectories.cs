using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>One optimizer's path over a test function: the points (start first) and f at each.</summary>
public sealed record Trajectory(string Optimizer, string Settings, bool Tuned, double[] X, double[] Y, double[] Loss)
{
    /// <summary>True when the learning rate came from <c>--opt</c> rather than the function's table.</summary>
    public bool LrGiven { get; init; }

    /// <summary>The settings, marked when the learning rate is a fallback rather than tuned or given.</summary>
    public string SettingsText => Settings + (Tuned || LrGiven ? "" : " (untuned)");

    /// <summary>True when the run stopped early because the point left the plotted window by a wide margin or overflowed.</summary>
    public bool LeftWindow { get; init; }
}

/// <summary>A function's trajectories, and the optimizers that could not run on it (with the reason).</summary>
public sealed record TrajectoryResult(TestFunction Function, int Steps, IReadOnlyList<Trajectory> Paths, IReadOnlyList<(string Optimizer, string Reason)> Skipped);

/// <summary>An optimizer to trace, with options given on the command line (they override the tuned learning rate).</summary>
public sealed record TrajectoryOptimizer(LabOptimizer Lab, IReadOnlyDictionary<string, object?> Options);

/// <summary>
/// Optimizer trajectories: each optimizer minimises a 2-D test function from the same start, the point being a
/// two-element parameter whose gradient comes from autograd.
/// </summary>
public static class Trajectories
{
    // Options some optimizers need to make one step per frame: L-BFGS would otherwise take 20 inner steps per step.
    private static readonly Dictionary<string, Dictionary<string, object?>> StepShaping = new()
    {
        ["lbfgs"] = new() { ["max_iter"] = 1, ["line_search_fn"] = "strong_wolfe" },
    };

    /// <summary>Every lab optimizer, each with no extra options.</summary>
    public static IReadOnlyList<TrajectoryOptimizer> AllOptimizers() =>
        LabOptimizers.All.Select(o => new TrajectoryOptimizer(o, new Dictionary<string, object?>())).ToList();

    /// <summary>Runs every optimizer on <paramref name="function"/> for <paramref name="steps"/> steps (the function's default when null).</summary>
    public static TrajectoryResult Run(TestFunction function, IReadOnlyList<TrajectoryOptimizer> optimizers, int? steps = null, Action<int>? onPath = null)
    {
        int n = steps ?? function.DefaultSteps;
        var paths = new List<Trajectory>();
        var skipped = new List<(string, string)>();
        foreach (var o in optimizers)
        {
            try
            {
                paths.Add(Trace(function, o, n));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
            {
                // An optimizer that cannot work on a dense two-element parameter (sparse-only, matrix-only) is left out, not fatal.
                skipped.Add((o.Lab.DisplayName, e.Message.Split('\n')[0]));
            }
            onPath?.Invoke(paths.Count + skipped.Count);
        }
        return new TrajectoryResult(function, n, paths, skipped);
    }

    private static Trajectory Trace(TestFunction f, TrajectoryOptimizer o, int steps)
    {
        var options = new Dictionary<string, object?>(o.Lab.Presets, StringComparer.Ordinal);
        var names = LabOptimizers.OptionNames(o.Lab.Info);
        if (StepShaping.TryGetValue(o.Lab.Name, out var shaping))
            foreach (var (k, v) in shaping)
                if (names.Contains(k)) options[k] = v;
        var (lr, tuned) = f.LrFor(o.Lab.Name);
        options["lr"] = lr;
        foreach (var (k, v) in o.Options) options[k] = v;
        bool given = o.Options.ContainsKey("lr");
        tuned &= !given;

        var p = Tensor.FromArray([(float)f.Start.X, (float)f.Start.Y], 2).RequiresGrad_();
        var optimizer = o.Lab.Info.Create([p], options);
        var xs = new List<double>(steps + 1) { f.Start.X };
        var ys = new List<double>(steps + 1) { f.Start.Y };
        var loss = new List<double>(steps + 1) { f.OnDoubles(f.Start.X, f.Start.Y) };
        double marginX = f.XRange.Max - f.XRange.Min, marginY = f.YRange.Max - f.YRange.Min;
        bool left = false;
        for (int i = 0; i < steps; i++)
        {
            optimizer.Step(() =>
            {
                optimizer.ZeroGrad();
                var value = f.OnTensors(p[0], p[1]);
                value.Backward();
                return value;
            });
            var point = p.ToArray();
            double x = point[0], y = point[1];
            xs.Add(x);
            ys.Add(y);
            loss.Add(f.OnDoubles(x, y));
            // Far outside the window nothing more can be seen, and the numbers head for overflow.
            if (!double.IsFinite(x) || !double.IsFinite(y)
                || x < f.XRange.Min - marginX || x > f.XRange.Max + marginX || y < f.YRange.Min - marginY || y > f.YRange.Max + marginY)
            {
                left = true;
                break;
            }
        }
        return new Trajectory(o.Lab.DisplayName, Describe(options), tuned, xs.ToArray(), ys.ToArray(), loss.ToArray()) { LeftWindow = left, LrGiven = given };
    }

    private static string Describe(Dictionary<string, object?> options)
    {
        var parts = new List<string> { "lr=" + LabOptimizers.Format(options["lr"]) };
        foreach (var (k, v) in options)
            if (k != "lr") parts.Add($"{k}={LabOptimizers.Format(v)}");
        return string.Join(", ", parts);
    }
}
