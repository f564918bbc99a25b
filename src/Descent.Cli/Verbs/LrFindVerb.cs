using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Cli.Reports;
using Spectre.Console;

namespace Descent.Cli.Verbs;

/// <summary><c>descent lr-find</c>: the learning-rate range test on the tutorial's regression, with a suggested rate.</summary>
internal static class LrFindVerb
{
    public static int Run(CliArgs args)
    {
        string optText = args.String("opt") ?? "adam";
        var spec = LabOptimizers.Parse(optText);
        double start = args.PositiveDouble("start-lr", 1e-7);
        double end = args.PositiveDouble("end-lr", 10);
        if (end <= start) throw new CliException($"--end-lr ({LabFormat.Number(end)}) must be larger than --start-lr ({LabFormat.Number(start)})");
        int steps = args.Int("steps", 100, min: 2, max: CliArgs.MaxSteps);
        int batch = args.Int("batch-size", 32, min: 1, max: CliArgs.MaxBatch);
        long seed = args.Long("seed", 1);
        var output = LabOutput.FromArgs(args, "lr-find");
        args.EnsureAllUsed();

        var console = LabConsole.Create();
        LrFindResult result = null!;
        console.WithProgress("range test", steps, report => result = LrFinder.Run(spec, start, end, steps, batch, seed, n => report(n)));

        var table = new Table().Title("Learning-rate range test");
        table.AddColumn("");
        table.AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("optimizer", Markup.Escape($"{spec.Name} ({spec.Settings}; lr is set by the test)"));
        table.AddRow("learning rates", $"{LabFormat.Number(start)} → {LabFormat.Number(end)}, exponential, {steps} steps");
        table.AddRow("steps run", $"{result.Lrs.Length}{(result.Exploded ? " (stopped: loss exploded)" : "")}");
        table.AddRow("suggested lr (steepest descent)", LabFormat.Number(result.SuggestedLr, 3));
        table.AddRow("lr at lowest smoothed loss", LabFormat.Number(result.MinimumLossLr, 3));
        table.AddRow("lowest smoothed loss", LabFormat.Number(result.Smoothed.Min(), 4));
        console.Out.Write(table);
        console.Line($"suggested learning rate: {LabFormat.Number(result.SuggestedLr, 3)}");
        LrFindReport.Write(output, result, spec, start, end, steps, args.CommandLine("lr-find"));
        output.PrintSummary(console);
        return 0;
    }
}
