using System.Text.Json;
using Descent.Cli.Experiments;
using Descent.NN;
using Descent.Optim;
using Descent.Serialization;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Serialization;

/// <summary>
/// Whole-module files (<c>torch.save(model)</c>) from PyTorch 1.13 (tests/golden/gen_modules.py): rebuilt from the
/// allow-list of torch.nn classes, predicting PyTorch's outputs; classes outside it refused by name. And the typed
/// result of <see cref="Torch.Load"/>: <c>net.LoadStateDict(Torch.Load(path))</c>, <c>opt.LoadStateDict(Torch.Load(path))</c>.
/// </summary>
[Collection("GlobalGenerator")]
public class WholeModuleTests
{
    private static string PathOf(string name) => Fixtures.Path_(Path.Combine("modules", name));

    private static JsonElement Json => Fixtures.Json(Path.Combine("modules", "modules.json"));

    private static void AssertClose(float[] want, float[] got, double tolerance, string what)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - got[i]) <= tolerance, $"{what}[{i}]: {got[i]} vs PyTorch {want[i]}");
    }

    [Theory]
    [InlineData("mlp.pt")]
    [InlineData("mlp_legacy.pt")]
    public void SequentialMlpSavedWholeByPyTorchPredictsPyTorchsOutputs(string file)
    {
        Module loaded = Torch.Load(PathOf(file));
        var net = Assert.IsType<Sequential>(loaded);
        Assert.Equal(7, net.Count);
        Assert.Equal(new[] { typeof(Linear), typeof(ReLU), typeof(Dropout), typeof(Linear), typeof(Tanh), typeof(Linear), typeof(Softmax) },
            Enumerable.Range(0, 7).Select(i => net[i].GetType()));
        var first = (Linear)net[0];
        Assert.Equal((4, 16), (first.InFeatures, first.OutFeatures));
        Assert.Equal(0.1, ((Dropout)net[2]).P);
        Assert.Equal(1, ((Softmax)net[6]).Dim);
        Assert.All(net.Modules(), m => Assert.True(m.Training)); // saved in training mode
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad && p.IsLeaf));
        Assert.Equal("Sequential(\n  (0): Linear(in_features=4, out_features=16, bias=True)\n  (1): ReLU()\n  (2): Dropout(p=0.1, inplace=False)\n"
            + "  (3): Linear(in_features=16, out_features=8, bias=True)\n  (4): Tanh()\n  (5): Linear(in_features=8, out_features=3, bias=True)\n  (6): Softmax(dim=1)\n)",
            net.ToString());
        var fx = Json.GetProperty("mlp");
        net.Eval();
        var y = net.Forward(Tensor.FromArray(Fixtures.Floats(fx.GetProperty("x")), 5, 4));
        Assert.Equal(new[] { 5, 3 }, y.Shape);
        AssertClose(Fixtures.Floats(fx.GetProperty("y")), y.ToArray(), 1e-6, file);
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("zoo")]
    public void DescentWritesTheWholeModuleByteForByteAsTorchSave(string name)
    {
        // What Descent rebuilt, written back under the same archive name, is torch.save(model)'s file exactly.
        Module net = Torch.Load(PathOf(name + ".pt"));
        Assert.Equal(File.ReadAllBytes(PathOf(name + ".pt")), TorchFile.ToBytes(net, name));
    }

    [Fact]
    public void EveryAllowListedLayerLoadsWithItsAttributesAndTrainingFlag()
    {
        var zoo = Assert.IsType<Sequential>((Module)Torch.Load(PathOf("zoo.pt")));
        Assert.All(zoo.Modules(), m => Assert.False(m.Training)); // saved in eval mode
        Assert.IsType<Flatten>(zoo[0]);
        Assert.Null(Assert.IsType<Linear>(zoo[1]).Bias);
        var softplus = Assert.IsType<Softplus>(zoo[2]);
        Assert.Equal((2.0, 10.0), (softplus.Beta, softplus.Threshold));
        var inner = Assert.IsType<Sequential>(zoo[3]);
        Assert.IsType<Sigmoid>(inner[1]);
        Assert.IsType<Identity>(zoo[4]);
        Assert.Equal(1, Assert.IsType<LogSoftmax>(zoo[5]).Dim);
        var fx = Json.GetProperty("zoo");
        var y = zoo.Forward(Tensor.FromArray(Fixtures.Floats(fx.GetProperty("x")), 3, 2, 3));
        AssertClose(Fixtures.Floats(fx.GetProperty("y")), y.ToArray(), 1e-6, "zoo");
    }

    [Fact]
    public void LossModulesSavedWholeComputePyTorchsLosses()
    {
        var losses = Torch.Load(PathOf("losses.pt"));
        var fx = Json.GetProperty("losses");
        var logits = Tensor.FromArray(Fixtures.Floats(fx.GetProperty("logits")), 4, 3);
        var classes = Tensor.FromArray(fx.GetProperty("classes").EnumerateArray().Select(e => e.GetInt64()).ToArray(), 4);
        var probs = Tensor.FromArray(Fixtures.Floats(fx.GetProperty("probs")), 4, 3);
        var targets = Tensor.FromArray(Fixtures.Floats(fx.GetProperty("targets01")), 4, 3);
        var want = fx.GetProperty("values");
        var ce = Assert.IsType<CrossEntropyLoss>((Module)losses["ce"]);
        Assert.Equal(0.1, ce.LabelSmoothing);
        Assert.Equal(new float[] { 1, 2, 0.5f }, ce.Weight!.ToArray());
        var nll = Assert.IsType<NLLLoss>((Module)losses["nll"]);
        Assert.Equal((1L, "sum"), (nll.IgnoreIndex, nll.Reduction));
        (string Key, double Got)[] got =
        [
            ("ce", ce.Call(logits, classes).Item()),
            ("nll", nll.Call(logits.LogSoftmax(1), classes).Item()),
            ("mse", ((Loss)(Module)losses["mse"]).Call(logits, probs).Item()),
            ("l1", ((Loss)(Module)losses["l1"]).Call(logits, probs).Item()),
            ("bce", ((Loss)(Module)losses["bce"]).Call(probs, targets).Item()),
            ("bcel", ((Loss)(Module)losses["bcel"]).Call(logits, targets).Item()),
        ];
        foreach (var (key, value) in got)
            Assert.True(Math.Abs(want.GetProperty(key).GetDouble() - value) <= 1e-5, $"{key}: {value} vs PyTorch {want.GetProperty(key).GetDouble()}");
    }

    [Fact]
    public void AUserDefinedClassIsRefusedByNameWithAPointerToStateDict()
    {
        var e = Assert.Throws<InvalidDataException>(() => Torch.Load(PathOf("custom_class.pt")));
        Assert.Contains("'__main__.Net'", e.Message, StringComparison.Ordinal);
        Assert.Contains("state_dict", e.Message, StringComparison.Ordinal);
        Assert.Contains("refused without running it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATorchNNClassOnTheAllowListSinceLoads()
    {
        // conv.pt was the example of a torch.nn class Descent lacked; Conv2d is on the allow-list now.
        var net = Assert.IsType<Sequential>((Module)Torch.Load(PathOf("conv.pt")));
        var conv = Assert.IsType<Conv2d>(net[0]);
        Assert.Equal("Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1))", conv.ToString());
    }

    [Fact]
    public void ATorchNNClassDescentLacksIsRefusedByName()
    {
        var pkl = System.Text.Encoding.Latin1.GetBytes("\u0080\u0002ctorch.nn.modules.conv\nConvTranspose2d\n)\u0081}b.");
        var path = Path.Combine(Path.GetTempPath(), $"descent-bn-{Guid.NewGuid():N}.pt");
        File.WriteAllBytes(path, HostileCorpus.Zip(pkl, []));
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => Torch.Load(path));
            Assert.Contains("'torch.nn.modules.conv.ConvTranspose2d'", e.Message, StringComparison.Ordinal);
            Assert.Contains("Descent has no torch.nn class of that name", e.Message, StringComparison.Ordinal);
            Assert.Contains("state_dict", e.Message, StringComparison.Ordinal);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void DescentsWholeModuleFileRoundTripsWithSharedParametersAndFlags()
    {
        Torch.ManualSeed(4);
        var shared = new Linear(3, 3);
        var net = new Sequential(new Flatten(), shared, new ReLU(inplace: true), new Dropout(0.25), shared, new Softplus(beta: 1.5), new LogSoftmax(1));
        net[3].Eval();
        var back = Assert.IsType<Sequential>(TorchFile.Load(new MemoryStream(TorchFile.ToBytes(net, "net"))));
        Assert.Same(back[1], back[4]); // the same module twice, as pickled: one object
        Assert.True(Assert.IsType<ReLU>(back[2]).Inplace);
        Assert.Equal(0.25, Assert.IsType<Dropout>(back[3]).P);
        Assert.False(back[3].Training);
        Assert.True(back[1].Training);
        Assert.Equal(1.5, Assert.IsType<Softplus>(back[5]).Beta);
        var x = Tensor.Randn(2, 3);
        net.Eval();
        back.Eval();
        Assert.Equal(net.Forward(x).ToArray(), back.Forward(x).ToArray());
    }

    [Fact]
    public void AModuleWithoutARegisteredClassCannotBeSavedWhole()
    {
        var e = Assert.Throws<ArgumentException>(() => TorchFile.ToBytes(new TutorialNet()));
        Assert.Contains("TutorialNet", e.Message, StringComparison.Ordinal);
        Assert.Contains("state dict", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALayerRegisteredLaterJoinsTheAllowList()
    {
        Scale.EnsureRegistered();
        Assert.Contains(Scale.PythonClass, ModuleClasses.Names);
        Assert.Throws<ArgumentException>(() => ModuleClasses.Register<Scale>(Scale.PythonClass, s => new Scale(1), m => []));
        Assert.Throws<ArgumentException>(() => ModuleClasses.Register<Identity>("torch.nn.modules.linear.Identity", s => new Identity(), m => []));
        var net = new Sequential(new Scale(2.5), new Linear(2, 2));
        var back = Assert.IsType<Sequential>(TorchFile.Load(new MemoryStream(TorchFile.ToBytes(net))));
        var scale = Assert.IsType<Scale>(back[0]);
        Assert.Equal(2.5, scale.Factor);
        Assert.Equal(net[0].Buffers().Single().ToArray(), scale.Buffers().Single().ToArray());
    }

    [Fact]
    public void TypedLoadReadsAsPyTorchsIdioms()
    {
        // model.load_state_dict(torch.load(path))
        var net = new TutorialNet();
        var keys = net.LoadStateDict(Torch.Load(Fixtures.Path_("net_state.pt")));
        Assert.Equal("<All keys matched successfully>", keys.ToString());
        var fx = Fixtures.Json("net_state.json");
        Assert.Equal(Fixtures.Floats(fx.GetProperty("state").GetProperty("hidden.weight").GetProperty("values")), net.StateDict()["hidden.weight"].ToArray());
        // optimizer.load_state_dict(torch.load(path))
        var ofx = Fixtures.Json("optim_adam.json");
        var p = Fixtures.Params(ofx);
        var opt = Fixtures.MakeOptimizer("adam", p);
        opt.LoadStateDict(Torch.Load(Fixtures.Path_("optim_adam.pt")));
        Assert.Equal(3.0, ((Tensor)opt.StateDict().State[0]["step"]).Item());
        // A file that holds something else says so.
        var wrong = Assert.Throws<InvalidDataException>(() => net.LoadStateDict(Torch.Load(Fixtures.Path_("optim_adam.pt"))));
        Assert.Contains("'state'", wrong.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => { Module m = Torch.Load(Fixtures.Path_("net_state.pt")); });
        Assert.Throws<KeyNotFoundException>(() => Torch.Load(Fixtures.Path_("net_state.pt"))["nope"]);
    }

    /// <summary>A layer outside torch.nn with a buffer, registered by a test as a later layer would be.</summary>
    private sealed class Scale : Module
    {
        public const string PythonClass = "descent_tests.layers.Scale";
        private static readonly Lazy<bool> Registered = new(() =>
        {
            ModuleClasses.Register<Scale>(PythonClass, s => new Scale(s.GetDouble("factor")), m => [("factor", m.Factor)]);
            return true;
        });

        public Scale(double factor)
        {
            Factor = factor;
            RegisterBuffer("factors", Tensor.Full([2], factor));
        }

        public double Factor { get; }

        public static void EnsureRegistered() => _ = Registered.Value;

        public override Tensor Forward(Tensor input) => input * Factor;
    }
}
