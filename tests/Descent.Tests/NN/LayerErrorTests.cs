using System.Text.Json;
using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;
using F = Descent.NN.Functional;

namespace Descent.Tests.NN;

/// <summary>Bad arguments and input shapes of convolution and pooling give PyTorch's messages (Golden/layers.json "errors").</summary>
public class LayerErrorTests
{
    public static IEnumerable<object[]> Errors() =>
        LayerGoldenTests.Golden.GetProperty("errors").EnumerateArray().Select((e, i) => new object[] { i, e.GetProperty("op").GetString()! });

    private static IntPair Pair(JsonElement a, string key, IntPair dflt) => a.TryGetProperty(key, out var v) ? v.GetInt32() : dflt;

    private static int? Int(JsonElement a, string key) => a.TryGetProperty(key, out var v) ? v.GetInt32() : null;

    private static Tensor Randn(JsonElement a, string key) => Tensor.Randn(GoldenJson.Ints(a.GetProperty(key)));

    private static void Run(string op, JsonElement a)
    {
        ConvPadding pad = a.TryGetProperty("padding", out var p) ? (p.ValueKind == JsonValueKind.String ? p.GetString()! : p.GetInt32()) : 0;
        Tensor? bias = a.TryGetProperty("bias", out _) ? Randn(a, "bias") : null;
        switch (op)
        {
            case "conv2d_module":
                _ = new Conv2d(a.GetProperty("in_channels").GetInt32(), a.GetProperty("out_channels").GetInt32(), a.GetProperty("kernel_size").GetInt32(),
                    Pair(a, "stride", 1), pad, groups: Int(a, "groups") ?? 1);
                break;
            case "conv1d_module":
                _ = new Conv1d(a.GetProperty("in_channels").GetInt32(), a.GetProperty("out_channels").GetInt32(), a.GetProperty("kernel_size").GetInt32(),
                    Int(a, "stride") ?? 1, pad, groups: Int(a, "groups") ?? 1);
                break;
            case "conv2d":
                F.Conv2d(Randn(a, "input"), Randn(a, "weight"), bias, Pair(a, "stride", 1), pad, groups: Int(a, "groups") ?? 1);
                break;
            case "conv1d":
                F.Conv1d(Randn(a, "input"), Randn(a, "weight"), bias, Int(a, "stride") ?? 1, pad, groups: Int(a, "groups") ?? 1);
                break;
            case "max_pool2d":
                F.MaxPool2d(Randn(a, "input"), a.GetProperty("kernel_size").GetInt32(), Int(a, "stride") is { } s ? s : null, Int(a, "padding") ?? 0,
                    Int(a, "dilation") ?? 1);
                break;
            case "max_pool1d":
                F.MaxPool1d(Randn(a, "input"), a.GetProperty("kernel_size").GetInt32(), Int(a, "stride"), Int(a, "padding") ?? 0);
                break;
            case "avg_pool2d":
                F.AvgPool2d(Randn(a, "input"), a.GetProperty("kernel_size").GetInt32(), padding: Int(a, "padding") ?? 0, divisorOverride: Int(a, "divisor_override"));
                break;
            case "avg_pool1d":
                F.AvgPool1d(Randn(a, "input"), a.GetProperty("kernel_size").GetInt32(), padding: Int(a, "padding") ?? 0);
                break;
            case "adaptive_avg_pool2d":
                F.AdaptiveAvgPool2d(Randn(a, "input"), a.GetProperty("output_size").GetInt32());
                break;
            default:
                throw new InvalidOperationException(op);
        }
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void BadArgumentsGivePyTorchsMessage(int index, string op)
    {
        var e = LayerGoldenTests.Golden.GetProperty("errors")[index];
        var ex = Assert.ThrowsAny<ArgumentException>(() => Run(op, e.GetProperty("args")));
        Assert.Equal(e.GetProperty("message").GetString(), ex.Message);
    }

    [Fact]
    public void PaddingStringsAndModesAreChecked()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Conv2d(1, 1, 3, padding: "full"));
        Assert.StartsWith("Invalid padding string 'full', should be one of", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => new Conv2d(1, 1, 3, paddingMode: "mirror"));
        Assert.StartsWith("padding_mode must be one of", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("but got padding_mode='mirror'", ex.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => new Conv2d(1, 1, 3, paddingMode: "reflect"));
    }
}
