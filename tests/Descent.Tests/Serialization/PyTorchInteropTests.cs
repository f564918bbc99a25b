using Descent.Cli.Experiments;
using Descent.NN;
using Descent.Optim;
using Descent.Serialization;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Serialization;

/// <summary>Files written by PyTorch 1.13's torch.save, loaded by Descent (fixtures from tests/golden/gen_checkpoints.py).</summary>
public class PyTorchInteropTests
{
    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    [InlineData("rmsprop")]
    public void OptimizerStateFromPyTorchContinuesPyTorchsTrajectory(string name)
    {
        var fx = Fixtures.Json($"optim_{name}.json");
        var p = Fixtures.Params(fx);
        var opt = Fixtures.MakeOptimizer(name, p);
        opt.Load(Fixtures.Path_($"optim_{name}.pt"));
        Assert.Equal(2, opt.ParamGroups.Count);
        Assert.Equal(3, opt.State.Count);
        var grads = fx.GetProperty("grads").EnumerateArray().ToArray();
        var trajectory = fx.GetProperty("trajectory").EnumerateArray().ToArray();
        for (int step = 0; step < grads.Length; step++)
        {
            Fixtures.StepWith(opt, p, grads[step]);
            var expected = trajectory[step].EnumerateArray().ToArray();
            for (int i = 0; i < p.Length; i++)
            {
                var want = Fixtures.Floats(expected[i]);
                var got = p[i].ToArray();
                for (int j = 0; j < want.Length; j++)
                    Assert.True(Math.Abs(want[j] - got[j]) <= 2e-5, $"{name} step {step} param {i}[{j}]: {got[j]} vs PyTorch {want[j]}");
            }
        }
    }

    [Fact]
    public void OptimizerStateKeepsPyTorchsOptionTypes()
    {
        var sd = OptimizerCheckpoint.Read(Fixtures.Path_("optim_sgd.pt"));
        var g0 = sd.ParamGroups[0];
        Assert.Equal(0.05, g0["lr"]);
        Assert.Equal(false, g0["nesterov"]);
        Assert.Null(g0["foreach"]);
        Assert.Equal(new[] { 0, 1 }, g0["params"]);
        Assert.Equal(new[] { 2 }, sd.ParamGroups[1]["params"]);
        Assert.Equal(0.02, sd.ParamGroups[1]["lr"]);
        var adam = OptimizerCheckpoint.Read(Fixtures.Path_("optim_adam.pt"));
        Assert.Equal((0.9, 0.99), adam.ParamGroups[0]["betas"]);
        var step = Assert.IsType<Tensor>(adam.State[0]["step"]);
        Assert.Equal(DType.Float32, step.DType);
        Assert.Equal(0, step.Dim);
        Assert.Equal(3.0, step.Item());
        // PyTorch wrote weight_decay=0 as an int in SGD's defaults when not given; here it was given as a float.
        Assert.IsType<double>(g0["weight_decay"]);
        Assert.IsType<long>(OptimizerCheckpoint.Read(Fixtures.Path_("optim_rmsprop.pt")).ParamGroups[0]["weight_decay"]);
    }

    [Theory]
    [InlineData("net_state.pt")]
    [InlineData("net_state_legacy.pt")]
    public void ModuleStateFromPyTorchGivesPyTorchsOutputs(string file)
    {
        var fx = Fixtures.Json("net_state.json");
        var net = new TutorialNet();
        net.Load(Fixtures.Path_(file));
        foreach (var (name, t) in net.StateDict())
            Assert.Equal(Fixtures.Floats(fx.GetProperty("state").GetProperty(name).GetProperty("values")), t.ToArray());
        var x = Tensor.FromArray(Fixtures.Floats(fx.GetProperty("x")), 5, 1);
        var y = net.Forward(x).ToArray();
        var want = Fixtures.Floats(fx.GetProperty("y"));
        for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - y[i]) < 1e-6, $"y[{i}]: {y[i]} vs {want[i]}");
    }

    [Fact]
    public void DescentWritesTheModuleStateByteForByteAsTorchSave()
    {
        // Same weights, same archive name ("net_state"): Descent's writer reproduces torch.save's file exactly.
        var net = new TutorialNet();
        net.Load(Fixtures.Path_("net_state.pt"));
        var bytes = TorchFile.ToBytes(ModuleStateDicts.ToPy(net.StateDict(), net), "net_state");
        Assert.Equal(File.ReadAllBytes(Fixtures.Path_("net_state.pt")), bytes);
    }

    [Theory]
    [InlineData("misc.pt")]
    [InlineData("misc_p4.pt")]
    public void NestedContainersLoadWithTheirPythonTypes(string file)
    {
        var d = Assert.IsType<PyDict>(Torch.Load(Fixtures.Path_(file)).Value);
        Assert.True(d.IsOrderedDict);
        Assert.Equal(1L, d["int"]);
        Assert.Equal(-70000L, d["neg"]);
        Assert.Equal(System.Numerics.BigInteger.Pow(2, 70), d["big"]);
        Assert.Equal(2.5, d["float"]);
        Assert.Null(d["none"]);
        Assert.Equal(true, d["true"]);
        Assert.Equal("héllo", d["str"]);
        Assert.Equal(new byte[] { 0, 0xff, (byte)'a', (byte)'b' }, d["bytes"]);
        Assert.Equal(new PyTuple(1L, 2.0, "x"), d["tuple"]);
        var list = Assert.IsType<List<object?>>(d["list"]);
        Assert.Equal(1L, list[0]);
        Assert.Equal(new List<object?> { 2L, 3L }, list[1]);
        Assert.Equal("v", Assert.IsType<PyDict>(list[2])["k"]);
        Assert.Equal("b", Assert.IsType<PyDict>(d["intkeys"])[7L]);
        Assert.Equal(new long[] { 1, -2, 3 }, Assert.IsType<Tensor>(d["long"]).ToArray<long>());
        var dbl = Assert.IsType<Tensor>(d["double"]);
        Assert.Equal(new[] { 1, 2 }, dbl.Shape);
        Assert.Equal(new[] { 0.5, -1.25 }, dbl.ToArray<double>());
        Assert.Equal(new[] { true, false, true }, Assert.IsType<Tensor>(d["bool"]).ToArray<bool>());
        var u8 = Assert.IsType<RawTensor>(d["uint8"]);
        Assert.Equal("torch.uint8", u8.TorchDType);
        Assert.Equal(new byte[] { 1, 2, 255 }, u8.ToBytes());
        var b = Assert.IsType<Tensor>(d["base"]);
        var vt = Assert.IsType<Tensor>(d["view_t"]);
        var vs = Assert.IsType<Tensor>(d["view_slice"]);
        Assert.Same(b.Storage, vt.Storage); // views still share their storage
        Assert.Same(b.Storage, vs.Storage);
        Assert.Equal(new[] { 3, 2 }, vt.Shape);
        Assert.Equal(new[] { 1, 3 }, vt.Strides);
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, vt.ToArray());
        Assert.Equal(2, vs.StorageOffset);
        Assert.Equal(new float[] { 2, 3, 4 }, vs.ToArray());
        Assert.Equal(3.5, Assert.IsType<Tensor>(d["scalar"]).Item());
        Assert.Equal(new[] { 0, 3 }, Assert.IsType<Tensor>(d["empty"]).Shape);
        var param = Assert.IsType<Tensor>(d["param"]);
        Assert.True(param.RequiresGrad);
        Assert.True(param.IsLeaf);
    }

    [Fact]
    public void Protocol0PickleLoads()
    {
        var d = Assert.IsType<PyDict>(Torch.Load(Fixtures.Path_("plain_p0.pt")).Value);
        Assert.Equal(1L, d["a"]);
        Assert.Equal(new List<object?> { 1.5, "two", null, false }, d["b"]);
        Assert.Equal(new PyTuple(3L), d["c"]);
        Assert.Equal(-4L, Assert.IsType<PyDict>(d["d"])["e"]);
    }

    [Fact]
    public void LoadedNestedFileRoundTripsThroughDescentsWriter()
    {
        var original = Torch.Load(Fixtures.Path_("misc.pt")).Value;
        var again = TorchFile.Load(new MemoryStream(TorchFile.ToBytes(original)));
        var d = Assert.IsType<PyDict>(again);
        Assert.Equal(System.Numerics.BigInteger.Pow(2, 70), d["big"]);
        Assert.Equal(new byte[] { 0, 0xff, (byte)'a', (byte)'b' }, d["bytes"]);
        Assert.Same(Assert.IsType<Tensor>(d["base"]).Storage, Assert.IsType<Tensor>(d["view_t"]).Storage);
        Assert.Equal(new byte[] { 1, 2, 255 }, Assert.IsType<RawTensor>(d["uint8"]).ToBytes());
        Assert.True(Assert.IsType<Tensor>(d["param"]).RequiresGrad);
    }
}
