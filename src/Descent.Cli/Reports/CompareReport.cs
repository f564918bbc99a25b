using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Plotting;

namespace Descent.Cli.Reports;

/// <summary>The comparison's files: <c>loss.svg</c>, <c>losses.csv</c> and <c>report.html</c>.</summary>
internal static class CompareReport
{
    /// <summary>The run's settings as shown in the report.</summary>
    public sealed record Settings(int Epochs, int BatchSize, long Seed, bool LogScale, string CommandLine);

    public static void Write(LabOutput output, ComparisonTask task, IReadOnlyList<OptimizerSpec> specs, ComparisonResult result,
        IReadOnlyList<CompareSummary> rows, Settings settings)
    {
        var chart = LossChart(task, result, settings.LogScale);
        output.Save(chart, "loss.svg");
        output.SaveText("losses.csv", Csv(result));

        var report = new HtmlReport($"Optimizer comparison: {task.Name}");
        report.AddParagraph($"{task.Description}. Every optimizer trains its own network; all networks see the same mini-batches "
            + $"(batch size {settings.BatchSize}, shuffled with seed {settings.Seed}) in the same order for {settings.Epochs} epoch(s), "
            + $"{result.StepsPerEpoch} steps per epoch.");
        report.AddSection("Loss per step").AddChart(chart,
            $"Faint: each batch's loss. Solid: its exponential moving average (weight {LabCharts.SmoothingWeight}, debiased).");
        var headers = new List<string> { "optimizer", "settings", "last-epoch mean loss", "final loss" };
        if (task.Classification) headers.Add(task.MakeTestData is null ? "accuracy" : "test accuracy");
        report.AddSection("Summary").AddTable(headers, rows.Select(r =>
        {
            var cells = new List<object?> { r.Name, r.Settings, r.LastEpochMean, r.FinalLoss };
            if (r.Accuracy is double a) cells.Add(Math.Round(a * 100, 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + "%");
            return (IReadOnlyList<object?>)cells;
        }));
        report.AddParagraph("The last-epoch mean averages the batch losses of the final epoch, which is less noisy than the final batch's loss.");

        var notes = rows.Select(r => (r.Name, Note: OptimizerNotes.For(r.Name))).Where(n => n.Note is not null).ToList();
        if (notes.Count > 0)
        {
            report.AddSection("The optimizers");
            foreach (var (name, note) in notes) report.AddParagraph($"{name}: {note}");
            report.AddParagraph("A more elaborate optimizer is not automatically better on a given problem: compare them on your own data and network.");
        }
        report.AddSection("Reproduce").AddParagraph(settings.CommandLine + "\nData: losses.csv (one row per step, raw and smoothed loss per optimizer). Chart: loss.svg.");
        output.Save(report);
    }

    private static Chart LossChart(ComparisonTask task, ComparisonResult result, bool log)
    {
        var chart = new Chart { Title = $"Training loss per step ({task.Name})", Width = 860, Height = 460 };
        chart.X.Label = "step";
        chart.Y.Label = log ? "loss (log scale)" : "loss";
        chart.Y.Log = log;
        var smoothed = new List<double[]>();
        for (int i = 0; i < result.Optimizers.Count; i++)
        {
            var (name, losses) = result.Optimizers[i];
            smoothed.Add(LabCharts.AddRawAndSmoothed(chart, LabCharts.Steps(losses.Length), losses, name, LabCharts.LineColor(i)));
        }
        if (!log)
        {
            chart.Y.Min = 0;
            chart.Y.Max = LabCharts.RobustTop(smoothed);
        }
        return chart;
    }

    private static string Csv(ComparisonResult result)
    {
        var headers = new List<string> { "step", "epoch" };
        foreach (var (name, _) in result.Optimizers) headers.Add(name);
        foreach (var (name, _) in result.Optimizers) headers.Add(name + " (smoothed)");
        var csv = new CsvTable(headers.ToArray());
        var smoothed = result.Optimizers.Select(o => Smoothing.Ema(o.Losses, LabCharts.SmoothingWeight)).ToArray();
        int steps = result.Optimizers.Count == 0 ? 0 : result.Optimizers[0].Losses.Length;
        for (int t = 0; t < steps; t++)
        {
            var row = new object?[headers.Count];
            row[0] = t;
            row[1] = t / Math.Max(1, result.StepsPerEpoch);
            for (int i = 0; i < result.Optimizers.Count; i++)
            {
                row[2 + i] = result.Optimizers[i].Losses[t];
                row[2 + result.Optimizers.Count + i] = smoothed[i][t];
            }
            csv.Add(row);
        }
        return csv.ToString();
    }
}
