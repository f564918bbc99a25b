using System.Text.Json;
using Descent.Cli.Experiments;
using Descent.NN;
using Descent.Optim;
using Descent.Serialization;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Serialization;

/// <summary>
/// Guards the writer's bytes: files Descent writes for fixed states must equal the committed ones in
/// Golden/checkpoints/descent/, which PyTorch 1.13 was verified to load and continue from
/// (tests/golden/check_descent_files.py wrote descent/check.json). To regenerate: set DESCENT_WRITE_FIXTURES to a
/// folder, run these tests, run the script on that folder, and copy the folder over Golden/checkpoints/descent.
/// </summary>
[Collection("GlobalGenerator")]
public class DescentToPyTorchTests
{
    public static TheoryData<string> Names => new() { "adam", "sgd", "rmsprop" };

    /// <summary>Every file and its bytes, made deterministically from the PyTorch fixtures.</summary>
    private static Dictionary<string, byte[]> MakeFiles()
    {
        var files = new Dictionary<string, byte[]>();
        foreach (var name in new[] { "adam", "sgd", "rmsprop" })
        {
            var fx = Fixtures.Json($"optim_{name}.json");
            var p = Fixtures.Params(fx);
            var opt = Fixtures.MakeOptimizer(name, p);
            opt.Load(Fixtures.Path_($"optim_{name}.pt"));
            var grads = fx.GetProperty("grads").EnumerateArray().ToArray();
            Fixtures.StepWith(opt, p, grads[0]);
            Fixtures.StepWith(opt, p, grads[1]);
            files[$"optim_{name}.pt"] = TorchFile.ToBytes(OptimizerStateDicts.ToPy(opt.StateDict()), $"optim_{name}");
            files[$"params_{name}.pt"] = TorchFile.ToBytes(p.Select(t => (object?)t.Detach()).ToList(), $"params_{name}");
        }
        Torch.ManualSeed(5);
        var net = new TutorialNet();
        files["net.pt"] = TorchFile.ToBytes(ModuleStateDicts.ToPy(net.StateDict(), net), "net");
        var gen = new Generator(11);
        gen.Random();
        var sgd = new SGD(net.Parameters(), lr: 0.1, momentum: 0.9);
        var path = Path.Combine(Path.GetTempPath(), $"descent-ckpt-{Guid.NewGuid():N}.pt");
        try
        {
            Checkpoint.Save(path, net, sgd, epoch: 4, schedulerState: new Dictionary<string, object?> { ["last_epoch"] = 4L, ["base_lrs"] = new List<object?> { 0.1 } }, generator: gen);
            var bytes = File.ReadAllBytes(path);
            // The archive folder is the file's name; normalise it to "checkpoint" by re-writing through the loader.
            files["checkpoint.pt"] = TorchFile.ToBytes(TorchFile.Load(new MemoryStream(bytes)), "checkpoint");
        }
        finally { File.Delete(path); }
        files["net.safetensors"] = SafeTensors.ToBytes(net.StateDict(), new Dictionary<string, string> { ["format"] = "pt" });
        files["module.pt"] = TorchFile.ToBytes(MakeModule(), "module");
        return files;
    }

    /// <summary>The whole module of module.pt: a Sequential MLP of allow-listed layers, made from a fixed seed.</summary>
    private static Sequential MakeModule()
    {
        Torch.ManualSeed(9);
        return new Sequential(new Linear(3, 8), new ReLU(), new Dropout(0.2), new Linear(8, 4), new Sigmoid(), new Linear(4, 2), new LogSoftmax(1));
    }

    private static readonly float[] ModuleInput = [0.5f, -1f, 2f, 0f, 0.25f, -0.75f];

    [Fact]
    public void WriterOutputIsByteIdenticalToThePyTorchVerifiedFiles()
    {
        var files = MakeFiles();
        var outDir = Environment.GetEnvironmentVariable("DESCENT_WRITE_FIXTURES");
        if (!string.IsNullOrEmpty(outDir))
        {
            Directory.CreateDirectory(outDir);
            foreach (var (n, b) in files) File.WriteAllBytes(Path.Combine(outDir, n), b);
            var net = new TutorialNet();
            net.LoadStateDict(ModuleStateDicts.FromPy(TorchFile.Load(new MemoryStream(files["net.pt"]))));
            var x = Tensor.Linspace(-1, 1, 5).Unsqueeze(1);
            File.WriteAllText(Path.Combine(outDir, "net_expected.json"),
                JsonSerializer.Serialize(new { x = x.ToArray(), y = net.Forward(x).ToArray(), rand_after_rng = new Generator(11).Let(g => { g.Random(); return Tensor.Rand([3], g).ToArray(); }) }));
            var module = MakeModule().Eval();
            File.WriteAllText(Path.Combine(outDir, "module_expected.json"),
                JsonSerializer.Serialize(new { x = ModuleInput, x_shape = new[] { 2, 3 }, y = module.Forward(Tensor.FromArray(ModuleInput, 2, 3)).ToArray() }));
        }
        foreach (var (name, bytes) in files)
            Assert.True(File.ReadAllBytes(Path.Combine(Fixtures.Dir, "descent", name)).AsSpan().SequenceEqual(bytes),
                $"Descent's writer no longer produces the PyTorch-verified bytes of {name}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void PyTorchContinuedFromDescentsFileAlongItsOwnTrajectory(string name)
    {
        // check.json holds what PyTorch computed after loading Descent's optimizer file and parameters and stepping
        // with the fixture's gradients 2 and 3; it must equal PyTorch's own uninterrupted trajectory.
        var check = Fixtures.Json("descent/check.json").GetProperty(name);
        var fx = Fixtures.Json($"optim_{name}.json");
        var trajectory = fx.GetProperty("trajectory").EnumerateArray().ToArray();
        var got = check.GetProperty("trajectory").EnumerateArray().ToArray();
        for (int step = 0; step < 2; step++)
        {
            var want = trajectory[step + 2].EnumerateArray().ToArray();
            var have = got[step].EnumerateArray().ToArray();
            for (int i = 0; i < want.Length; i++)
            {
                var w = Fixtures.Floats(want[i]);
                var h = Fixtures.Floats(have[i]);
                for (int j = 0; j < w.Length; j++) Assert.True(Math.Abs(w[j] - h[j]) <= 2e-5, $"{name} step {step} param {i}[{j}]");
            }
        }
        Assert.True(check.GetProperty("loaded").GetBoolean());
    }

    [Fact]
    public void PyTorchOpenedDescentsWholeModuleAsTorchNnClassesPredictingDescentsOutputs()
    {
        // check.json: what PyTorch 1.13's torch.load made of module.pt, and its outputs in eval mode.
        var check = Fixtures.Json("descent/check.json").GetProperty("module");
        Assert.Equal(["torch.nn.modules.container.Sequential", "torch.nn.modules.linear.Linear", "torch.nn.modules.activation.ReLU",
            "torch.nn.modules.dropout.Dropout", "torch.nn.modules.linear.Linear", "torch.nn.modules.activation.Sigmoid",
            "torch.nn.modules.linear.Linear", "torch.nn.modules.activation.LogSoftmax"], check.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        Assert.True(check.GetProperty("training").GetBoolean());
        Assert.True(check.GetProperty("torch_save_identical").GetBoolean());
        var module = MakeModule().Eval();
        var y = module.Forward(Tensor.FromArray(ModuleInput, 2, 3)).ToArray();
        var pytorch = Fixtures.Floats(check.GetProperty("outputs"));
        Assert.Equal(y.Length, pytorch.Length);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] - pytorch[i]) <= 1e-6, $"y[{i}]: Descent {y[i]}, PyTorch {pytorch[i]}");
    }

    [Fact]
    public void PyTorchLoadedDescentsModuleCheckpointAndSafetensors()
    {
        var check = Fixtures.Json("descent/check.json");
        Assert.True(check.GetProperty("net").GetProperty("outputs_match").GetBoolean());
        Assert.True(check.GetProperty("checkpoint").GetProperty("rng_matches").GetBoolean());
        Assert.Equal(4, check.GetProperty("checkpoint").GetProperty("epoch").GetInt32());
        Assert.True(check.GetProperty("safetensors").GetProperty("matches").GetBoolean());
    }
}

internal static class LetExtension
{
    public static TResult Let<T, TResult>(this T value, Func<T, TResult> f) => f(value);
}
