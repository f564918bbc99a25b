using System.Text.Json;
using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.NN;

/// <summary>LayerNorm and GroupNorm against PyTorch (Golden/norm.json): outputs, gradients, printed form, state keys; argument errors.</summary>
public class LayerGroupNormGoldenTests
{
    public static IEnumerable<object[]> LayerNames() => NormGolden.Names("layernorm");

    public static IEnumerable<object[]> GroupNames() => NormGolden.Names("groupnorm");

    private static JsonElement DtypeOf(JsonElement c) => c.GetProperty("input");

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void LayerNormMatchesPyTorch(string name)
    {
        var c = NormGolden.Case("layernorm", name);
        var m = NormGolden.WithDtype(DtypeOf(c), () => new LayerNorm(GoldenJson.Ints(c.GetProperty("normalized_shape")),
            c.GetProperty("eps").GetDouble(), c.GetProperty("elementwise_affine").GetBoolean()));
        Check(m, c, m.Weight, m.Bias, name);
    }

    [Theory]
    [MemberData(nameof(GroupNames))]
    public void GroupNormMatchesPyTorch(string name)
    {
        var c = NormGolden.Case("groupnorm", name);
        var m = NormGolden.WithDtype(DtypeOf(c), () => new GroupNorm(c.GetProperty("num_groups").GetInt32(), c.GetProperty("num_channels").GetInt32(),
            c.GetProperty("eps").GetDouble(), c.GetProperty("affine").GetBoolean()));
        Check(m, c, m.Weight, m.Bias, name);
    }

    private static void Check(Module m, JsonElement c, Tensor? weight, Tensor? bias, string name)
    {
        NormGolden.LoadParams(m, c);
        Assert.Equal(c.GetProperty("repr").GetString(), m.ToString());
        Assert.Equal(c.GetProperty("state_keys").EnumerateArray().Select(k => k.GetString()), m.StateDict().Keys);
        NormGolden.CheckForward(m, c, name, weight, bias);
    }

    [Fact]
    public void LayerNormWithoutBiasKeepsTheWeight()
    {
        var m = new LayerNorm(3, bias: false);
        Assert.Equal(["weight"], m.StateDict().Keys);
        Assert.Null(m.Bias);
        Assert.Equal([2, 3], m.Forward(Tensor.FromArray(new float[] { 1, 2, 4, 0, 0, 3 }).Reshape(2, 3)).Shape);
    }

    public static IEnumerable<object[]> Errors() =>
    [
        ["layer", new[] { 2, 3 }, "Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 3]"],
        ["layer", new[] { 3 }, "Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[3]"],
        ["group", new[] { 2, 6 }, "Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 6] and num_groups=4"],
        ["group", new[] { 4 }, "Expected at least 2 dimensions for input tensor but received 1"],
    ];

    [Theory]
    [MemberData(nameof(Errors))]
    public void ShapeErrorsHavePyTorchsMessages(string kind, int[] shape, string message)
    {
        Module m = kind == "layer" ? new LayerNorm(4) : new GroupNorm(4, 4, affine: false);
        var e = Assert.Throws<ArgumentException>(() => m.Forward(Tensor.Zeros(shape)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void GroupNormChannelsMustDivideIntoGroups()
    {
        var e = Assert.Throws<ArgumentException>(() => new GroupNorm(3, 4));
        Assert.Equal("num_channels must be divisible by num_groups", e.Message);
    }
}
