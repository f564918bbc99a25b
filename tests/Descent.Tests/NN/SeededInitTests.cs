using System.Text.Json;
using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.NN;

/// <summary>
/// Initialisation with PyTorch's seeds gives PyTorch's exact values (Golden/seeded.json from tests/golden/gen_seeded.py).
/// Seed-dependent: these run once <see cref="Generator"/> reproduces PyTorch's CPU generator.
/// (Test parallelization is off for the assembly: they rely on the default generator's sequence.)
/// </summary>
[Collection("GlobalGenerator")]
public class SeededInitTests
{
    private static JsonElement Golden => GoldenJson.Load("seeded.json");

    public static IEnumerable<object[]> InitNames()
    {
        foreach (var c in GoldenJson.Load("seeded.json").GetProperty("init").EnumerateArray())
            yield return [c.GetProperty("name").GetString()!];
    }

    private static void ApplyInit(string name, Tensor t)
    {
        switch (name)
        {
            case "uniform_(a=-2, b=3)": Init.Uniform_(t, -2, 3); break;
            case "uniform_ float64": Init.Uniform_(t); break;
            case "normal_(mean=1, std=2) short":
            case "normal_(mean=1, std=2) long": Init.Normal_(t, 1, 2); break;
            case "xavier_uniform_(gain=2)": Init.XavierUniform_(t, gain: 2); break;
            case "xavier_normal_": Init.XavierNormal_(t); break;
            case "kaiming_uniform_(mode=fan_out, nonlinearity=relu)": Init.KaimingUniform_(t, mode: "fan_out", nonlinearity: "relu"); break;
            case "kaiming_uniform_(a=sqrt5)": Init.KaimingUniform_(t, a: Math.Sqrt(5)); break;
            case "kaiming_normal_(a=0.2)": Init.KaimingNormal_(t, a: 0.2); break;
            case "kaiming_normal_(mode=fan_out, nonlinearity=tanh)": Init.KaimingNormal_(t, mode: "fan_out", nonlinearity: "tanh"); break;
            default: throw new ArgumentException(name);
        }
    }

    /// <summary>Same shape, same dtype, bit-identical values.</summary>
    internal static void AssertExact(JsonElement expected, Tensor actual, string what)
    {
        GoldenJson.AssertClose(expected, actual, tol: 0, what: what);
        Assert.Equal(expected.GetProperty("dtype").GetString() == "float64" ? DType.Float64 : DType.Float32, actual.DType);
    }

    internal static void AssertParameters(JsonElement expected, Module m)
    {
        var names = new List<string>();
        foreach (var p in expected.EnumerateObject()) names.Add(p.Name);
        Assert.Equal(names, m.NamedParameters().Select(p => p.Name).ToList());
        foreach (var (n, p) in m.NamedParameters()) AssertExact(expected.GetProperty(n), p, n);
    }

    [Theory]
    [MemberData(nameof(InitNames))]
    public void InitFunctionsDrawPyTorchsValues(string name)
    {
        foreach (var c in Golden.GetProperty("init").EnumerateArray())
        {
            if (c.GetProperty("name").GetString() != name) continue;
            var v = c.GetProperty("value");
            var dtype = v.GetProperty("dtype").GetString() == "float64" ? DType.Float64 : DType.Float32;
            Torch.ManualSeed(c.GetProperty("seed").GetInt64());
            var t = Tensor.Empty(GoldenJson.Ints(v.GetProperty("shape")), dtype);
            ApplyInit(name, t);
            AssertExact(v, t, name);
        }
    }

    [Fact]
    public void LinearAfterManualSeedOne()
    {
        Torch.ManualSeed(1);
        AssertParameters(Golden.GetProperty("linear_1_20"), new Linear(1, 20));
    }

    [Fact]
    public void TutorialNetsAfterManualSeedOne()
    {
        Torch.ManualSeed(1);
        AssertParameters(Golden.GetProperty("net_1_20_1"), new Net());
        Torch.ManualSeed(1);
        AssertParameters(Golden.GetProperty("net_1_10_1"), new Net(1, 10, 1));
        Torch.ManualSeed(1);
        AssertParameters(Golden.GetProperty("net_2_10_2"), new Net(2, 10, 2));
    }

    [Fact]
    public void ComparisonDataAndNetsAfterManualSeedOne()
    {
        var golden = Golden.GetProperty("comparison");
        Torch.ManualSeed(1);
        var x = Tensor.Linspace(-1, 1, 1000).Unsqueeze(1);
        var y = x.Pow(2) + 0.1 * Tensor.Normal(Tensor.Zeros(x.Shape));
        var nets = new[] { new Net(), new Net(), new Net(), new Net() };
        GoldenJson.AssertClose(golden.GetProperty("y_first"), y[..8], tol: 1e-7, what: "y");
        AssertParameters(golden.GetProperty("net0"), nets[0]);
        AssertParameters(golden.GetProperty("net3"), nets[3]);
    }
}

/// <summary>Dropout masks after torch.manual_seed(1) are PyTorch's. Seed-dependent, like <see cref="SeededInitTests"/>.</summary>
[Collection("GlobalGenerator")]
public class SeededDropoutTests
{
    [Fact]
    public void DropoutDropsWhatPyTorchDrops()
    {
        var golden = GoldenJson.Load("seeded.json").GetProperty("dropout");
        Torch.ManualSeed(1);
        SeededInitTests.AssertExact(golden.GetProperty("F.dropout(ones(10), 0.5)"), Functional.Dropout(Tensor.Ones(10), 0.5), "F.dropout");
        SeededInitTests.AssertExact(golden.GetProperty("Dropout(0.2)(ones(4, 10))"), new Dropout(0.2).Forward(Tensor.Ones(4, 10)), "Dropout(0.2)");
        SeededInitTests.AssertExact(golden.GetProperty("F.dropout(ones(6, float64), 0.3)"),
            Functional.Dropout(Tensor.Ones([6], DType.Float64), 0.3), "float64");
    }
}
