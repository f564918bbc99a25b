using Xunit;
using static Descent.Tests.Cli.LabHarness;

namespace Descent.Tests.Cli;

/// <summary>Every lab verb with its defaults: it finishes quickly and writes parseable SVGs, data and a report.</summary>
[Collection("Console")]
public class LabVerbTests
{
    [Fact]
    public void CompareWritesLossChartCsvAndReport()
    {
        string dir = RunInto("compare");
        Assert.Equal(["SGD", "Momentum", "RMSprop", "Adam"], LegendLabels(LoadSvg(Path.Combine(dir, "loss.svg"))));
        var rows = CsvRows(Path.Combine(dir, "losses.csv"), out var header);
        Assert.Equal(384, rows.Length);
        Assert.Equal(["step", "epoch", "SGD", "Momentum", "RMSprop", "Adam"], header[..6]);
        Assert.Equal(10, header.Length);
        var report = LoadReport(dir).ToString();
        Assert.Contains("Optimizer comparison", report);
        Assert.Contains("<svg", report);
        Assert.Contains("<table>", report);
    }

    [Fact]
    public void CompareWithOptsOnClustersReportsAccuracy()
    {
        string dir = TempDir("compare-clusters");
        var (code, stdout, err) = Run("compare", "--out", dir, "--dataset", "clusters", "--epochs", "3", "--log",
            "--opt", "sgd:lr=0.05", "--opt", "Adam:lr=0.01,betas=0.9/0.99", "--opt", "RMSPROP:lr=0.01,alpha=0.9", "--opt", "momentum:lr=0.01,momentum=0.8");
        Assert.True(code == 0, err);
        Assert.Equal(["SGD", "Adam", "RMSprop", "Momentum"], LegendLabels(LoadSvg(Path.Combine(dir, "loss.svg"))));
        Assert.Contains("Accuracy", stdout);
        Assert.Contains("betas=0.9/0.99", stdout);
        Assert.Equal(3 * 7, CsvRows(Path.Combine(dir, "losses.csv"), out _).Length);
    }

    [Fact]
    public void CompareWithSameNameTwiceKeepsBothApart()
    {
        string dir = TempDir("compare-twice");
        var (code, _, err) = Run("compare", "--out", dir, "--epochs", "1", "--opt", "adam:lr=0.01", "--opt", "adam:lr=0.1");
        Assert.True(code == 0, err);
        var labels = LegendLabels(LoadSvg(Path.Combine(dir, "loss.svg")));
        Assert.Equal(2, labels.Length);
        Assert.NotEqual(labels[0], labels[1]);
    }

    [Fact]
    public void LrSweepFindsTheOneStepRateAndTheDivergentOne()
    {
        string dir = TempDir("lr-sweep");
        var (code, stdout, err) = Run("lr-sweep", "--out", dir);
        Assert.True(code == 0, err);
        Assert.Contains("Fastest: lr 0.125 converged at step 1", stdout);
        Assert.Contains("Diverged: lr 1.", stdout);
        Assert.Equal(11, LegendLabels(LoadSvg(Path.Combine(dir, "sweep.svg"))).Length);
        Assert.Equal(["lr 1"], LegendLabels(LoadSvg(Path.Combine(dir, "diverging.svg"))));
        Assert.Equal(5, LegendLabels(LoadSvg(Path.Combine(dir, "iterates.svg"))).Length);
        var rows = CsvRows(Path.Combine(dir, "lr_sweep.csv"), out var header);
        Assert.Equal(["lr", "iteration", "x", "loss"], header);
        // Eleven rates run the full 100 iterations; lr = 1 stops when float32 overflows.
        int divergent = rows.Count(r => r[0] == "1");
        Assert.InRange(divergent, 10, 30);
        Assert.Equal(1100 + divergent, rows.Length);
        Assert.Contains("converged at step 1", LoadReport(dir).ToString());
    }

    [Fact]
    public void MomentumDrawsOneChartPairPerLearningRate()
    {
        string dir = RunInto("momentum");
        foreach (var tag in new[] { "0p01", "0p03", "0p1" })
        {
            Assert.Equal(["momentum 0", "momentum 0.63", "momentum 0.9"], LegendLabels(LoadSvg(Path.Combine(dir, $"loss_lr_{tag}.svg"))));
            Assert.Equal(3, LegendLabels(LoadSvg(Path.Combine(dir, $"x_lr_{tag}.svg"))).Length);
        }
        Assert.Equal(900, CsvRows(Path.Combine(dir, "momentum.csv"), out _).Length);
    }

    [Fact]
    public void EwaWritesWeightsSmoothingAndBiasCharts()
    {
        string dir = RunInto("ewa");
        Assert.Equal(["β = 0.98", "β = 0.95", "β = 0.9", "β = 0.8"], LegendLabels(LoadSvg(Path.Combine(dir, "weights.svg"))));
        Assert.Equal(5, LegendLabels(LoadSvg(Path.Combine(dir, "smoothing.svg"))).Length);
        Assert.Equal(3, LegendLabels(LoadSvg(Path.Combine(dir, "bias_correction.svg"))).Length);
        var weights = CsvRows(Path.Combine(dir, "weights.csv"), out var header);
        Assert.Equal(100, weights.Length);
        Assert.Equal(5, header.Length);
        Assert.Equal(250, CsvRows(Path.Combine(dir, "series.csv"), out _).Length);
    }

    [Fact]
    public void TrajectoriesDrawEveryOptimizerOnEveryFunction()
    {
        string dir = RunInto("trajectories");
        var rows = CsvRows(Path.Combine(dir, "trajectories.csv"), out var header);
        Assert.Equal(["function", "optimizer", "step", "x", "y", "f"], header);
        int charts = 0;
        foreach (var name in new[] { "rosenbrock", "beale", "himmelblau", "saddle" })
        {
            // Every optimizer that ran appears in exactly one of the function's charts (split when there are many).
            var traced = rows.Where(r => r[0] == name).Select(r => r[1]).Distinct().ToList();
            Assert.Contains("Adam", traced);
            var drawn = new List<string>();
            for (int part = 1; File.Exists(Path.Combine(dir, name + (part == 1 ? "" : $"_{part}") + ".svg")); part++, charts++)
            {
                var svg = LoadSvg(Path.Combine(dir, name + (part == 1 ? "" : $"_{part}") + ".svg"));
                var labels = LegendLabels(svg);
                Assert.Equal(name != "saddle", labels.Contains("minimum"));
                var paths = labels.Where(l => l != "minimum").ToArray();
                Assert.InRange(paths.Length, 1, 7);
                Assert.Contains(svg.Descendants(Svg + "path"), p => (string?)p.Attribute("class") == "traj");
                drawn.AddRange(paths);
            }
            Assert.Equal(["SGD", "Momentum", "Nesterov", "RMSprop", "Adam"], drawn.Take(5));
            Assert.Equal(traced, drawn);
        }
        Assert.True(rows.Length > 4 * 5 * 50);
        var report = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Equal(charts, CountOf(report, "data-kind=\"trajectory\""));
    }

    [Fact]
    public void FitAnimatesBothDemos()
    {
        string dir = RunInto("fit");
        Assert.Equal(["data", "prediction"], LegendLabels(LoadSvg(Path.Combine(dir, "regression.svg"))));
        Assert.Equal(["class 0", "class 1"], LegendLabels(LoadSvg(Path.Combine(dir, "classification.svg"))));
        Assert.Equal(2, LegendLabels(LoadSvg(Path.Combine(dir, "fit_loss.svg"))).Length);
        Assert.Equal(100, CsvRows(Path.Combine(dir, "fit_regression.csv"), out _).Length);
        Assert.Equal(200, CsvRows(Path.Combine(dir, "fit_classification.csv"), out _).Length);
        Assert.Equal(200, CsvRows(Path.Combine(dir, "fit_loss.csv"), out _).Length);
        var report = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Equal(2, CountOf(report, "data-kind=\"frames\""));
        // 200 regression steps every 5 (40 frames + the last), 100 classification steps every 5 (20 + the last).
        Assert.Equal(41 + 21, CountOf(report, "class=\"frame\""));
        LoadReport(dir);
    }

    [Fact]
    public void LrFindSuggestsARateAndMarksIt()
    {
        string dir = TempDir("lr-find");
        var (code, stdout, err) = Run("lr-find", "--out", dir);
        Assert.True(code == 0, err);
        Assert.Contains("suggested learning rate:", stdout);
        var labels = LegendLabels(LoadSvg(Path.Combine(dir, "lr_find.svg")));
        Assert.Equal(2, labels.Length);
        var rows = CsvRows(Path.Combine(dir, "lr_find.csv"), out var header);
        Assert.Equal(["step", "lr", "loss", "smoothed"], header);
        Assert.InRange(rows.Length, 20, 100);
        Assert.Contains("suggested", File.ReadAllText(Path.Combine(dir, "lr_find.svg")));
    }

    [Fact]
    public void VerbsDefaultToDescentOutUnderTheWorkingDirectory()
    {
        string dir = TempDir("cwd");
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = dir;
        try
        {
            var (code, _, err) = Run("ewa");
            Assert.True(code == 0, err);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
        Assert.True(File.Exists(Path.Combine(dir, "descent-out", "ewa", "report.html")));
    }

    private static int CountOf(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
