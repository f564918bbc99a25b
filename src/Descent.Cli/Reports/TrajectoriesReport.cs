using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Plotting;

namespace Descent.Cli.Reports;

/// <summary>The trajectories' files: one SVG per function, <c>trajectories.csv</c>, and <c>report.html</c> with animations.</summary>
internal static class TrajectoriesReport
{
    private const int GridPoints = 121;

    /// <summary>Most paths per chart: as many as there are clearly distinct colours on the light contour map; more are split evenly over several charts.</summary>
    public const int PathsPerChart = 7;

    // A light, low-contrast map keeps the contours in the background, so every path colour (black included) stands out.
    private static readonly Colormap Background = new([Color.FromHex("#8fa9c4"), Color.FromHex("#bccddd"), Color.FromHex("#e2eaf1"), Color.FromHex("#fbfcfd")]);

    public static void Write(LabOutput output, IReadOnlyList<TrajectoryResult> results, string commandLine)
    {
        var report = new HtmlReport("Optimizer trajectories");
        report.AddParagraph("Each optimizer starts from the same point (hollow circle) and minimises a two-variable function; "
            + "the point is a two-element Descent parameter and every gradient comes from autograd. Learning rates are tuned per "
            + "function and optimizer so that each makes visible progress. Press Play to watch the paths grow step by step.");
        var csv = new CsvTable("function", "optimizer", "step", "x", "y", "f");
        foreach (var r in results)
        {
            report.AddSection($"{Title(r.Function.Name)}: f(x, y) = {r.Function.Formula}");
            // More paths than distinct colours turn a chart into a tangle: split them over several charts.
            int groups = Math.Max(1, (r.Paths.Count + PathsPerChart - 1) / PathsPerChart);
            int perChart = Math.Max(1, (r.Paths.Count + groups - 1) / groups);
            for (int g = 0; g < groups; g++)
            {
                var paths = r.Paths.Skip(g * perChart).Take(perChart).ToList();
                var chart = Chart(r, paths, groups == 1 ? "" : $" ({g + 1} of {groups})");
                output.Save(chart, r.Function.Name + (g == 0 ? "" : $"_{g + 1}") + ".svg");
                report.AddTrajectoryAnimation(chart, frameMilliseconds: 30, caption: g == groups - 1 ? Caption(r) : null);
            }
            report.AddTable(["optimizer", "settings", "steps", "end x", "end y", "f(end)", "distance to nearest minimum"],
                r.Paths.Select(p => (IReadOnlyList<object?>)[p.Optimizer, p.SettingsText,
                    p.X.Length - 1, p.X[^1], p.Y[^1], p.Loss[^1], r.Function.Minima.Count == 0 ? null : r.Function.DistanceToMinimum(p.X[^1], p.Y[^1])]));
            if (r.Skipped.Count > 0)
                report.AddParagraph("Not shown: " + string.Join("; ", r.Skipped.Select(s => $"{s.Optimizer} ({s.Reason})")) + ".");
            foreach (var p in r.Paths)
                for (int i = 0; i < p.X.Length; i++) csv.Add(r.Function.Name, p.Optimizer, i, p.X[i], p.Y[i], p.Loss[i]);
        }
        report.AddSection("Reproduce").AddParagraph(commandLine + "\nData: trajectories.csv (function, optimizer, step, x, y, f).");
        output.SaveText("trajectories.csv", csv.ToString());
        output.Save(report);
    }

    private static Chart Chart(TrajectoryResult r, List<Trajectory> paths, string part)
    {
        var f = r.Function;
        var chart = new Chart { Title = $"{Title(f.Name)}, {r.Steps} steps{part}", Width = 900, Height = 640, Legend = LegendPosition.OutsideRight };
        chart.X.Label = "x";
        chart.Y.Label = "y";
        chart.X.Min = f.XRange.Min;
        chart.X.Max = f.XRange.Max;
        chart.Y.Min = f.YRange.Min;
        chart.Y.Max = f.YRange.Max;
        chart.X.Grid = false;
        chart.Y.Grid = false;
        var xs = Grid.Linspace(f.XRange.Min, f.XRange.Max, GridPoints);
        var ys = Grid.Linspace(f.YRange.Min, f.YRange.Max, GridPoints);
        var contour = chart.AddContour(xs, ys, Grid.Evaluate(xs, ys, f.OnDoubles));
        contour.LogLevels = f.LogLevels;
        contour.LevelCount = 14;
        contour.Label = "f(x, y)";
        contour.Colormap = Background;
        contour.LineColor = Color.FromHex("#5f7891");
        contour.LineOpacity = 0.5;
        if (f.Minima.Count > 0)
        {
            var minima = chart.AddScatter(f.Minima.Select(m => m.X).ToArray(), f.Minima.Select(m => m.Y).ToArray(), "minimum");
            minima.Marker = MarkerShape.Cross;
            minima.Color = Palette.Black;
            minima.Size = 11;
        }
        for (int i = 0; i < paths.Count; i++)
        {
            var path = chart.AddPath(paths[i].X, paths[i].Y, paths[i].Optimizer);
            path.Color = LabCharts.LineColor(i);
            path.Width = 2;
        }
        return chart;
    }

    private static string Caption(TrajectoryResult r)
    {
        var f = r.Function;
        string start = $"Start ({LabFormat.Number(f.Start.X, 3)}, {LabFormat.Number(f.Start.Y, 3)}).";
        string minima = f.Minima.Count switch
        {
            0 => " No minimum: the function falls without bound along y, so the question is how quickly each optimizer leaves the saddle point at the origin.",
            1 => $" Minimum at ({LabFormat.Number(f.Minima[0].X, 3)}, {LabFormat.Number(f.Minima[0].Y, 3)}) (cross).",
            _ => $" {f.Minima.Count} minima (crosses); which one an optimizer reaches depends on its path.",
        };
        string levels = f.LogLevels ? " Contour levels are spaced logarithmically." : "";
        return start + minima + levels;
    }

    private static string Title(string name) => char.ToUpperInvariant(name[0]) + name[1..];
}
