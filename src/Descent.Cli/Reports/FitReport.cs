using System.Globalization;
using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Plotting;

namespace Descent.Cli.Reports;

/// <summary>
/// The fit demo's files: <c>regression.svg</c>, <c>classification.svg</c>, <c>fit_loss.svg</c>, the data as CSV,
/// and <c>report.html</c> with both trainings as animations.
/// </summary>
internal static class FitReport
{
    public static void Write(LabOutput output, RegressionResult regression, ClassificationResult classification, int every, string commandLine)
    {
        var report = new HtmlReport("Watching a network fit");
        report.AddParagraph("The tutorial's first two networks, each trained on its whole data set at every step with plain SGD. "
            + $"Frames are taken every {every} steps, before that step's update, as the tutorial draws them.");

        var regressionFrames = regression.Frames.Select(f => RegressionChart(regression, f)).ToList();
        output.Save(regressionFrames[^1], "regression.svg");
        report.AddSection("Regression: y = x² + noise, network 1-10-1, SGD lr 0.2")
            .AddAnimation(regressionFrames, 150, "The red curve is the network's prediction; the mean squared error is in the title.");

        var classFrames = classification.Frames.Select(f => ClassificationChart(classification, f)).ToList();
        output.Save(classFrames[^1], "classification.svg");
        report.AddSection("Classification: two clusters, network 2-10-2, SGD lr 0.02")
            .AddAnimation(classFrames, 200, "Shading: the class the network predicts at each point. Dots: the data, coloured by their true class.");

        var loss = LossChart(regression, classification);
        output.Save(loss, "fit_loss.svg");
        report.AddSection("Loss per step").AddChart(loss);
        report.AddTable(["demo", "steps", "first loss", "final loss", "final accuracy"],
        [
            ["regression", regression.Losses.Length, regression.Losses[0], regression.Losses[^1], null],
            ["classification", classification.Losses.Length, classification.Losses[0], classification.Losses[^1],
                (classification.Accuracies[^1] * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%"],
        ]);
        report.AddSection("Reproduce").AddParagraph(commandLine
            + "\nData: fit_regression.csv (x, y, final prediction), fit_classification.csv (x1, x2, label, final prediction), fit_loss.csv (per step).");

        var r = new CsvTable("x", "y", "prediction");
        for (int i = 0; i < regression.X.Length; i++) r.Add(regression.X[i], regression.Y[i], regression.Frames[^1].Prediction[i]);
        output.SaveText("fit_regression.csv", r.ToString());
        var c = new CsvTable("x1", "x2", "label", "predicted");
        for (int i = 0; i < classification.Labels.Length; i++)
            c.Add(classification.X1[i], classification.X2[i], classification.Labels[i], classification.Predicted[i]);
        output.SaveText("fit_classification.csv", c.ToString());
        var l = new CsvTable("step", "regression_loss", "classification_loss", "classification_accuracy");
        int steps = Math.Max(regression.Losses.Length, classification.Losses.Length);
        for (int t = 0; t < steps; t++)
            l.Add(t, At(regression.Losses, t), At(classification.Losses, t), At(classification.Accuracies, t));
        output.SaveText("fit_loss.csv", l.ToString());
        output.Save(report);
    }

    private static Chart RegressionChart(RegressionResult r, RegressionFrame f)
    {
        var chart = new Chart { Title = $"Step {f.Step}: loss = {f.Loss.ToString("0.0000", CultureInfo.InvariantCulture)}", Width = 720, Height = 420, Legend = LegendPosition.TopLeft };
        chart.X.Label = "x";
        chart.Y.Label = "y";
        chart.X.Min = -1.05;
        chart.X.Max = 1.05;
        chart.Y.Min = -0.4;
        chart.Y.Max = 1.4;
        var data = chart.AddScatter(r.X, r.Y, "data");
        data.Color = Palette.Blue;
        data.Size = 5;
        var fit = chart.AddLine(r.X, f.Prediction, "prediction");
        fit.Color = Palette.Vermillion;
        fit.Width = 4;
        return chart;
    }

    private static Chart ClassificationChart(ClassificationResult r, ClassificationFrame f)
    {
        var chart = new Chart
        {
            Title = $"Step {f.Step}: loss = {f.Loss.ToString("0.0000", CultureInfo.InvariantCulture)}, accuracy = {(f.Accuracy * 100).ToString("0.#", CultureInfo.InvariantCulture)}%",
            Width = 620,
            Height = 560,
            Legend = LegendPosition.OutsideRight,
        };
        chart.X.Label = "x₁";
        chart.Y.Label = "x₂";
        var regions = chart.AddRegions(r.GridX, r.GridY, f.Regions);
        regions.Colors = [Palette.Orange, Palette.Blue];
        for (int cls = 0; cls < 2; cls++)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < r.Labels.Length; i++)
                if (r.Labels[i] == cls)
                {
                    xs.Add(r.X1[i]);
                    ys.Add(r.X2[i]);
                }
            var dots = chart.AddScatter(xs.ToArray(), ys.ToArray(), $"class {cls}");
            dots.Color = cls == 0 ? Palette.Orange : Palette.Blue;
            dots.Size = 7;
        }
        return chart;
    }

    private static Chart LossChart(RegressionResult regression, ClassificationResult classification)
    {
        var chart = new Chart { Title = "Training loss per step", Width = 860, Height = 400 };
        chart.X.Label = "step";
        chart.Y.Label = "loss (log scale)";
        chart.Y.Log = true;
        var a = chart.AddLine(regression.Losses, "regression (MSE)");
        a.Color = Palette.Vermillion;
        var b = chart.AddLine(classification.Losses, "classification (cross-entropy)");
        b.Color = Palette.Blue;
        return chart;
    }

    private static double? At(double[] values, int t) => t < values.Length ? values[t] : null;
}
