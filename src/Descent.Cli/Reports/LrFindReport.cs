using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Plotting;

namespace Descent.Cli.Reports;

/// <summary>The range test's files: <c>lr_find.svg</c>, <c>lr_find.csv</c>, <c>report.html</c>.</summary>
internal static class LrFindReport
{
    public static void Write(LabOutput output, LrFindResult result, OptimizerSpec spec, double start, double end, int steps, string commandLine)
    {
        var chart = new Chart { Title = $"Loss against learning rate ({spec.Name})", Width = 860, Height = 460 };
        chart.X.Label = "learning rate (log scale)";
        chart.X.Log = true;
        chart.Y.Label = "loss";
        var raw = chart.AddLine(result.Lrs, result.Losses);
        raw.Color = Palette.Blue;
        raw.Opacity = 0.25;
        raw.Width = 1;
        var smooth = chart.AddLine(result.Lrs, result.Smoothed, $"smoothed (EMA {LrFinder.Smoothing})");
        smooth.Color = Palette.Blue;
        smooth.Width = 2.25;
        chart.AddVerticalLine(result.SuggestedLr, $"suggested {LabFormat.Number(result.SuggestedLr, 3)}").Color = Palette.Vermillion;
        var mark = chart.AddScatter([result.SuggestedLr], [result.Smoothed[result.SuggestedIndex]], "steepest descent");
        mark.Color = Palette.Vermillion;
        mark.Size = 10;
        // The exploding tail would flatten everything else; show it only up to a few times the starting loss.
        chart.Y.Min = 0;
        chart.Y.Max = Math.Max(LabCharts.RobustTop([result.Smoothed.Take(Math.Max(1, result.Smoothed.Length - 3)).ToArray()]), result.Smoothed[0] * 1.5);
        output.Save(chart, "lr_find.svg");

        var report = new HtmlReport("Learning-rate range test");
        report.AddParagraph($"The tutorial's regression (y = x² + noise, network 1-20-1, batches of 32) trained with {spec.Name} while the "
            + $"learning rate grows exponentially from {LabFormat.Number(start)} to {LabFormat.Number(end)} over {steps} steps, one batch per step. "
            + $"The batch losses are smoothed with a debiased moving average (weight {LrFinder.Smoothing}); the test stops once the "
            + $"smoothed loss exceeds {LrFinder.ExplodeFactor}× the best seen.");
        report.AddChart(chart, "The suggestion is where the smoothed loss falls fastest per decade of learning rate: large enough to learn quickly, "
            + "well below the rate at which training blows up. The rate at the lowest loss is usually too large.");
        report.AddTable(["quantity", "value"],
        [
            ["steps run", result.Lrs.Length + (result.Exploded ? " (stopped: loss exploded)" : "")],
            ["suggested learning rate", result.SuggestedLr],
            ["learning rate at the lowest smoothed loss", result.MinimumLossLr],
            ["lowest smoothed loss", result.Smoothed.Min()],
        ]);
        report.AddSection("Reproduce").AddParagraph(commandLine + "\nData: lr_find.csv (step, lr, loss, smoothed).");

        var csv = new CsvTable("step", "lr", "loss", "smoothed");
        for (int i = 0; i < result.Lrs.Length; i++) csv.Add(i, result.Lrs[i], result.Losses[i], result.Smoothed[i]);
        output.SaveText("lr_find.csv", csv.ToString());
        output.Save(report);
    }
}
