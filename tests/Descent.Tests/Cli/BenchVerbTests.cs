using System.Text.Json;
using Xunit;

namespace Descent.Tests.Cli;

/// <summary><c>descent bench tutorial</c>: its JSON line, and the one-line refusal of an unknown benchmark.</summary>
[Collection("Console")]
public class BenchVerbTests
{
    [Fact]
    public void TutorialReportsEveryRunAndTheBestLaterOne()
    {
        var (code, stdout, err) = LabHarness.Run("bench", "tutorial", "--repeat", "3", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var root = doc.RootElement;
        Assert.Equal(1536, root.GetProperty("steps").GetInt32());
        var runs = root.GetProperty("runs_ms").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(3, runs.Length);
        Assert.All(runs, r => Assert.True(r > 0));
        Assert.Equal(runs[0], root.GetProperty("first_ms").GetDouble());
        Assert.Equal(Math.Min(runs[1], runs[2]), root.GetProperty("best_ms").GetDouble());
        Assert.Equal(root.GetProperty("best_ms").GetDouble() * 1e3 / 1536, root.GetProperty("best_us_per_step").GetDouble(), 9);
    }

    [Fact]
    public void AnUnknownBenchmarkIsOneLineAndANonZeroExit()
    {
        var (code, stdout, err) = LabHarness.Run("bench", "nonsense");
        Assert.NotEqual(0, code);
        Assert.Equal("", stdout);
        Assert.Equal("descent: unknown benchmark 'nonsense'; try: gemm, optim, tutorial", err.Trim());
    }
}
