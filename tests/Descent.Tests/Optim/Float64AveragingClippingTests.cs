using System.Text.Json;
using Descent.NN;
using Descent.NN.Utils;
using Descent.Optim;
using Descent.Optim.Swa;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>
/// SWA/EMA averaging and gradient clipping on float64 tensors (and clipping over mixed float32/float64 gradients)
/// against PyTorch's float64 values (tests/golden/gen_sched.py, averaging_clipping_float64.json): relative error at
/// most 1e-12 (1e-6 where float32 gradients' norms, each rounded to float32 as PyTorch computes them, enter the total).
/// </summary>
public class Float64AveragingClippingTests
{
    private const double Rtol = 1e-12;

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "averaging_clipping_float64.json"))));

    private static JsonElement Root => Document.Value.RootElement;

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static void AssertClose(double[] expected, double[] actual, string what, double rtol = Rtol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]) / Math.Max(Math.Abs(expected[i]), 1e-3);
            Assert.True(err <= rtol, $"{what} [{i}]: expected {expected[i]:R}, got {actual[i]:R} (relative error {err:E2})");
        }
    }

    /// <summary>A 4 → 3 affine map with float64 parameters, named as Linear's.</summary>
    private sealed class Affine64 : Module
    {
        public Affine64()
        {
            Weight = RegisterParameter("weight", Parameter.Create(Tensor.Zeros([3, 4], DType.Float64)))!;
            Bias = RegisterParameter("bias", Parameter.Create(Tensor.Zeros([3], DType.Float64)))!;
        }

        public Tensor Weight { get; }

        public Tensor Bias { get; }

        public override Tensor Forward(Tensor input) => input.Matmul(Weight.T()) + Bias;
    }

    [Fact]
    public void AveragesMatchPyTorchInFloat64()
    {
        var g = Root.GetProperty("averaging");
        var init = g.GetProperty("init");
        var model = new Affine64();
        model.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.FromArray(Doubles(init.GetProperty("weight")), 3, 4),
            ["bias"] = Tensor.FromArray(Doubles(init.GetProperty("bias")), 3),
        });
        Assert.Equal(DType.Float64, model.Weight.DType);
        var opt = new SGD(model.Parameters(), lr: g.GetProperty("lr").GetDouble(), momentum: g.GetProperty("momentum").GetDouble());
        double decay = g.GetProperty("decay").GetDouble();
        Func<Module> factory = () => new Affine64();
        var averaged = new Dictionary<string, AveragedModel>
        {
            ["swa_default"] = new(model, factory),
            ["ema_avg_fn"] = new(model, factory, avgFn: SwaUtils.GetEmaAvgFn(decay)),
            ["swa_avg_fn"] = new(model, factory, avgFn: SwaUtils.GetSwaAvgFn()),
            ["ema_multi_avg_fn"] = new(model, factory, multiAvgFn: SwaUtils.GetEmaMultiAvgFn(decay)),
            ["swa_multi_avg_fn"] = new(model, factory, multiAvgFn: SwaUtils.GetSwaMultiAvgFn()),
        };
        var expected = g.GetProperty("averaged");
        int step = 0;
        foreach (var grads in g.GetProperty("grads").EnumerateArray())
        {
            opt.ZeroGrad();
            model.Weight.Grad = Tensor.FromArray(Doubles(grads.GetProperty("weight")), 3, 4);
            model.Bias.Grad = Tensor.FromArray(Doubles(grads.GetProperty("bias")), 3);
            opt.Step();
            foreach (var (kind, am) in averaged)
            {
                am.UpdateParameters(model);
                var want = expected.GetProperty(kind)[step];
                var got = am.Module.Parameters().ToList();
                for (int p = 0; p < got.Count; p++)
                {
                    Assert.Equal(DType.Float64, got[p].DType);
                    AssertClose(Doubles(want[p]), got[p].ToArray<double>(), $"{kind} step {step} param {p}");
                }
            }
            step++;
        }
    }

    public static TheoryData<string> ClippingCases() => ["clipping", "clipping_mixed"];

    private static List<Tensor> Params(JsonElement golden)
    {
        var shapes = golden.GetProperty("shapes").EnumerateArray().Select(s => s.EnumerateArray().Select(d => d.GetInt32()).ToArray()).ToList();
        var dtypes = golden.GetProperty("dtypes").EnumerateArray().Select(d => d.GetString() == "torch.float64" ? DType.Float64 : DType.Float32).ToList();
        var grads = golden.GetProperty("grads").EnumerateArray().ToList();
        var ps = new List<Tensor>();
        for (int i = 0; i < shapes.Count; i++)
        {
            var p = Parameter.Create(Tensor.Zeros(shapes[i], dtypes[i]));
            p.Grad = Tensor.FromArray(Doubles(grads[i]), shapes[i]).To(dtypes[i]);
            ps.Add(p);
        }
        return ps;
    }

    // Float32 gradients among float64 ones are compared at float32's precision.
    private static void AssertGrads(JsonElement expected, List<Tensor> ps, string what, double rtol)
    {
        for (int p = 0; p < ps.Count; p++)
        {
            var e = Doubles(expected[p]);
            var a = ps[p].Grad!.DType == DType.Float64 ? ps[p].Grad!.ToArray<double>() : ps[p].Grad!.ToArray().Select(v => (double)v).ToArray();
            AssertClose(e, a, $"{what} param {p}", ps[p].Grad!.DType == DType.Float64 ? rtol : 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(ClippingCases))]
    public void NormClippingMatchesPyTorchInFloat64(string section)
    {
        var golden = Root.GetProperty(section);
        double rtol = section == "clipping_mixed" ? 1e-6 : Rtol;
        foreach (var c in golden.GetProperty("norm").EnumerateArray())
        {
            var nt = c.GetProperty("norm_type");
            double normType = nt.ValueKind == JsonValueKind.String ? double.PositiveInfinity : nt.GetDouble(), maxNorm = c.GetProperty("max_norm").GetDouble();
            string what = $"{section} norm {normType} max {maxNorm}";
            var ps = Params(golden);
            var total = ClipGrad.ClipGradNorm_(ps, maxNorm, normType);
            Assert.Equal("torch.float64", c.GetProperty("total_dtype").GetString());
            Assert.Equal(DType.Float64, total.DType);
            AssertClose([c.GetProperty("total_norm").GetDouble()], [total.Item()], $"{what}: total norm", rtol);
            AssertGrads(c.GetProperty("clipped"), ps, what, rtol);
        }
        foreach (var c in golden.GetProperty("value").EnumerateArray())
        {
            var ps = Params(golden);
            ClipGrad.ClipGradValue_(ps, c.GetProperty("clip_value").GetDouble());
            AssertGrads(c.GetProperty("clipped"), ps, $"{section} value {c.GetProperty("clip_value").GetDouble()}", Rtol);
        }
    }
}
