using System.Text.Json;
using Descent.Tensors;
using Descent.Tests.Support;
using Descent.Text;
using Xunit;

namespace Descent.Tests.Tensors;

/// <summary>Print options are process-wide, so the tests that change them do not run beside other tests.</summary>
[CollectionDefinition("PrintOptions", DisableParallelization = true)]
public class PrintOptionsCollection;

/// <summary>
/// Tensor.ToString() against PyTorch's repr(), character for character, from Golden/print.json (written by
/// tests/golden/gen_print.py): notation choice, widths, wrapping, summarisation, dtypes, empty and 0-d tensors,
/// autograd suffixes and print options.
/// </summary>
[Collection("PrintOptions")]
public class TensorFormatterTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> AllCases = new(() =>
        GoldenJson.Load("print.json").GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c));

    public static IEnumerable<object[]> Cases() => AllCases.Value.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorchRepr(string name)
    {
        var c = AllCases.Value[name];
        var t = GoldenJson.Tensor(c);
        if (c.GetProperty("requires_grad").GetBoolean()) t.RequiresGrad = true;
        var op = c.GetProperty("op");
        var shown = (op.ValueKind == JsonValueKind.Null ? null : op.GetString()) switch
        {
            null => t,
            "t" => t.T(),
            "mul2" => t.Mul(2.0),
            "add1" => t.Add(1.0),
            "neg" => t.Neg(),
            "sum" => t.Sum(),
            var other => throw new NotSupportedException(other),
        };
        var o = c.GetProperty("options");
        try
        {
            Torch.SetPrintOptions(
                precision: o.TryGetProperty("precision", out var p) ? p.GetInt32() : null,
                threshold: o.TryGetProperty("threshold", out var th) ? th.GetDouble() : null,
                edgeItems: o.TryGetProperty("edgeitems", out var e) ? e.GetInt32() : null,
                lineWidth: o.TryGetProperty("linewidth", out var w) ? w.GetInt32() : null,
                sciMode: o.TryGetProperty("sci_mode", out var s) ? s.GetBoolean() : null,
                profile: o.TryGetProperty("profile", out var pr) ? pr.GetString() : null);
            Assert.Equal(c.GetProperty("repr").GetString(), shown.ToString());
        }
        finally
        {
            Torch.SetPrintOptions(profile: "default");
        }
    }

    [Fact]
    public void NonContiguousViewsPrintTheirLogicalOrder()
    {
        var x = Tensor.Arange(0.0, 6).Reshape(2, 3);
        Assert.Equal("tensor([[0., 3.],\n        [1., 4.],\n        [2., 5.]])", x.T().ToString());
        Assert.Equal("tensor([0., 2., 4.])", x.Reshape(6).Slice(0, 0, 6, 2).ToString());
        Assert.Equal("tensor([[1., 1., 1.],\n        [1., 1., 1.]])", Tensor.Ones(3).Expand(2, 3).ToString());
    }

    [Fact]
    public void DefaultProfileRestoresDefaults()
    {
        try
        {
            Torch.SetPrintOptions(precision: 1, threshold: 3, edgeItems: 1, lineWidth: 20, sciMode: true);
            Assert.Equal(1, PrintOptions.Precision);
            Torch.SetPrintOptions(profile: "default");
            Assert.Equal((4, 1000.0, 3, 80, (bool?)null),
                (PrintOptions.Precision, PrintOptions.Threshold, PrintOptions.EdgeItems, PrintOptions.LineWidth, PrintOptions.SciMode));
        }
        finally
        {
            Torch.SetPrintOptions(profile: "default");
        }
    }
}

/// <summary>The float formatting underneath: Python's "{:.Nf}" and "{:.Ne}", from Golden/print.json.</summary>
public class PythonFloatFormatTests
{
    public static IEnumerable<object[]> Floats()
    {
        int i = 0;
        foreach (var f in GoldenJson.Load("print.json").GetProperty("floats").EnumerateArray())
            yield return [i++, f.GetProperty("value").GetDouble(), f.GetProperty("f0").GetString()!, f.GetProperty("f2").GetString()!,
                f.GetProperty("f4").GetString()!, f.GetProperty("e0").GetString()!, f.GetProperty("e4").GetString()!, f.GetProperty("e8").GetString()!];
    }

    [Theory]
    [MemberData(nameof(Floats))]
    public void MatchesPython(int index, double value, string f0, string f2, string f4, string e0, string e4, string e8)
    {
        _ = index;
        Assert.Equal(f0, PyRepr.Fixed(value, 0));
        Assert.Equal(f2, PyRepr.Fixed(value, 2));
        Assert.Equal(f4, PyRepr.Fixed(value, 4));
        Assert.Equal(e0, PyRepr.Scientific(value, 0));
        Assert.Equal(e4, PyRepr.Scientific(value, 4));
        Assert.Equal(e8, PyRepr.Scientific(value, 8));
    }
}
