using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Cli.Reports;
using Spectre.Console;

namespace Descent.Cli.Verbs;

/// <summary><c>descent trajectories</c>: every optimizer's path on Rosenbrock, Beale, Himmelblau and a saddle, over contours, animated.</summary>
internal static class TrajectoriesVerb
{
    public static int Run(CliArgs args)
    {
        var functions = ParseFunctions(args.String("functions"));
        int? steps = args.String("steps") is null ? null : args.Int("steps", 0, min: 1, max: CliArgs.MaxSteps);
        var optTexts = args.All("opt");
        var optimizers = optTexts.Count == 0 ? Trajectories.AllOptimizers() : optTexts.Select(ParseOptimizer).ToList();
        var output = LabOutput.FromArgs(args, "trajectories");
        args.EnsureAllUsed();

        var console = LabConsole.Create();
        var results = new List<TrajectoryResult>();
        console.WithProgress("tracing optimizers", functions.Count * optimizers.Count, report =>
        {
            foreach (var f in functions)
            {
                int before = results.Count * optimizers.Count;
                results.Add(Trajectories.Run(f, optimizers, steps, n => report(before + n)));
            }
        });

        var table = new Table().Title("Optimizer trajectories");
        foreach (var h in new[] { "function", "optimizer", "settings", "steps", "end (x, y)", "f(end)", "to nearest minimum" })
            table.AddColumn(h == "function" || h == "optimizer" || h == "settings" ? new TableColumn(h) : new TableColumn(h).RightAligned());
        foreach (var r in results)
        {
            foreach (var p in r.Paths)
                table.AddRow(r.Function.Name, Markup.Escape(p.Optimizer), Markup.Escape(p.SettingsText),
                    (p.X.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + (p.LeftWindow ? " (left)" : ""),
                    $"({LabFormat.Number(p.X[^1], 3)}, {LabFormat.Number(p.Y[^1], 3)})", LabFormat.Number(p.Loss[^1], 3),
                    r.Function.Minima.Count == 0 ? "–" : LabFormat.Number(r.Function.DistanceToMinimum(p.X[^1], p.Y[^1]), 3));
        }
        console.Out.Write(table);
        // Skips are per optimizer, not per function (a sparse-only or matrix-only optimizer fails on all four): say each once.
        foreach (var (name, reason) in results.SelectMany(r => r.Skipped).Distinct())
            console.Note($"skipped {name}: {reason}");
        TrajectoriesReport.Write(output, results, args.CommandLine("trajectories"));
        output.PrintSummary(console);
        return 0;
    }

    private static IReadOnlyList<TestFunction> ParseFunctions(string? text)
    {
        if (text is null) return TestFunctions.All;
        var list = new List<TestFunction>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            list.Add(TestFunctions.Find(name) ?? throw new CliException(
                $"--functions: unknown function '{name}'; known: {string.Join(", ", TestFunctions.All.Select(f => f.Name))}"));
        if (list.Count == 0) throw new CliException("--functions needs at least one function name");
        return list;
    }

    private static TrajectoryOptimizer ParseOptimizer(string text)
    {
        var (lab, options) = LabOptimizers.ParseOptions(text);
        // Create once now so that a bad value (a negative lr) is one line before any work, as in compare.
        LabOptimizers.Spec(lab, options, text);
        return new TrajectoryOptimizer(lab, options);
    }
}
