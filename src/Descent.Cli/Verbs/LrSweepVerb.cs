using System.Globalization;
using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Cli.Reports;
using Spectre.Console;

namespace Descent.Cli.Verbs;

/// <summary><c>descent lr-sweep</c>: gradient descent on (2x)² for a range of learning rates; which converge, how fast, which diverge.</summary>
internal static class LrSweepVerb
{
    public static int Run(CliArgs args)
    {
        var lrs = args.Doubles("lrs") ?? LrSweep.DefaultLrs();
        foreach (var lr in lrs)
            if (lr < 0) throw new CliException($"--lrs: learning rates must not be negative, got {F(lr)}");
        int steps = args.Int("steps", 100, min: 1, max: CliArgs.MaxSteps);
        var output = LabOutput.FromArgs(args, "lr-sweep");
        args.EnsureAllUsed();

        var console = LabConsole.Create();
        LrSweepResult result = null!;
        console.WithProgress("sweeping learning rates", lrs.Length, report => result = LrSweep.Run(lrs, steps, n => report(n)));

        var table = new Table().Title($"Gradient descent on f(x) = (2x)² from x = 2, {steps} iterations");
        table.AddColumn(new TableColumn("lr").RightAligned());
        table.AddColumn(new TableColumn("x ← (1 − 8·lr)·x").RightAligned());
        table.AddColumn("outcome");
        table.AddColumn(new TableColumn("final loss").RightAligned());
        foreach (var r in result.Runs)
            table.AddRow(F(r.Lr), F(1 - 8 * r.Lr), Markup.Escape(LrSweepReport.OutcomeText(r)), LabFormat.Number(r.Loss[^1]));
        console.Out.Write(table);
        console.Line(LrSweepReport.Verdict(result));

        LrSweepReport.Write(output, result, steps, args.CommandLine("lr-sweep"));
        output.PrintSummary(console);
        return 0;
    }

    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
