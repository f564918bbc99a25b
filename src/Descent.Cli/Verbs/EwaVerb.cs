using System.Globalization;
using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Cli.Reports;
using Spectre.Console;

namespace Descent.Cli.Verbs;

/// <summary><c>descent ewa</c>: exponentially weighted average weights for several β, and how each smooths a noisy series.</summary>
internal static class EwaVerb
{
    public static int Run(CliArgs args)
    {
        var betas = args.Doubles("betas") ?? Ewa.DefaultBetas;
        foreach (var b in betas)
            if (!(b >= 0 && b < 1)) throw new CliException($"--betas: each β must be in [0, 1), got {b.ToString(CultureInfo.InvariantCulture)}");
        int steps = args.Int("steps", 100, min: 1, max: CliArgs.MaxSteps);
        int points = args.Int("points", 250, min: 2, max: CliArgs.MaxSteps);
        long seed = args.Long("seed", 1);
        var output = LabOutput.FromArgs(args, "ewa");
        args.EnsureAllUsed();

        var console = LabConsole.Create();
        var series = Ewa.NoisySeries(points, seed);
        var smoothings = betas.Select(b => Ewa.Smooth(series, b)).ToList();
        var rows = betas.Select(b => EwaRow.For(b, steps)).ToList();

        var table = new Table().Title($"Exponentially weighted average weights (1 − β)·β^k, k = 0 … {steps - 1}");
        foreach (var h in new[] { "β", "memory ≈ 1/(1 − β)", "weight of newest (1 − β)", $"sum of {steps} weights", $"1 − β^{steps}", "half-life (steps)" })
            table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var r in rows)
            table.AddRow(LabFormat.Setting(r.Beta), LabFormat.Number(r.Memory), LabFormat.Number(r.FirstWeight), LabFormat.Number(r.Sum, 6),
                LabFormat.Number(r.Expected, 6), LabFormat.Number(r.HalfLife, 3));
        console.Out.Write(table);
        EwaReport.Write(output, rows, series, smoothings, steps, args.CommandLine("ewa"));
        output.PrintSummary(console);
        return 0;
    }
}
