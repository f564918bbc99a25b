using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Cli.Reports;
using Spectre.Console;

namespace Descent.Cli.Verbs;

/// <summary><c>descent momentum</c>: SGD with momentum on (2x)² for a grid of learning rates and momenta.</summary>
internal static class MomentumVerb
{
    public static int Run(CliArgs args)
    {
        var lrs = args.Doubles("lrs") ?? MomentumGrid.DefaultLrs;
        var momenta = args.Doubles("momenta") ?? MomentumGrid.DefaultMomenta;
        foreach (var lr in lrs)
            if (lr < 0) throw new CliException($"--lrs: learning rates must not be negative, got {LabFormat.Setting(lr)}");
        foreach (var m in momenta)
            if (m < 0) throw new CliException($"--momenta: momentum must not be negative, got {LabFormat.Setting(m)}");
        int steps = args.Int("steps", 100, min: 1, max: CliArgs.MaxSteps);
        var output = LabOutput.FromArgs(args, "momentum");
        args.EnsureAllUsed();

        var console = LabConsole.Create();
        MomentumResult result = null!;
        console.WithProgress("running the grid", lrs.Length * momenta.Length, report => result = MomentumGrid.Run(lrs, momenta, steps, n => report(n)));

        var table = new Table().Title($"SGD with momentum on f(x) = (2x)² from x = 2, {steps} iterations");
        table.AddColumn(new TableColumn("lr").RightAligned());
        table.AddColumn(new TableColumn("momentum").RightAligned());
        table.AddColumn("outcome");
        table.AddColumn(new TableColumn("sign changes of x").RightAligned());
        table.AddColumn(new TableColumn("final loss").RightAligned());
        for (int i = 0; i < lrs.Length; i++)
            for (int j = 0; j < momenta.Length; j++)
            {
                var r = result.Runs[i][j];
                table.AddRow(LabFormat.Setting(r.Lr), LabFormat.Setting(r.Momentum), Markup.Escape(LrSweepReport.OutcomeText(r)),
                    r.SignChanges.ToString(System.Globalization.CultureInfo.InvariantCulture), LabFormat.Number(r.Loss[^1]));
            }
        console.Out.Write(table);
        MomentumReport.Write(output, result, steps, args.CommandLine("momentum"));
        output.PrintSummary(console);
        return 0;
    }
}
