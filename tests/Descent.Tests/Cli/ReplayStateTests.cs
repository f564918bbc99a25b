using System.Text.Json;
using Descent.Serialization;
using Descent.Tests.Serialization;
using Xunit;

namespace Descent.Tests.Cli;

/// <summary>
/// <c>descent replay --load-state/--save-state</c>: PyTorch's saved Adam/SGD/RMSprop states (Golden/checkpoints,
/// written by torch.save after k steps) continue along PyTorch's own trajectory, and the saved state round-trips.
/// </summary>
[Collection("Console")]
public class ReplayStateTests
{
    private static readonly Dictionary<string, string> ClassNames = new() { ["adam"] = "Adam", ["sgd"] = "SGD", ["rmsprop"] = "RMSprop" };

    /// <summary>A replay spec of the fixture: its parameters, options, two groups and its gradients.</summary>
    private static string Spec(JsonElement fx, string name)
    {
        var shapes = fx.GetProperty("shapes").EnumerateArray().Select(Fixtures.Ints).ToArray();
        var values = fx.GetProperty("params").EnumerateArray().Select(Fixtures.Floats).ToArray();
        var grads = fx.GetProperty("grads").EnumerateArray().Select(step => step.EnumerateArray().Select(Fixtures.Floats).ToArray()).ToArray();
        var spec = new Dictionary<string, object>
        {
            ["optimizer"] = new { name = ClassNames[name], options = JsonSerializer.Deserialize<Dictionary<string, object>>(fx.GetProperty("kwargs").GetRawText()) },
            ["params"] = shapes.Select((s, i) => new { shape = s, values = values[i] }).ToArray(),
            ["groups"] = new object[]
            {
                new { @params = new[] { 0, 1 }, options = new Dictionary<string, object>() },
                new { @params = new[] { 2 }, options = JsonSerializer.Deserialize<Dictionary<string, object>>(fx.GetProperty("group1").GetRawText()) },
            },
            ["steps"] = grads.Length,
            ["objective"] = new { name = "grads", grads },
        };
        return JsonSerializer.Serialize(spec);
    }

    private static (int Code, string Err) Run(params string[] args)
    {
        var err = new StringWriter();
        var previous = Console.Error;
        Console.SetError(err);
        try { return (Descent.Cli.Cli.Main(args), err.ToString()); }
        finally { Console.SetError(previous); }
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    [InlineData("rmsprop")]
    public void ContinuesFromPyTorchsSavedStateAlongPyTorchsTrajectory(string name)
    {
        var fx = Fixtures.Json($"optim_{name}.json");
        var dir = Directory.CreateTempSubdirectory("descent-replay-state").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "spec.json"), Spec(fx, name));
            var (code, err) = Run("replay", "--spec", Path.Combine(dir, "spec.json"), "--out", Path.Combine(dir, "out.json"),
                "--load-state", Fixtures.Path_($"optim_{name}.pt"), "--save-state", Path.Combine(dir, "state.pt"));
            Assert.True(code == 0, err);
            using var got = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out.json")));
            var trajectory = fx.GetProperty("trajectory").EnumerateArray().ToArray();
            var steps = got.RootElement.GetProperty("params").EnumerateArray().ToArray();
            Assert.Equal(trajectory.Length, steps.Length);
            for (int t = 0; t < steps.Length; t++)
            {
                var want = trajectory[t].EnumerateArray().SelectMany(Fixtures.Floats).ToArray();
                var have = steps[t].EnumerateArray().Select(v => v.GetSingle()).ToArray();
                Assert.Equal(want.Length, have.Length);
                for (int i = 0; i < want.Length; i++)
                    Assert.True(Math.Abs(want[i] - have[i]) <= 2e-5 * Math.Max(Math.Abs(want[i]), 1e-2), $"step {t} value {i}: {have[i]} vs PyTorch {want[i]}");
            }
            // The saved state is PyTorch's structure with every step taken: ids 0..2, one step per gradient more.
            var saved = OptimizerCheckpoint.Read(Path.Combine(dir, "state.pt"));
            Assert.Equal(2, saved.ParamGroups.Count);
            Assert.Equal([0, 1, 2], saved.State.Keys);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ABadStateFileFailsInOneLineAndWritesNothing()
    {
        var fx = Fixtures.Json("optim_adam.json");
        var dir = Directory.CreateTempSubdirectory("descent-replay-state").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "spec.json"), Spec(fx, "adam"));
            var bytes = File.ReadAllBytes(Fixtures.Path_("optim_adam.pt"));
            File.WriteAllBytes(Path.Combine(dir, "truncated.pt"), bytes[..(bytes.Length / 2)]);
            foreach (var bad in new[] { Path.Combine(dir, "truncated.pt"), Fixtures.Path_("optim_sgd.pt") })
            {
                var (code, err) = Run("replay", "--spec", Path.Combine(dir, "spec.json"), "--out", Path.Combine(dir, "out.json"),
                    "--load-state", bad, "--save-state", Path.Combine(dir, "state.pt"));
                Assert.NotEqual(0, code);
                Assert.Single(err.TrimEnd('\n', '\r').Split('\n'));
                Assert.DoesNotContain("   at ", err);
                Assert.False(File.Exists(Path.Combine(dir, "out.json")));
                Assert.False(File.Exists(Path.Combine(dir, "state.pt")));
            }
        }
        finally { Directory.Delete(dir, true); }
    }
}
