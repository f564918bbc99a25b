using System.Text.Json;
using Descent.Cli.Experiments;
using Xunit;
using Xunit.Abstractions;

namespace Descent.Tests.Optim;

/// <summary>
/// Replays every committed conformance vector (tests/golden/gen_optim.py, PyTorch 1.13 plus documented ports) and
/// compares the trajectory with PyTorch's: |actual − expected| ≤ rtol·max(|expected|, Floor), with rtol 2e-5 for
/// explicit-gradient objectives and 2e-4 for rosenbrock; Floor = 1e-2 (an absolute floor of 2e-7 resp. 2e-6).
/// </summary>
public class ConformanceTests(ITestOutputHelper output)
{
    /// <summary>Below this magnitude errors are measured absolutely (relative to this floor).</summary>
    public const double Floor = 1e-2;

    private static string Dir => Path.Combine(AppContext.BaseDirectory, "Golden", "conformance");

    public static TheoryData<string> Vectors()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Dir, "*.json").OrderBy(f => f, StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    /// <summary>The worst scaled error of a replay against its vector's expected trajectory (params, lr and loss).</summary>
    public static double WorstError(string file, out bool rosenbrock)
    {
        var json = File.ReadAllText(Path.Combine(Dir, file));
        var result = Replay.Run(json);
        using var doc = JsonDocument.Parse(json);
        var expected = doc.RootElement.GetProperty("expected");
        rosenbrock = doc.RootElement.GetProperty("objective").GetProperty("name").GetString() == "rosenbrock";
        double worst = 0;
        var steps = expected.GetProperty("params").EnumerateArray().ToList();
        Assert.Equal(steps.Count, result.Params.Count);
        for (int t = 0; t < steps.Count; t++)
        {
            var e = steps[t].EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.Equal(e.Length, result.Params[t].Length);
            for (int i = 0; i < e.Length; i++) worst = Math.Max(worst, Scaled(result.Params[t][i], e[i]));
            var lr = expected.GetProperty("lr")[t].EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.Equal(lr, result.Lr[t]);
            if (rosenbrock) worst = Math.Max(worst, Scaled(result.Loss![t], expected.GetProperty("loss")[t].GetDouble()));
        }
        return worst;
    }

    private static double Scaled(double actual, double expected)
    {
        if (double.IsNaN(actual) || double.IsNaN(expected)) return double.IsNaN(actual) && double.IsNaN(expected) ? 0 : double.PositiveInfinity;
        return Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), Floor);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void ReplayMatchesPyTorch(string file)
    {
        double worst = WorstError(file, out bool rosenbrock);
        double rtol = rosenbrock ? 2e-4 : 2e-5;
        output.WriteLine($"{file}: worst scaled error {worst:E2} (rtol {rtol:E0})");
        Assert.True(worst <= rtol, $"{file}: worst scaled error {worst:E3} exceeds {rtol:E0}");
    }
}
