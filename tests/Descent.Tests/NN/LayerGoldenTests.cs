using System.Text.Json;
using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;
using F = Descent.NN.Functional;

namespace Descent.Tests.NN;

/// <summary>
/// Convolution and pooling against PyTorch (Golden/layers.json from tests/golden/gen_layers.py): forward values and
/// the gradients of input, weight and bias through sum(output·upstream), at |a − e| ≤ 1e-5·(1 + |e|).
/// </summary>
public class LayerGoldenTests
{
    internal static JsonElement Golden => GoldenJson.Load("layers.json");

    internal static IEnumerable<object[]> NamesOf(string table) =>
        Golden.GetProperty(table).EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    internal static JsonElement Case(string table, string name) =>
        Golden.GetProperty(table).EnumerateArray().First(c => c.GetProperty("name").GetString() == name);

    public static IEnumerable<object[]> Convs() => NamesOf("convs");

    public static IEnumerable<object[]> Pools() => NamesOf("pools");

    private static IntPair Pair(JsonElement e) => e.ValueKind == JsonValueKind.Array ? (e[0].GetInt32(), e[1].GetInt32()) : e.GetInt32();

    private static ConvPadding Padding(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : Pair(e);

    [Theory]
    [MemberData(nameof(Convs))]
    public void ConvolutionMatchesPyTorch(string name)
    {
        var c = Case("convs", name);
        var x = GoldenJson.Tensor(c.GetProperty("input")).RequiresGrad_();
        var w = GoldenJson.Tensor(c.GetProperty("weight")).RequiresGrad_();
        var b = c.GetProperty("bias").ValueKind == JsonValueKind.Null ? null : GoldenJson.Tensor(c.GetProperty("bias")).RequiresGrad_();
        int groups = c.GetProperty("groups").GetInt32();
        var padding = Padding(c.GetProperty("padding"));
        Tensor y;
        if (c.GetProperty("dims").GetInt32() == 2)
        {
            y = F.Conv2d(x, w, b, Pair(c.GetProperty("stride")), padding, Pair(c.GetProperty("dilation")), groups);
            var m = new Conv2d(w.Shape[1] * groups, w.Shape[0], (w.Shape[2], w.Shape[3]), Pair(c.GetProperty("stride")), padding,
                Pair(c.GetProperty("dilation")), groups, b is not null);
            Assert.Equal(c.GetProperty("repr").GetString(), m.ToString());
        }
        else
        {
            int stride = c.GetProperty("stride").GetInt32(), dilation = c.GetProperty("dilation").GetInt32();
            var p1 = padding.Mode is null ? (ConvPadding)padding.Size.First : padding;
            y = F.Conv1d(x, w, b, stride, p1, dilation, groups);
            var m = new Conv1d(w.Shape[1] * groups, w.Shape[0], w.Shape[2], stride, p1, dilation, groups, b is not null);
            Assert.Equal(c.GetProperty("repr").GetString(), m.ToString());
        }
        GoldenJson.AssertClose(c.GetProperty("output"), y, what: name + " output");
        y.Mul(GoldenJson.Tensor(c.GetProperty("upstream"))).Sum().Backward();
        AssertFloat32Grad(c, "grad_input", x.Grad!, name);
        AssertFloat32Grad(c, "grad_weight", w.Grad!, name);
        if (b is not null) AssertFloat32Grad(c, "grad_bias", b.Grad!, name);
    }

    /// <summary>
    /// A float32 gradient that sums many products: within 1e-5 of the exact (float64) value, or no further from it
    /// than twice PyTorch's own worst float32 error on that tensor (the summation order is not part of the contract).
    /// </summary>
    private static void AssertFloat32Grad(JsonElement c, string key, Tensor actual, string name)
    {
        var torch32 = GoldenJson.Numbers(c.GetProperty(key).GetProperty("data"));
        var exact = GoldenJson.Numbers(c.GetProperty(key + "_f64").GetProperty("data"));
        double torchError = 0;
        for (int i = 0; i < exact.Length; i++) torchError = Math.Max(torchError, Math.Abs(torch32[i] - exact[i]));
        var a = actual.To(DType.Float64).ToArray<double>();
        Assert.Equal(exact.Length, a.Length);
        for (int i = 0; i < exact.Length; i++)
            Assert.True(Math.Abs(a[i] - exact[i]) <= 1e-5 * (1 + Math.Abs(exact[i])) + 2 * torchError,
                $"{name} {key}[{i}]: {a[i]:R}, exact {exact[i]:R}, PyTorch's float32 {torch32[i]:R} (its worst error {torchError:E2})");
    }

    [Theory]
    [MemberData(nameof(Convs))]
    public void ConvolutionInFloat64MatchesPyTorch(string name)
    {
        var c = Case("convs", name);
        var x = GoldenJson.Tensor(c.GetProperty("input")).Double().RequiresGrad_();
        var w = GoldenJson.Tensor(c.GetProperty("weight")).Double().RequiresGrad_();
        var b = c.GetProperty("bias").ValueKind == JsonValueKind.Null ? null : GoldenJson.Tensor(c.GetProperty("bias")).Double().RequiresGrad_();
        int groups = c.GetProperty("groups").GetInt32();
        var padding = Padding(c.GetProperty("padding"));
        var y = c.GetProperty("dims").GetInt32() == 2
            ? F.Conv2d(x, w, b, Pair(c.GetProperty("stride")), padding, Pair(c.GetProperty("dilation")), groups)
            : F.Conv1d(x, w, b, c.GetProperty("stride").GetInt32(), padding.Mode is null ? padding.Size.First : padding, c.GetProperty("dilation").GetInt32(), groups);
        Assert.Equal(DType.Float64, y.DType);
        GoldenJson.AssertClose(c.GetProperty("output"), y, what: name + " output");
        y.Mul(GoldenJson.Tensor(c.GetProperty("upstream")).Double()).Sum().Backward();
        GoldenJson.AssertClose(c.GetProperty("grad_input_f64"), x.Grad!, tol: 1e-12, what: name + " grad input");
        GoldenJson.AssertClose(c.GetProperty("grad_weight_f64"), w.Grad!, tol: 1e-12, what: name + " grad weight");
        if (b is not null) GoldenJson.AssertClose(c.GetProperty("grad_bias_f64"), b.Grad!, tol: 1e-12, what: name + " grad bias");
    }

    [Fact]
    public void MaxPoolingTiesNaNAndInfinityFollowPyTorch()
    {
        var g = Golden.GetProperty("max_pool_special");
        var x = GoldenJson.Tensor(g.GetProperty("input"));
        foreach (var c in g.GetProperty("cases").EnumerateArray())
        {
            var kw = c.GetProperty("kwargs");
            int k = kw.GetProperty("kernel_size").GetInt32();
            int stride = kw.TryGetProperty("stride", out var s) ? s.GetInt32() : k, padding = kw.TryGetProperty("padding", out var p) ? p.GetInt32() : 0;
            var (y, idx) = F.MaxPool2dWithIndices(x, k, stride, padding);
            GoldenJson.AssertClose(c.GetProperty("output"), y, tol: 0, what: $"k{k} output");
            Assert.Equal(GoldenJson.Numbers(c.GetProperty("indices").GetProperty("data")).Select(v => (long)v), idx.ToArray<long>());
        }
    }

    private static Module PoolModule(string kind, JsonElement kw)
    {
        int? Int(string key) => kw.TryGetProperty(key, out var v) ? v.GetInt32() : null;
        IntPair? P(string key) => kw.TryGetProperty(key, out var v) ? Pair(v) : null;
        bool Flag(string key, bool dflt) => kw.TryGetProperty(key, out var v) ? v.GetBoolean() : dflt;
        return kind switch
        {
            "max2d" => new MaxPool2d(P("kernel_size")!.Value, P("stride"), P("padding"), P("dilation"), ceilMode: Flag("ceil_mode", false)),
            "max1d" => new MaxPool1d(Int("kernel_size")!.Value, Int("stride"), Int("padding") ?? 0, Int("dilation") ?? 1, ceilMode: Flag("ceil_mode", false)),
            "avg2d" => new AvgPool2d(P("kernel_size")!.Value, P("stride"), P("padding"), Flag("ceil_mode", false), Flag("count_include_pad", true), Int("divisor_override")),
            "avg1d" => new AvgPool1d(Int("kernel_size")!.Value, Int("stride"), Int("padding") ?? 0, Flag("ceil_mode", false), Flag("count_include_pad", true)),
            "adaptive2d" => new AdaptiveAvgPool2d(P("output_size")!.Value) { TupleSizes = kw.GetProperty("output_size").ValueKind == JsonValueKind.Array },
            _ => throw new ArgumentException(kind),
        };
    }

    [Theory]
    [MemberData(nameof(Pools))]
    public void PoolingMatchesPyTorch(string name)
    {
        var c = Case("pools", name);
        var kind = c.GetProperty("kind").GetString()!;
        var m = PoolModule(kind, c.GetProperty("kwargs"));
        Assert.Equal(c.GetProperty("repr").GetString(), m.ToString());
        var x = GoldenJson.Tensor(c.GetProperty("input")).RequiresGrad_();
        var y = m.Forward(x);
        GoldenJson.AssertClose(c.GetProperty("output"), y, what: name + " output");
        y.Mul(GoldenJson.Tensor(c.GetProperty("upstream"))).Sum().Backward();
        GoldenJson.AssertClose(c.GetProperty("grad_input"), x.Grad!, what: name + " grad input");
        if (c.TryGetProperty("indices", out var indices))
        {
            var idx = m is MaxPool2d m2 ? m2.ForwardWithIndices(x).Indices : ((MaxPool1d)m).ForwardWithIndices(x).Indices;
            Assert.Equal(DType.Int64, idx.DType);
            Assert.Equal(GoldenJson.Tensor(indices).ToArray<long>(), idx.ToArray<long>());
            Assert.Equal(GoldenJson.Ints(indices.GetProperty("shape")), idx.Shape);
        }
        // float64 gives the same values.
        GoldenJson.AssertClose(c.GetProperty("output"), m.Forward(x.Detach().Double()), what: name + " float64 output");
    }

    [Fact]
    public void DefaultInitialisationMatchesPyTorchForTheSameSeed()
    {
        foreach (var c in Golden.GetProperty("init").EnumerateArray())
        {
            var name = c.GetProperty("name").GetString()!;
            Torch.ManualSeed(0);
            Module m = name switch
            {
                "Conv2d(3, 4, 3)" => new Conv2d(3, 4, 3),
                "Conv2d(4, 6, (3, 2), groups=2)" => new Conv2d(4, 6, (3, 2), groups: 2),
                "Conv1d(2, 3, 5)" => new Conv1d(2, 3, 5),
                "Conv2d(2, 3, 3, bias=False)" => new Conv2d(2, 3, 3, bias: false),
                _ => throw new ArgumentException(name),
            };
            Assert.Equal(c.GetProperty("repr").GetString(), m.ToString());
            var sd = m.StateDict();
            GoldenJson.AssertClose(c.GetProperty("weight"), sd["weight"], tol: 0, what: name + " weight");
            if (c.GetProperty("bias").ValueKind == JsonValueKind.Null) Assert.False(sd.ContainsKey("bias"));
            else GoldenJson.AssertClose(c.GetProperty("bias"), sd["bias"], tol: 0, what: name + " bias");
        }
    }
}
