using System.Text.Json;
using Descent.Cli.Experiments;
using Xunit;

namespace Descent.Tests.Optim;

[CollectionDefinition("Console", DisableParallelization = true)]
public class ConsoleCollection;

/// <summary>The <c>descent replay</c> verb, run through the real CLI entry point in-process.</summary>
[Collection("Console")]
public class ReplayCliTests
{
    private static string Vector(string name) => Path.Combine(AppContext.BaseDirectory, "Golden", "conformance", name);

    private static (int Code, string Err) Cli(params string[] args)
    {
        var err = new StringWriter();
        var old = Console.Error;
        Console.SetError(err);
        try { return (Descent.Cli.Cli.Main(args), err.ToString()); }
        finally { Console.SetError(old); }
    }

    [Fact]
    public void ReplayWritesTheTrajectory()
    {
        var outPath = Path.Combine(Path.GetTempPath(), $"descent-replay-{Guid.NewGuid():N}.json");
        try
        {
            var (code, err) = Cli("replay", "--spec", Vector("Adam.amsgrad.json"), "--out", outPath);
            Assert.Equal("", err);
            Assert.Equal(0, code);
            using var got = JsonDocument.Parse(File.ReadAllText(outPath));
            using var spec = JsonDocument.Parse(File.ReadAllText(Vector("Adam.amsgrad.json")));
            var expected = spec.RootElement.GetProperty("expected").GetProperty("params");
            var actual = got.RootElement.GetProperty("params");
            Assert.Equal(expected.GetArrayLength(), actual.GetArrayLength());
            for (int t = 0; t < expected.GetArrayLength(); t++)
                foreach (var (e, a) in expected[t].EnumerateArray().Zip(actual[t].EnumerateArray()))
                    Assert.True(Math.Abs(e.GetDouble() - a.GetDouble()) <= 2e-5 * Math.Max(Math.Abs(e.GetDouble()), ConformanceTests.Floor));
            Assert.Equal(0.01, got.RootElement.GetProperty("lr")[0][0].GetDouble());
            Assert.False(got.RootElement.TryGetProperty("loss", out _));
        }
        finally { File.Delete(outPath); }
    }

    [Theory]
    [InlineData("{\"optimizer\": {\"name\": \"Adam\"}, \"params\": [{\"shape\": [2], \"values\": [1]}], \"steps\": 1, \"objective\": {\"name\": \"rosenbrock\"}}", "params[0] has 1 values but shape [2] holds 2")]
    [InlineData("{\"optimizer\": {\"name\": \"Adamm\"}, \"params\": [{\"shape\": [2], \"values\": [1, 2]}], \"steps\": 1, \"objective\": {\"name\": \"rosenbrock\"}}", "unknown optimizer 'Adamm'")]
    [InlineData("{\"optimizer\": {\"name\": \"Adam\", \"options\": {\"lrr\": 1}}, \"params\": [{\"shape\": [2], \"values\": [1, 2]}], \"steps\": 1, \"objective\": {\"name\": \"rosenbrock\"}}", "Adam.__init__() got an unexpected keyword argument 'lrr'")]
    [InlineData("{\"optimizer\": {\"name\": \"Adam\", \"options\": {\"lr\": -1}}, \"params\": [{\"shape\": [2], \"values\": [1, 2]}], \"steps\": 1, \"objective\": {\"name\": \"rosenbrock\"}}", "Invalid learning rate: -1.0")]
    [InlineData("{\"optimizer\": {\"name\": \"SGD\"}, \"params\": [{\"shape\": [2], \"values\": [1, 2]}], \"steps\": 1, \"objective\": {\"name\": \"rosenbrock\"}, \"scheduler\": {\"name\": \"LambdaLR\", \"options\": {}}}", "scheduler LambdaLR is not supported by replay")]
    [InlineData("{\"optimizer\": {\"name\": \"SGD\"}, \"params\": [{\"shape\": [2], \"values\": [1, 2]}], \"steps\": 1, \"objective\": {\"name\": \"grads\", \"grads\": [[[1, 1]]]}, \"scheduler\": {\"name\": \"ReduceLROnPlateau\", \"options\": {}}}", "ReduceLROnPlateau needs a loss")]
    [InlineData("{\"optimizer\": {\"name\": \"SGD\"}, \"params\": [{\"shape\": [2], \"values\": [1, 2]}], \"steps\": 1, \"objective\": {\"name\": \"rosenbrock\"}, \"scheduler\": {\"name\": \"StepLR\", \"options\": {\"step_size\": 2, \"gama\": 0.5}}}", "gama")]
    [InlineData("{\"optimizer\": {\"name\": \"SGD\"}, \"params\": [{\"shape\": [2], \"values\": [1, 2]}], \"steps\": 2, \"objective\": {\"name\": \"grads\", \"grads\": [[[1, 2]]]}}", "objective.grads has 1 steps but 'steps' is 2")]
    [InlineData("{not json", "spec is not valid JSON")]
    public void MalformedSpecFailsInOneLineWithoutOutput(string spec, string message)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"descent-replay-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "spec.json"), spec);
            var outPath = Path.Combine(dir, "out.json");
            var (code, err) = Cli("replay", "--spec", Path.Combine(dir, "spec.json"), "--out", outPath);
            Assert.NotEqual(0, code);
            Assert.Single(err.TrimEnd('\n', '\r').Split('\n'));
            Assert.Contains(message, err);
            Assert.False(File.Exists(outPath));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void MissingArgumentsAreUserErrors()
    {
        var (code, err) = Cli("replay", "--spec", "x.json");
        Assert.Equal(2, code);
        Assert.Contains("--out", err);
    }

    [Fact]
    public void ReplayRecordsLossAndLrPerGroup()
    {
        var result = Replay.Run(File.ReadAllText(Vector("SGD.groups.json")));
        Assert.Equal([0.01, 0.1], result.Lr[0]);
        var rosen = Replay.Run(File.ReadAllText(Vector("LBFGS.rosenbrock.default.json")));
        Assert.Equal(rosen.Params.Count, rosen.Loss!.Count);
    }
}
