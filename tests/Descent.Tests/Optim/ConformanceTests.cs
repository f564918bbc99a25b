using System.Text.Json;
using Descent.Cli.Experiments;
using Descent.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace Descent.Tests.Optim;

/// <summary>
/// Replays every committed conformance vector (tests/golden/gen_optim.py, PyTorch 1.13 plus documented ports) and
/// compares the trajectory with PyTorch's: |actual − expected| ≤ rtol·max(|expected|, Floor), Floor = 1e-2, with rtol
/// for float32 vectors 2e-5 for explicit-gradient objectives and 2e-4 for rosenbrock (an absolute floor of 2e-7 resp.
/// 2e-6), for float64 vectors (<c>"dtype": "float64"</c>) 1e-12 and 1e-9. NaN and infinities (diverging vectors) must
/// match exactly; a vector with <c>expected_error</c> must fail with that message.
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

    /// <summary>
    /// The worst scaled error of a replay against its vector's expected trajectory (params, lr and loss). NaN matches
    /// only NaN and an infinity only the same infinity (diverging vectors hold both).
    /// </summary>
    public static double WorstError(string file, out bool rosenbrock, out DType dtype)
    {
        var json = File.ReadAllText(Path.Combine(Dir, file));
        var spec = ReplaySpec.Parse(json);
        var result = Replay.Run(spec);
        using var doc = PythonJson.Parse(json);
        var expected = ReplayResult.FromJson(doc.RootElement.GetProperty("expected"), spec.DType);
        rosenbrock = spec.Objective == "rosenbrock";
        dtype = spec.DType;
        Assert.Equal(dtype, result.DType);
        return WorstError(expected, result);
    }

    /// <summary>The tolerance of a vector: by its dtype and objective.</summary>
    public static double Rtol(DType dtype, bool rosenbrock) =>
        dtype == DType.Float64 ? (rosenbrock ? 1e-9 : 1e-12) : (rosenbrock ? 2e-4 : 2e-5);

    /// <summary>The worst scaled error of <paramref name="actual"/> against <paramref name="expected"/>; lrs must be equal.</summary>
    public static double WorstError(ReplayResult expected, ReplayResult actual)
    {
        double worst = 0;
        Assert.Equal(expected.Params.Count, actual.Params.Count);
        for (int t = 0; t < expected.Params.Count; t++)
        {
            var e = expected.Params[t];
            Assert.Equal(e.Length, actual.Params[t].Length);
            for (int i = 0; i < e.Length; i++) worst = Math.Max(worst, Scaled(actual.Params[t][i], e[i]));
            Assert.Equal(expected.Lr[t], actual.Lr[t]);
        }
        Assert.Equal(expected.Loss is null, actual.Loss is null);
        if (expected.Loss is not null)
        {
            Assert.Equal(expected.Loss.Count, actual.Loss!.Count);
            for (int t = 0; t < expected.Loss.Count; t++) worst = Math.Max(worst, Scaled(actual.Loss[t], expected.Loss[t]));
        }
        return worst;
    }

    private static double Scaled(double actual, double expected)
    {
        if (!double.IsFinite(actual) || !double.IsFinite(expected))
            return actual.Equals(expected) ? 0 : double.PositiveInfinity; // NaN.Equals(NaN) is true
        return Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), Floor);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void ReplayMatchesPyTorch(string file)
    {
        using (var doc = PythonJson.Parse(File.ReadAllText(Path.Combine(Dir, file))))
            if (doc.RootElement.TryGetProperty("expected_error", out var error))
            {
                // PyTorch refused the run; the replay must refuse it with the same message.
                var e = Assert.ThrowsAny<Exception>(() => Replay.Run(File.ReadAllText(Path.Combine(Dir, file))));
                Assert.Equal(error.GetString(), e.Message);
                return;
            }
        double worst = WorstError(file, out bool rosenbrock, out var dtype);
        double rtol = Rtol(dtype, rosenbrock);
        output.WriteLine($"{file}: worst scaled error {worst:E2} (rtol {rtol:E0})");
        Assert.True(worst <= rtol, $"{file}: worst scaled error {worst:E3} exceeds {rtol:E0}");
    }

    [Fact]
    public void EveryOptimizerHasFloat64Vectors()
    {
        // Named NAME.float64.LABEL.json with "dtype": "float64"; explicit gradients (LBFGS needs a closure) and rosenbrock
        // (not SparseAdam: PyTorch's refuses rosenbrock's dense gradients).
        var files = Directory.GetFiles(Dir, "*.float64.*.json").Select(Path.GetFileName).ToList();
        foreach (var f in files)
            Assert.Equal(DType.Float64, ReplaySpec.Parse(File.ReadAllText(Path.Combine(Dir, f!))).DType);
        foreach (var name in Descent.OptimizerRegistry.Names)
        {
            var mine = files.Where(f => f!.StartsWith($"{name}.float64.", StringComparison.Ordinal)).ToList();
            if (name != "SparseAdam") Assert.Contains(mine, f => f!.Contains(".rosenbrock.", StringComparison.Ordinal));
            if (name != "LBFGS") Assert.Contains(mine, f => !f!.Contains(".rosenbrock.", StringComparison.Ordinal));
        }
        Assert.Contains("LBFGS.float64.rosenbrock.default.json", files);
        Assert.Contains("LBFGS.float64.rosenbrock.strong_wolfe.json", files);
    }
}
