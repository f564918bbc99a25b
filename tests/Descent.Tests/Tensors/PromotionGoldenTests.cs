using System.Text.Json;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Tensors;

/// <summary>
/// PyTorch 1.13's type promotion table, from Golden/promotion.json (tests/golden/gen_promotion.py): every pair of
/// int64, int32, bool, float32 and float64 tensors (1-D and 0-dim) and C# numbers standing for Python ints, floats and
/// bools, under add, sub, mul, div, floor_divide, remainder, eq and lt. Each case checks the result's dtype, shape and
/// exact values, or the refusal's message. The cases under a float64 default dtype rerun with
/// <see cref="Torch.SetDefaultDtype"/>.
/// </summary>
public class PromotionGoldenTests
{
    private static JsonElement Root => GoldenJson.Load("promotion.json");

    public static IEnumerable<object[]> Ops() =>
        new[] { "add", "sub", "mul", "div", "floor_divide", "remainder", "eq", "lt" }.Select(o => new object[] { o });

    [Theory]
    [MemberData(nameof(Ops))]
    public void MatchesPyTorchForEveryPair(string op)
    {
        int n = 0;
        foreach (var c in Root.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("op").GetString() != op) continue;
            Check(c);
            n++;
        }
        // 13 left operands × 13 right ones, less the 9 pairs of two numbers.
        Assert.Equal(160, n);
    }

    [Fact]
    public void UnderAFloat64DefaultTheDefaultDtypeCasesBecomeFloat64()
    {
        var cases = Root.GetProperty("default_float64").EnumerateArray().ToList();
        Assert.NotEmpty(cases);
        Torch.SetDefaultDtype(DType.Float64);
        try
        {
            foreach (var c in cases) Check(c);
        }
        finally
        {
            Torch.SetDefaultDtype(DType.Float32);
        }
    }

    private static void Check(JsonElement c)
    {
        string what = $"{c.GetProperty("a").GetString()} {c.GetProperty("op").GetString()} {c.GetProperty("b").GetString()}";
        var a = Root.GetProperty("left").GetProperty(c.GetProperty("a").GetString()!);
        var b = Root.GetProperty("right").GetProperty(c.GetProperty("b").GetString()!);
        Func<Tensor> run = () => Apply(c.GetProperty("op").GetString()!, a, b);
        if (c.TryGetProperty("message", out var message))
        {
            var e = Assert.Throws<ArgumentException>(run);
            Assert.True(message.GetString() == e.Message, $"{what}: {e.Message}");
            return;
        }
        var r = run();
        Assert.True(c.GetProperty("dtype").GetString() == r.DType.TorchName()["torch.".Length..], $"{what}: got {r.DType}");
        Assert.Equal(GoldenJson.Ints(c.GetProperty("shape")), r.Shape);
        var expected = c.GetProperty("values").EnumerateArray().ToList();
        var flat = r.Reshape(-1);
        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            switch (r.DType)
            {
                case DType.Bool: Assert.True(e.GetBoolean() == flat[i].Item<bool>(), what); break;
                case DType.Int64: Assert.True(e.GetInt64() == flat[i].Item<long>(), what); break;
                case DType.Int32: Assert.True(e.GetInt32() == flat[i].Item<int>(), what); break;
                default:
                    double want = GoldenJson.Number(e), got = flat[i].Item();
                    Assert.True(want.Equals(got), $"{what}[{i}]: {got} != {want}");
                    break;
            }
        }
    }

    private static Tensor Make(JsonElement spec)
    {
        var values = spec.GetProperty("values").EnumerateArray().ToList();
        var dtype = spec.GetProperty("dtype").GetString();
        var t = dtype switch
        {
            "int64" => Tensor.FromArray(values.Select(v => v.GetInt64()).ToArray()),
            "int32" => Tensor.FromArray(values.Select(v => v.GetInt32()).ToArray()),
            "bool" => Tensor.FromArray(values.Select(v => v.GetBoolean()).ToArray()),
            "float32" => Tensor.FromArray(values.Select(v => (float)v.GetDouble()).ToArray()),
            "float64" => Tensor.FromArray(values.Select(v => v.GetDouble()).ToArray()),
            _ => throw new FormatException(dtype),
        };
        return spec.GetProperty("dim").GetInt32() == 0 ? t.Reshape() : t;
    }

    // A Python number on the left, where C# has no public operator for it, runs as PyTorch runs it: wrapped.
    private static Tensor Wrapped(JsonElement spec)
    {
        var v = spec.GetProperty("values")[0];
        return spec.GetProperty("dtype").GetString() switch
        {
            "int" => Tensor.Wrap(v.GetInt64()),
            "float" => Tensor.Wrap(v.GetDouble()),
            _ => Tensor.Wrap(v.GetBoolean()),
        };
    }

    private static Tensor Apply(string op, JsonElement a, JsonElement b)
    {
        bool aNumber = a.GetProperty("kind").GetString() == "scalar", bNumber = b.GetProperty("kind").GetString() == "scalar";
        if (bNumber) return TensorNumber(op, Make(a), b);
        var y = Make(b);
        if (aNumber)
        {
            var v = a.GetProperty("values")[0];
            switch (a.GetProperty("dtype").GetString(), op)
            {
                // The public operators with a number on the left.
                case ("int", "add"): return v.GetInt64() + y;
                case ("int", "sub"): return v.GetInt64() - y;
                case ("int", "mul"): return v.GetInt64() * y;
                case ("int", "div"): return v.GetInt64() / y;
                case ("float", "add"): return v.GetDouble() + y;
                case ("float", "sub"): return v.GetDouble() - y;
                case ("float", "mul"): return v.GetDouble() * y;
                case ("float", "div"): return v.GetDouble() / y;
            }
            return TensorTensor(op, Wrapped(a), y);
        }
        return TensorTensor(op, Make(a), y);
    }

    private static Tensor TensorTensor(string op, Tensor x, Tensor y) => op switch
    {
        "add" => x + y,
        "sub" => x - y,
        "mul" => x * y,
        "div" => x / y,
        "floor_divide" => x.FloorDivide(y),
        "remainder" => x % y,
        "eq" => x.Eq(y),
        _ => x < y,
    };

    // The public overloads for a number on the right: long for a Python int, double for a float, bool for a bool.
    private static Tensor TensorNumber(string op, Tensor x, JsonElement b)
    {
        var v = b.GetProperty("values")[0];
        return b.GetProperty("dtype").GetString() switch
        {
            "int" => op switch
            {
                "add" => x + v.GetInt64(),
                "sub" => x - v.GetInt64(),
                "mul" => x * v.GetInt64(),
                "div" => x / v.GetInt64(),
                "floor_divide" => x.FloorDivide(v.GetInt64()),
                "remainder" => x % v.GetInt64(),
                "eq" => x.Eq(v.GetInt64()),
                _ => x < v.GetInt64(),
            },
            "float" => op switch
            {
                "add" => x + v.GetDouble(),
                "sub" => x - v.GetDouble(),
                "mul" => x * v.GetDouble(),
                "div" => x / v.GetDouble(),
                "floor_divide" => x.FloorDivide(v.GetDouble()),
                "remainder" => x % v.GetDouble(),
                "eq" => x.Eq(v.GetDouble()),
                _ => x < v.GetDouble(),
            },
            _ => op switch
            {
                "add" => x.Add(v.GetBoolean()),
                "sub" => x.Sub(v.GetBoolean()),
                "mul" => x.Mul(v.GetBoolean()),
                "div" => x.Div(v.GetBoolean()),
                "floor_divide" => x.FloorDivide(v.GetBoolean()),
                "remainder" => x.Remainder(v.GetBoolean()),
                "eq" => x.Eq(v.GetBoolean()),
                _ => x.Lt(v.GetBoolean()),
            },
        };
    }
}
