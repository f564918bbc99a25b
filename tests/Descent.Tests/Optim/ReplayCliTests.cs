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
    [InlineData("{\"dtype\": \"float16\", \"optimizer\": {\"name\": \"SGD\"}, \"params\": [{\"shape\": [2], \"values\": [1, 2]}], \"steps\": 1, \"objective\": {\"name\": \"rosenbrock\"}}", "'dtype' is 'float16' (expected 'float32' or 'float64')")]
    [InlineData("{\"dtype\": \"float32\", \"optimizer\": {\"name\": \"SGD\"}, \"params\": [{\"shape\": [2], \"values\": [1e39, 2]}], \"steps\": 1, \"objective\": {\"name\": \"rosenbrock\"}}", "params[0].values[0] is 1e39, outside float32's range")]
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

    /// <summary>
    /// A spec from its parts (JSON text); the defaults make a valid 1-step SGD replay on rosenbrock over two values.
    /// </summary>
    private static string Spec(string optimizer = """{"name": "SGD", "options": {"lr": 0.01}}""",
        string parameters = """[{"shape": [2], "values": [1, 2]}]""", string steps = "1", string objective = """{"name": "rosenbrock"}""",
        string? scheduler = null, string? groups = null) =>
        $$"""{"optimizer": {{optimizer}}, "params": {{parameters}}, "steps": {{steps}}, "objective": {{objective}}""" +
        (scheduler is null ? "" : $", \"scheduler\": {scheduler}") + (groups is null ? "" : $", \"groups\": {groups}") + "}";

    private const string Lbfgs = """{"name": "LBFGS", "options": {"history_size": 2147483647}}""";
    private const string Float32Range = "outside float32's range (largest finite value 3.4028235e+38); write Infinity for an infinite value";

    /// <summary>Each bad spec and the one line <c>descent replay</c> prints for it.</summary>
    private static readonly Dictionary<string, (string Spec, string Message)> BadSpecs = new()
    {
        ["value past float32"] = (Spec(parameters: """[{"shape": [2], "values": [1e39, 1]}]"""), $"params[0].values[0] is 1e39, {Float32Range}"),
        ["gradient past float32"] = (Spec(objective: """{"name": "grads", "grads": [[[1, -1e39]]]}"""),
            $"objective.grads[0][0][1] is -1e39, {Float32Range}"),
        ["option past float64"] = (Spec(optimizer: """{"name": "SGD", "options": {"lr": 1e400}}"""),
            "optimizer.options.lr is 1e400, outside float64's range; write Infinity for an infinite value"),
        ["a billion steps"] = (Spec(steps: "1000000000"), "'steps' is 1000000000; a replay runs at most 1000000 steps"),
        ["steps past long"] = (Spec(steps: "100000000000000000000000"), "'steps' is 100000000000000000000000; a replay runs at most 1000000 steps"),
        ["fractional steps"] = (Spec(steps: "2.5"), "'steps' must be a non-negative integer"),
        ["NaN steps"] = (Spec(steps: "NaN"), "'steps' must be a non-negative integer"),
        ["trajectory too large"] = (Spec(steps: "1000000", parameters: $$"""[{"shape": [20], "values": [{{string.Join(", ", Enumerable.Repeat(1, 20))}}]}]"""),
            "the trajectory would hold 1000000 steps × 20 values = 20000000 values; a replay records at most 10000000"),
        ["history_size 2^31 - 1"] = (Spec(optimizer: Lbfgs),
            "optimizer.options.history_size is 2147483647; a replay allows at most 1000000 (LBFGS keeps a list of history_size entries from its first step, as PyTorch does)"),
        ["history_size in a group"] = (Spec(optimizer: """{"name": "LBFGS"}""", groups: """[{"params": [0], "options": {"history_size": 1e7}}]"""),
            "groups[0].options.history_size is 10000000; a replay allows at most 1000000 (LBFGS keeps a list of history_size entries from its first step, as PyTorch does)"),
        ["shape product overflows"] = (Spec(parameters: """[{"shape": [65536, 65536, 65536, 65536], "values": []}]"""),
            "params[0].shape: Storage size calculation overflowed with sizes=[65536, 65536, 65536, 65536]"),
        ["shape product wraps to 4"] = (Spec(parameters: """[{"shape": [4, 5, 5581, 8681, 49477, 384773], "values": [1, 2, 3, 4]}]"""),
            "params[0].shape: Storage size calculation overflowed with sizes=[4, 5, 5581, 8681, 49477, 384773]"),
        ["NaN in a shape"] = (Spec(parameters: """[{"shape": [NaN], "values": [1]}]"""), "params[0].shape must be an array of integers"),
        ["NaN as a name"] = (Spec(objective: """{"name": NaN}"""), "objective.name must be a string"),
        ["StepLR step_size 0"] = (Spec(scheduler: """{"name": "StepLR", "options": {"step_size": 0}}"""),
            "StepLR: step_size must not be 0: PyTorch divides by it and raises ZeroDivisionError at the first step"),
        ["CosineAnnealingLR T_max 0"] = (Spec(scheduler: """{"name": "CosineAnnealingLR", "options": {"T_max": 0}}"""),
            "CosineAnnealingLR: T_max must not be 0: PyTorch divides by it and raises ZeroDivisionError at the first step"),
        ["CyclicLR step_size_up 0"] = (Spec(scheduler: """{"name": "CyclicLR", "options": {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 0}}"""),
            "CyclicLR: step_size_up must not be 0: PyTorch divides by it and raises ZeroDivisionError when the scheduler is created"),
        ["CyclicLR cycle of length 0"] = (Spec(scheduler: """{"name": "CyclicLR", "options": {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3, "step_size_down": -3}}"""),
            "CyclicLR: step_size_up + step_size_down must not be 0: PyTorch divides by it and raises ZeroDivisionError when the scheduler is created"),
        ["OneCycleLR empty first phase"] = (Spec(scheduler: """{"name": "OneCycleLR", "options": {"max_lr": 0.1, "total_steps": 4, "pct_start": 0.25}}"""),
            "OneCycleLR: pct_start * total_steps must not be 1: the first phase would be empty, and PyTorch divides by its length (ZeroDivisionError when the scheduler is created)"),
        ["OneCycleLR empty last phase"] = (Spec(steps: "4", scheduler: """{"name": "OneCycleLR", "options": {"max_lr": 0.1, "total_steps": 4, "pct_start": 1.0}}"""),
            "OneCycleLR: pct_start 1 leaves the last phase empty, and PyTorch divides by its length (ZeroDivisionError at step 4, within this replay's 4 steps)"),
        ["SGD lr past float32"] = (Spec(optimizer: """{"name": "SGD", "options": {"lr": 1e308}}"""), "value cannot be converted to type float without overflow"),
    };

    public static TheoryData<string> BadSpecNames() => new(BadSpecs.Keys);

    [Theory]
    [MemberData(nameof(BadSpecNames))]
    public void BadSpecFailsWithItsMessageInOneLine(string name)
    {
        var (spec, message) = BadSpecs[name];
        var dir = Directory.CreateTempSubdirectory("descent-replay").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "spec.json"), spec);
            var outPath = Path.Combine(dir, "out.json");
            var (code, err) = Cli("replay", "--spec", Path.Combine(dir, "spec.json"), "--out", outPath);
            Assert.Equal(1, code);
            Assert.Equal($"descent: {message}{Environment.NewLine}", err);
            Assert.False(File.Exists(outPath));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void OneCycleLRWithAnEmptyLastPhaseRunsWhileTheReplayStopsShortOfIt()
    {
        // PyTorch runs pct_start 1 for total_steps − 1 steps and divides by zero only at step total_steps.
        var result = Replay.Run(Spec(steps: "3", scheduler: """{"name": "OneCycleLR", "options": {"max_lr": 0.1, "total_steps": 4, "pct_start": 1.0}}"""));
        Assert.Equal(3, result.Lr.Count);
    }

    /// <summary>
    /// Diverging vectors through the CLI: OUT holds NaN and infinities as Python's json writes them (bare tokens), reads
    /// back, and matches PyTorch's trajectory value for value (NaN where PyTorch has NaN, the same infinities, the
    /// finite values within the conformance tolerance).
    /// </summary>
    [Theory]
    [InlineData("SGD.diverge_lr.json", new[] { "Infinity", "-Infinity" })]
    [InlineData("SGD.diverge_momentum_nan.json", new[] { "NaN" })]
    [InlineData("Adam.diverge_lr.json", new[] { "-Infinity" })]
    [InlineData("SGD.rosenbrock.diverge.json", new[] { "NaN", "Infinity", "-Infinity" })]
    [InlineData("SGD.nonfinite_inputs.json", new[] { "NaN", "Infinity", "-Infinity" })]
    public void DivergingReplayWritesNaNAndInfinityAndMatchesPyTorch(string vector, string[] tokens)
    {
        var dir = Directory.CreateTempSubdirectory("descent-replay").FullName;
        try
        {
            var outPath = Path.Combine(dir, "out.json");
            var (code, err) = Cli("replay", "--spec", Vector(vector), "--out", outPath);
            Assert.Equal("", err);
            Assert.Equal(0, code);
            var text = File.ReadAllText(outPath);
            foreach (var token in tokens) Assert.Matches($"[\\[,]{token}[\\],]", text);
            Assert.DoesNotContain("\"", text.Replace("\"params\"", "").Replace("\"lr\"", "").Replace("\"loss\"", ""));
            var actual = ReplayResult.Parse(text);
            using var spec = PythonJson.Parse(File.ReadAllText(Vector(vector)));
            var expected = ReplayResult.FromJson(spec.RootElement.GetProperty("expected"));
            double rtol = expected.Loss is null ? 2e-5 : 2e-4;
            Assert.True(ConformanceTests.WorstError(expected, actual) <= rtol);
            Assert.Contains(actual.Params, step => step.Any(double.IsNaN) || step.Any(double.IsInfinity));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ReplayOfASpecPyTorchRefusesFailsWithPyTorchsMessage()
    {
        // SGD with lr 1e308: PyTorch refuses the float32 alpha −lr at the first step (the vector records its message).
        using var spec = PythonJson.Parse(File.ReadAllText(Vector("SGD.overflow_lr.json")));
        var dir = Directory.CreateTempSubdirectory("descent-replay").FullName;
        try
        {
            var outPath = Path.Combine(dir, "out.json");
            var (code, err) = Cli("replay", "--spec", Vector("SGD.overflow_lr.json"), "--out", outPath);
            Assert.Equal(1, code);
            Assert.Equal($"descent: {spec.RootElement.GetProperty("expected_error").GetString()}{Environment.NewLine}", err);
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
    public void Float64SpecKeepsValuesPastFloat32()
    {
        // 1e39 and 1 + 2⁻⁴⁰ are float64 values float32 cannot hold; SGD with lr 0 keeps them as they are.
        var result = Replay.Run("""{"dtype": "float64", "optimizer": {"name": "SGD", "options": {"lr": 0}}, "params": [{"shape": [2], "values": [1e39, 1.0000000000009095]}], "steps": 1, "objective": {"name": "grads", "grads": [[[1, 1]]]}}""");
        Assert.Equal(Descent.Tensors.DType.Float64, result.DType);
        Assert.Equal([1e39, 1.0000000000009095], result.Params[0]);
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
