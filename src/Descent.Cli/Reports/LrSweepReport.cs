using System.Globalization;
using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Plotting;

namespace Descent.Cli.Reports;

/// <summary>The learning-rate sweep's files: <c>sweep.svg</c>, <c>diverging.svg</c>, <c>iterates.svg</c>, <c>lr_sweep.csv</c>, <c>report.html</c>.</summary>
internal static class LrSweepReport
{
    // Log axes cannot show 0, and lr = 0.125 reaches exactly 0; losses below this are drawn on it.
    private const double Floor = 1e-12;

    public static void Write(LabOutput output, LrSweepResult result, int steps, string commandLine)
    {
        var stable = result.Runs.Where(r => r.Outcome != DescentOutcome.Diverged).ToList();
        var diverged = result.Diverged;
        var report = new HtmlReport("Learning rate: gradient descent on f(x) = (2x)²");
        report.AddParagraph("Plain gradient descent, x ← x − lr·f′(x), on f(x) = (2x)² = 4x² from x = 2, using Descent's SGD on a "
            + "one-element parameter with the gradient from autograd. Since f′(x) = 8x, each step multiplies x by (1 − 8·lr): "
            + "lr = 0.125 jumps to the minimum in one step, 0.125 < lr < 0.25 overshoots but still converges, and lr > 0.25 diverges.");
        report.AddParagraph(Verdict(result));

        if (stable.Count > 0)
        {
            var sweep = LossChart("Loss per iteration (converging learning rates)", stable, colourByLr: true);
            output.Save(sweep, "sweep.svg");
            report.AddSection("Converging rates").AddChart(sweep, $"Log scale; losses below {Floor:0e0} (including exact zeros) are drawn at {Floor:0e0}.");
        }
        if (diverged.Count > 0)
        {
            var chart = LossChart("Loss per iteration (diverging learning rates)", diverged, colourByLr: false);
            output.Save(chart, "diverging.svg");
            report.AddSection("Diverging rates").AddChart(chart, "Log scale. The loss grows geometrically until float32 overflows; the run stops there.");
        }
        var iterates = IteratesChart(result);
        output.Save(iterates, "iterates.svg");
        report.AddSection("The iterates on the curve").AddChart(iterates, "Each dot is one iterate (x, f(x)); hollow circle: start, filled: last shown.");

        report.AddSection("Summary").AddTable(["lr", "x multiplier (1 − 8·lr)", "outcome", "final loss"],
            result.Runs.Select(r => (IReadOnlyList<object?>)[r.Lr, 1 - 8 * r.Lr, OutcomeText(r), r.Loss[^1]]));
        report.AddParagraph("The best learning rate depends on the model and is not known in advance; a small one is the safe default, "
            + "and descent lr-find estimates a good one from a short run.");
        report.AddSection("Reproduce").AddParagraph(commandLine + "\nData: lr_sweep.csv (lr, iteration, x, loss).");

        var csv = new CsvTable("lr", "iteration", "x", "loss");
        foreach (var r in result.Runs)
            for (int i = 0; i < r.Loss.Length; i++) csv.Add(r.Lr, i, r.X[i], r.Loss[i]);
        output.SaveText("lr_sweep.csv", csv.ToString());
        output.Save(report);
    }

    /// <summary>"converged at step 1", "diverged", "not converged in 100 steps".</summary>
    public static string OutcomeText(DescentRun r) => r.Outcome switch
    {
        DescentOutcome.Converged => $"converged at step {r.ConvergedAt}",
        DescentOutcome.Diverged => r.Stopped ? $"diverged (overflow at step {r.Loss.Length - 1})" : "diverged",
        _ => r.SignChanges > r.Loss.Length / 2 ? "oscillates, no progress" : $"not converged in {r.Loss.Length} steps",
    };

    /// <summary>One sentence: the fastest rate and the diverging ones.</summary>
    public static string Verdict(LrSweepResult result)
    {
        var fastest = result.Fastest;
        string first = fastest is null
            ? $"No learning rate reached a loss of {QuadraticDescent.Tolerance:0e0}."
            : $"Fastest: lr {N(fastest.Lr)} converged at step {fastest.ConvergedAt} (loss ≤ {QuadraticDescent.Tolerance:0e0}).";
        var div = result.Diverged;
        string second = div.Count == 0 ? " None diverged." : $" Diverged: lr {string.Join(", ", div.Select(r => N(r.Lr)))}.";
        return first + second;
    }

    private static Chart LossChart(string title, IReadOnlyList<DescentRun> runs, bool colourByLr)
    {
        var chart = new Chart { Title = title, Width = 860, Height = 440, Legend = LegendPosition.OutsideRight };
        chart.X.Label = "iteration";
        chart.Y.Label = "loss f(x) (log scale)";
        chart.Y.Log = true;
        for (int i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            var y = new double[r.Loss.Length];
            for (int t = 0; t < y.Length; t++) y[t] = double.IsFinite(r.Loss[t]) ? Math.Max(r.Loss[t], Floor) : double.NaN;
            var line = chart.AddLine(LabCharts.Steps(y.Length), y, $"lr {N(r.Lr)}");
            line.Color = colourByLr && runs.Count > 1 ? Colormap.Viridis.At(0.9 * i / (runs.Count - 1)) : LabCharts.LineColor(i + 3);
            if (r.ConvergedAt == 1)
            {
                // The one-step rate is the lesson of the chart: make it stand out from the colour ramp.
                line.Color = Palette.Vermillion;
                line.Width = 3;
            }
        }
        return chart;
    }

    private static Chart IteratesChart(LrSweepResult result)
    {
        var chart = new Chart { Title = "f(x) = (2x)² and the first iterates", Width = 860, Height = 440 };
        chart.X.Label = "x";
        chart.Y.Label = "f(x)";
        chart.X.Min = -3;
        chart.X.Max = 3;
        chart.Y.Min = 0;
        chart.Y.Max = 36;
        var xs = Grid.Linspace(-3, 3, 121);
        var curve = chart.AddLine(xs, xs.Select(QuadraticDescent.F).ToArray(), "f(x) = 4x²");
        curve.Color = new Color(0x88, 0x88, 0x88);
        // A few representative rates: the slowest, the fastest, the largest that still converges, and one that diverges.
        var picks = new List<DescentRun>();
        void Pick(DescentRun? r) { if (r is not null && !picks.Contains(r)) picks.Add(r); }
        Pick(result.Runs.FirstOrDefault(r => r.Outcome != DescentOutcome.Diverged));
        Pick(result.Fastest);
        Pick(result.Runs.LastOrDefault(r => r.Outcome != DescentOutcome.Diverged));
        Pick(result.Diverged.Count > 0 ? result.Diverged[0] : null);
        for (int i = 0; i < picks.Count; i++)
        {
            var r = picks[i];
            int n = Math.Min(r.X.Length, 12);
            var px = r.X.Take(n).ToArray();
            var path = chart.AddPath(px, px.Select(QuadraticDescent.F).ToArray(), $"lr {N(r.Lr)}");
            path.Color = LabCharts.LineColor(i);
            path.ShowPoints = true;
        }
        return chart;
    }

    private static string N(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
