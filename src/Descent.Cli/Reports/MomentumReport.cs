using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Plotting;

namespace Descent.Cli.Reports;

/// <summary>The momentum experiment's files: <c>loss_lr_*.svg</c>, <c>x_lr_*.svg</c>, <c>momentum.csv</c>, <c>report.html</c>.</summary>
internal static class MomentumReport
{
    private const double Floor = 1e-12;

    public static void Write(LabOutput output, MomentumResult result, int steps, string commandLine)
    {
        var report = new HtmlReport("Momentum: SGD on f(x) = (2x)²");
        report.AddParagraph("SGD with momentum keeps a velocity, v ← m·v + f′(x), and steps x ← x − lr·v (PyTorch's form). "
            + "The velocity is a running sum of past gradients in which a gradient from k steps ago counts m^k: with m = 0.9 "
            + "it remembers about ten steps. On f(x) = (2x)² from x = 2, a moderate momentum speeds up a small learning rate, "
            + "while a large one carries x past the minimum again and again, so x swings between signs and the loss falls in waves.");
        for (int i = 0; i < result.Lrs.Count; i++)
        {
            double lr = result.Lrs[i];
            string tag = Tag(lr);
            var loss = new Chart { Title = $"Loss per iteration, lr = {LabFormat.Setting(lr)}", Width = 860, Height = 360 };
            loss.X.Label = "iteration";
            loss.Y.Label = "loss (log scale)";
            loss.Y.Log = true;
            var position = new Chart { Title = $"x per iteration, lr = {LabFormat.Setting(lr)}", Width = 860, Height = 300 };
            position.X.Label = "iteration";
            position.Y.Label = "x";
            position.AddHorizontalLine(0);
            for (int j = 0; j < result.Momenta.Count; j++)
            {
                var r = result.Runs[i][j];
                string label = $"momentum {LabFormat.Setting(r.Momentum)}";
                var y = new double[r.Loss.Length];
                for (int t = 0; t < y.Length; t++) y[t] = double.IsFinite(r.Loss[t]) ? Math.Max(r.Loss[t], Floor) : double.NaN;
                var line = loss.AddLine(LabCharts.Steps(y.Length), y, label);
                line.Color = LabCharts.LineColor(j);
                var xLine = position.AddLine(LabCharts.Steps(r.X.Length), Clip(r.X), label);
                xLine.Color = LabCharts.LineColor(j);
            }
            output.Save(loss, $"loss_lr_{tag}.svg");
            output.Save(position, $"x_lr_{tag}.svg");
            report.AddSection($"lr = {LabFormat.Setting(lr)}").AddChart(loss).AddChart(position,
                "x crossing zero means the step overshot the minimum; each crossing is counted in the table.");
        }
        report.AddSection("Summary").AddTable(["lr", "momentum", "outcome", "sign changes of x", "final loss"],
            result.Lrs.SelectMany((lr, i) => result.Momenta.Select((m, j) =>
            {
                var r = result.Runs[i][j];
                return (IReadOnlyList<object?>)[lr, m, LrSweepReport.OutcomeText(r), r.SignChanges, r.Loss[^1]];
            })));
        report.AddSection("Reproduce").AddParagraph(commandLine + "\nData: momentum.csv (lr, momentum, iteration, x, loss).");

        var csv = new CsvTable("lr", "momentum", "iteration", "x", "loss");
        foreach (var row in result.Runs)
            foreach (var r in row)
                for (int t = 0; t < r.Loss.Length; t++) csv.Add(r.Lr, r.Momentum, t, r.X[t], r.Loss[t]);
        output.SaveText("momentum.csv", csv.ToString());
        output.Save(report);
    }

    // A diverging run's x would stretch the axis beyond use; beyond ±10 the shape says nothing more.
    private static double[] Clip(double[] x) => x.Select(v => double.IsFinite(v) && Math.Abs(v) <= 10 ? v : double.NaN).ToArray();

    private static string Tag(double lr) => LabFormat.Setting(lr).Replace('.', 'p').Replace('-', 'm');
}
