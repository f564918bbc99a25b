using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Tensors;

/// <summary>
/// tanh, log1p, expm1, softplus and the other common unary functions against PyTorch 1.13 where digits are easily lost: near 0 (to 1e-30), at the
/// points where the formulas switch, far out, and at ±∞ and NaN (Golden/unary_accuracy.json,
/// tests/golden/gen_unary_accuracy.py). PyTorch's are within about one ulp of the true value; Descent's must be
/// within <see cref="MaxUlps"/> of PyTorch's. The whole column runs as one tensor, so most points go through the
/// vector path and some through the tail; a second run one element shorter moves every point to the other lane.
/// </summary>
public class UnaryAccuracyTests
{
    private const double MaxUlps = 4;

    public static TheoryData<string, string> Cases() => new()
    {
        { "float32", "tanh" }, { "float32", "log1p" }, { "float32", "expm1" }, { "float32", "softplus" },
        { "float64", "tanh" }, { "float64", "log1p" }, { "float64", "expm1" }, { "float64", "softplus" },
        { "float32", "sigmoid" }, { "float32", "exp" }, { "float32", "log" }, { "float32", "sin" }, { "float32", "sqrt" },
        { "float64", "sigmoid" }, { "float64", "exp" }, { "float64", "log" }, { "float64", "sin" }, { "float64", "sqrt" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void WithinAFewUlpsOfPyTorch(string dtype, string op)
    {
        var golden = GoldenJson.Load("unary_accuracy.json").GetProperty(dtype);
        var xs = GoldenJson.Numbers(golden.GetProperty("x"));
        var expected = GoldenJson.Numbers(golden.GetProperty(op));
        var dt = dtype == "float32" ? DType.Float32 : DType.Float64;
        foreach (int skip in new[] { 0, 1 })
        {
            var x = Tensor.FromArray(xs[skip..], [xs.Length - skip]).To(dt);
            var y = op switch
            {
                "tanh" => x.Tanh(),
                "log1p" => x.Log1p(),
                "expm1" => x.Expm1(),
                "softplus" => x.Softplus(),
                "sigmoid" => x.Sigmoid(),
                "exp" => x.Exp(),
                "log" => x.Log(),
                "sin" => x.Sin(),
                _ => x.Sqrt(),
            };
            var actual = y.To(DType.Float64).ToArray<double>();
            for (int i = 0; i < actual.Length; i++)
            {
                double e = expected[i + skip], a = actual[i];
                double ulps = Ulps(a, e, dt);
                Assert.True(ulps <= MaxUlps, $"{op}({xs[i + skip]:R}) in {dtype}: {a:R}, PyTorch {e:R} ({ulps} ulps)");
            }
        }
    }

    [Fact]
    public void TinyArgumentsKeepEveryDigit()
    {
        // Hand-derived: for |x| < 1e-9, tanh x = x, log1p x = x − x²/2 and expm1 x = x + x²/2 to far below an ulp.
        var x = Tensor.FromArray(new[] { 1e-8f, -3e-20f, 1e-30f }, 3);
        Assert.Equal(new[] { 1e-8f, -3e-20f, 1e-30f }, x.Tanh().ToArray<float>());
        var d = Tensor.FromArray(new[] { 1e-10, -2e-12 }, 2);
        Assert.Equal(new[] { 1e-10 - 5e-21, -2e-12 - 2e-24 }, d.Log1p().ToArray<double>());
        Assert.Equal(new[] { 1e-10 + 5e-21, -2e-12 + 2e-24 }, d.Expm1().ToArray<double>());
    }

    /// <summary>|a − e| in units of the last place of e in the dtype; equal non-finite values are 0 apart.</summary>
    private static double Ulps(double a, double e, DType dt)
    {
        if (double.IsNaN(e)) return double.IsNaN(a) ? 0 : double.PositiveInfinity;
        if (double.IsInfinity(e) || e == 0) return a == e ? 0 : double.PositiveInfinity;
        double ulp = dt == DType.Float32
            ? MathF.BitIncrement(MathF.Abs((float)e)) - MathF.Abs((float)e)
            : Math.BitIncrement(Math.Abs(e)) - Math.Abs(e);
        return Math.Abs(a - e) / ulp;
    }
}
