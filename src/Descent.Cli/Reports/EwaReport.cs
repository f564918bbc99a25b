using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Plotting;

namespace Descent.Cli.Reports;

/// <summary>The EWA files: <c>weights.svg</c>, <c>smoothing.svg</c>, <c>bias_correction.svg</c>, <c>weights.csv</c>, <c>series.csv</c>, <c>report.html</c>.</summary>
internal static class EwaReport
{
    public static void Write(LabOutput output, IReadOnlyList<EwaRow> rows, double[] series, IReadOnlyList<EwaSmoothing> smoothings, int steps, string commandLine)
    {
        var report = new HtmlReport("Exponentially weighted averages");
        report.AddParagraph("An exponentially weighted average updates v_t = β·v_{t−1} + (1 − β)·θ_t. Unrolled, it is a weighted sum of all "
            + "past values in which the value k steps back has weight (1 − β)·β^k: the weights fall off geometrically and add up to "
            + "1 − β^T over T steps, approaching 1. A larger β remembers longer (about 1/(1 − β) steps) and gives a smoother but "
            + "later-reacting average. SGD's momentum buffer and Adam's two moment estimates are averages of exactly this kind.");

        var weights = new Chart { Title = "Weight of the value k steps back: (1 − β)·β^k", Width = 860, Height = 400 };
        weights.X.Label = "k (steps back)";
        weights.Y.Label = "weight";
        for (int i = 0; i < rows.Count; i++)
        {
            var line = weights.AddLine(LabCharts.Steps(rows[i].Weights.Length), rows[i].Weights, $"β = {LabFormat.Setting(rows[i].Beta)}");
            line.Color = LabCharts.LineColor(i);
        }
        output.Save(weights, "weights.svg");
        report.AddSection("The weights").AddChart(weights);
        report.AddTable(["β", "memory ≈ 1/(1 − β)", "newest weight 1 − β", $"sum of {steps} weights", $"1 − β^{steps}", "half-life (steps)"],
            rows.Select(r => (IReadOnlyList<object?>)[r.Beta, r.Memory, r.FirstWeight, r.Sum, r.Expected, r.HalfLife]));

        var smooth = new Chart { Title = "Smoothing a noisy series (bias-corrected averages)", Width = 860, Height = 420, Legend = LegendPosition.OutsideRight };
        smooth.X.Label = "t";
        smooth.Y.Label = "value";
        var dots = smooth.AddScatter(LabCharts.Steps(series.Length), series, "data");
        dots.Color = new Color(0x99, 0x99, 0x99);
        dots.Size = 4;
        for (int i = 0; i < smoothings.Count; i++)
        {
            var line = smooth.AddLine(LabCharts.Steps(series.Length), smoothings[i].Corrected, $"β = {LabFormat.Setting(smoothings[i].Beta)}");
            line.Color = LabCharts.LineColor(i);
        }
        output.Save(smooth, "smoothing.svg");
        report.AddSection("Smoothing").AddChart(smooth, "Higher β: smoother, but the average lags behind turns in the data.");

        var largest = smoothings.OrderByDescending(s => s.Beta).First();
        var bias = new Chart { Title = $"Bias correction, β = {LabFormat.Setting(largest.Beta)}", Width = 860, Height = 400 };
        bias.X.Label = "t";
        bias.Y.Label = "value";
        var data = bias.AddScatter(LabCharts.Steps(series.Length), series, "data");
        data.Color = new Color(0x99, 0x99, 0x99);
        data.Size = 4;
        var raw = bias.AddLine(LabCharts.Steps(series.Length), largest.Average, "v_t (starts at 0)");
        raw.Color = Palette.Vermillion;
        raw.Dash = LineDash.Dashed;
        var corrected = bias.AddLine(LabCharts.Steps(series.Length), largest.Corrected, "v_t / (1 − β^t)");
        corrected.Color = Palette.Blue;
        output.Save(bias, "bias_correction.svg");
        report.AddSection("Bias correction").AddChart(bias,
            "Starting from v_0 = 0, early averages are too small: their weights sum to only 1 − β^t. Dividing by 1 − β^t "
            + "(as Adam does) fixes the start and changes little once β^t is small.");
        report.AddSection("Reproduce").AddParagraph(commandLine + "\nData: weights.csv (k, one column per β), series.csv (t, data, raw and corrected average per β).");

        var wcsv = new CsvTable(["k", .. rows.Select(r => $"beta={LabFormat.Setting(r.Beta)}")]);
        for (int k = 0; k < steps; k++)
        {
            var row = new object?[rows.Count + 1];
            row[0] = k;
            for (int i = 0; i < rows.Count; i++) row[i + 1] = rows[i].Weights[k];
            wcsv.Add(row);
        }
        output.SaveText("weights.csv", wcsv.ToString());
        var scsv = new CsvTable(["t", "data",
            .. smoothings.Select(s => $"average beta={LabFormat.Setting(s.Beta)}"),
            .. smoothings.Select(s => $"corrected beta={LabFormat.Setting(s.Beta)}")]);
        for (int t = 0; t < series.Length; t++)
        {
            var row = new object?[2 + 2 * smoothings.Count];
            row[0] = t;
            row[1] = series[t];
            for (int i = 0; i < smoothings.Count; i++)
            {
                row[2 + i] = smoothings[i].Average[t];
                row[2 + smoothings.Count + i] = smoothings[i].Corrected[t];
            }
            scsv.Add(row);
        }
        output.SaveText("series.csv", scsv.ToString());
        output.Save(report);
    }
}
