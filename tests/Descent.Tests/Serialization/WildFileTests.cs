using System.Text.Json;
using Descent.NN;
using Descent.Optim;
using Descent.Serialization;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Serialization;

/// <summary>
/// Files from PyTorch 2.x and from other tools (Golden/checkpoints/wild, tests/golden/gen_wild_files.py; their
/// origin in README.md there): 2.x's zip records and optimizer keys, parameters rebuilt with state, deflated entries,
/// bfloat16 and float16 storages, and a BF16/F16 safetensors file. Values are PyTorch's.
/// </summary>
public class WildFileTests
{
    private static string PathOf(string name) => Fixtures.Path_(Path.Combine("wild", name));

    private static JsonElement Json(string name) => Fixtures.Json(Path.Combine("wild", name));

    private static Sequential MakeNet() => new(new Linear(3, 8), new Tanh(), new Linear(8, 2));

    private static void AssertClose(float[] want, float[] got, double tolerance, string what)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - got[i]) <= tolerance, $"{what}[{i}]: {got[i]} vs PyTorch {want[i]}");
    }

    [Fact]
    public void StateDictInPyTorch2LayoutLoadsAndPredicts()
    {
        var fx = Json("v2_state.json");
        var net = MakeNet();
        net.LoadStateDict(Torch.Load(PathOf("v2_state.pt")));
        foreach (var (name, t) in net.StateDict())
            Assert.Equal(Fixtures.Floats(fx.GetProperty("state").GetProperty(name).GetProperty("values")), t.ToArray());
        var y = net.Forward(Tensor.FromArray(Fixtures.Floats(fx.GetProperty("x")), 4, 3));
        AssertClose(Fixtures.Floats(fx.GetProperty("y")), y.ToArray(), 1e-6, "y");
    }

    [Fact]
    public void ParametersRebuiltWithEmptyStateLoad()
    {
        // _rebuild_parameter_with_state(data, requires_grad, OrderedDict(), state): state {}, None, ({}, {}), (None, {}).
        var fx = Json("v2_params.json");
        var list = Assert.IsType<List<object?>>(Torch.Load(PathOf("v2_params.pt")).Value);
        var values = fx.GetProperty("values").EnumerateArray().ToArray();
        var requiresGrad = fx.GetProperty("requires_grad").EnumerateArray().Select(e => e.GetBoolean()).ToArray();
        Assert.Equal(4, list.Count);
        for (int i = 0; i < 4; i++)
        {
            var p = Assert.IsType<Tensor>(list[i]);
            Assert.Equal(Fixtures.Floats(values[i]), p.ToArray());
            Assert.Equal(requiresGrad[i], p.RequiresGrad);
            Assert.True(p.IsLeaf);
        }
    }

    [Theory]
    [InlineData("v2_adam.pt")]
    [InlineData("v2_adam_deflated.pt")]
    public void AdamCheckpointInPyTorch2FormatContinuesTrainingAlongPyTorchsTrajectory(string file)
    {
        var fx = Json("v2_adam.json");
        var ckpt = Torch.Load(PathOf(file));
        Assert.Equal(3L, ckpt["epoch"].Value);
        var net = MakeNet();
        net.LoadStateDict(ckpt["model_state_dict"]);
        var opt = new Adam(net.Parameters(), lr: 0.02, betas: (0.9, 0.99), weightDecay: 0.01);
        opt.LoadStateDict(ckpt["optimizer_state_dict"]);
        var group = opt.ParamGroups[0];
        Assert.Null(group["fused"]);
        Assert.Null(group["foreach"]);
        Assert.Equal(false, group["decoupled_weight_decay"]);
        Assert.Equal(false, group["capturable"]);
        Assert.Equal(false, group["differentiable"]);
        var step = Assert.IsType<Tensor>(opt.StateDict().State[0]["step"]);
        Assert.Equal((DType.Float32, 3.0), (step.DType, step.Item()));

        var x = Tensor.FromArray(Fixtures.Floats(fx.GetProperty("x")), 16, 3);
        var target = Tensor.FromArray(Fixtures.Floats(fx.GetProperty("y")), 16, 2);
        var losses = fx.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var trajectory = fx.GetProperty("trajectory").EnumerateArray().ToArray();
        for (int s = 0; s < losses.Length; s++)
        {
            opt.ZeroGrad();
            var loss = Functional.MseLoss(net.Forward(x), target);
            loss.Backward();
            opt.Step();
            Assert.True(Math.Abs(losses[s] - loss.Item()) <= 1e-6, $"step {s}: loss {loss.Item()} vs PyTorch {losses[s]}");
            var want = trajectory[s].EnumerateArray().ToArray();
            var ps = net.Parameters().ToArray();
            for (int i = 0; i < ps.Length; i++) AssertClose(Fixtures.Floats(want[i]), ps[i].ToArray(), 1e-5, $"{file} step {s} param {i}");
        }
    }

    [Theory]
    [InlineData("bf16", "torch.bfloat16")]
    [InlineData("f16", "torch.float16")]
    public void HalfPrecisionStateDictLoadsAsSuchAndWidensExactlyIntoAFloat32Model(string kind, string dtype)
    {
        var loaded = Torch.Load(PathOf(kind + "_state.pt"));
        // As such: the object model keeps the dtype and the bytes, and writes them back unchanged.
        var raw = Assert.IsType<RawTensor>(Assert.IsType<PyDict>(loaded.Value)["0.weight"]);
        Assert.Equal(dtype, raw.TorchDType);
        Assert.Equal(new[] { 8, 3 }, raw.Shape);
        var again = Assert.IsType<RawTensor>(Assert.IsType<PyDict>(TorchFile.Load(new MemoryStream(TorchFile.ToBytes(loaded.Value))))["0.weight"]);
        Assert.Equal(raw.ToBytes(), again.ToBytes());
        // Into a float32 model: widened exactly, as load_state_dict's copy_ does.
        var fx = Json("half_state.json").GetProperty(kind);
        var net = MakeNet();
        net.LoadStateDict(loaded);
        foreach (var (name, t) in net.StateDict())
        {
            Assert.Equal(DType.Float32, t.DType);
            Assert.Equal(Fixtures.Floats(fx.GetProperty("state").GetProperty(name)), t.ToArray());
        }
        var y = net.Forward(Tensor.FromArray(Fixtures.Floats(Json("half_state.json").GetProperty("x")), 4, 3));
        AssertClose(Fixtures.Floats(fx.GetProperty("y")), y.ToArray(), 1e-6, kind);
    }

    [Fact]
    public void Bfloat16SafetensorsLoadsWhenAskedForFloat32()
    {
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(PathOf("bf16.safetensors")));
        Assert.Contains("BF16", e.Message, StringComparison.Ordinal);
        Assert.Contains("floatingPoint", e.Message, StringComparison.Ordinal);
        var fx = Json("bf16_safetensors.json");
        var sd = SafeTensors.Load(PathOf("bf16.safetensors"), out var metadata, DType.Float32);
        Assert.Equal("pt", metadata["format"]);
        foreach (var (name, t) in sd)
        {
            Assert.Equal(DType.Float32, t.DType);
            Assert.Equal(Fixtures.Floats(fx.GetProperty("state").GetProperty(name)), t.ToArray());
        }
        var net = MakeNet();
        net.LoadStateDict(sd);
        var y = net.Forward(Tensor.FromArray(Fixtures.Floats(fx.GetProperty("x")), 4, 3));
        AssertClose(Fixtures.Floats(fx.GetProperty("y")), y.ToArray(), 1e-6, "y");
        var wide = SafeTensors.Load(PathOf("bf16.safetensors"), DType.Float64);
        Assert.All(wide.Values, t => Assert.Equal(DType.Float64, t.DType));
        Assert.Equal(sd["0.weight"].ToArray<float>().Select(v => (double)v), wide["0.weight"].ToArray<double>());
    }

    [Fact]
    public void WideningKeepsEveryBfloat16AndFloat16BitPatternsValue()
    {
        // All 65 536 patterns of each: bfloat16 is float32's top half; float16 through System.Half.
        var bytes = new byte[65536 * 2];
        for (int i = 0; i < 65536; i++) { bytes[2 * i] = (byte)i; bytes[2 * i + 1] = (byte)(i >> 8); }
        var bf = new RawTensor("BFloat16Storage", bytes, [65536], [1], 0).ToTensor().ToArray();
        var h = new RawTensor("HalfStorage", bytes, [65536], [1], 0).ToTensor().ToArray();
        for (int i = 0; i < 65536; i++)
        {
            Assert.Equal(BitConverter.Int32BitsToSingle(i << 16), bf[i]);
            Assert.Equal((float)BitConverter.UInt16BitsToHalf((ushort)i), h[i]);
        }
        Assert.Equal(1.0f, bf[0x3F80]);
        Assert.Equal(-2.0f, h[0xC000]);
        Assert.Equal(65504f, h[0x7BFF]);
        Assert.True(float.IsNaN(bf[0x7FC0]));
    }
}
