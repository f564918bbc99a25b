using System.Text.Json;
using Descent.NN;
using Descent.NN.Utils;
using Descent.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace Descent.Tests.Optim;

/// <summary>clip_grad_norm_, clip_grad_value_, get_total_norm and clip_grads_with_norm_ against PyTorch.</summary>
public class ClipGradTests(ITestOutputHelper output)
{
    private static JsonElement Golden => SchedulerGolden.Root.GetProperty("clipping");

    private static List<Tensor> Params()
    {
        var shapes = Golden.GetProperty("shapes").EnumerateArray().Select(s => s.EnumerateArray().Select(d => d.GetInt32()).ToArray()).ToList();
        var grads = Golden.GetProperty("grads").EnumerateArray().ToList();
        var ps = new List<Tensor>();
        for (int i = 0; i < shapes.Count; i++)
        {
            var p = Parameter.Create(Tensor.Zeros(shapes[i]));
            p.Grad = Tensor.FromArray(grads[i].EnumerateArray().Select(v => (float)v.GetDouble()).ToArray(), shapes[i]);
            ps.Add(p);
        }
        return ps;
    }

    private static double NormType(JsonElement e) => e.ValueKind == JsonValueKind.String ? double.PositiveInfinity : e.GetDouble();

    private static double AssertGrads(JsonElement expected, List<Tensor> ps, string what)
    {
        double worst = 0;
        for (int p = 0; p < ps.Count; p++)
        {
            var e = expected[p].EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            var a = ps[p].Grad!.ToArray();
            for (int i = 0; i < e.Length; i++)
            {
                double err = Math.Abs(a[i] - e[i]) / Math.Max(Math.Abs(e[i]), 1e-3);
                worst = Math.Max(worst, err);
                Assert.True(err <= 1e-6, $"{what} param {p} [{i}]: expected {e[i]:R}, got {a[i]:R}");
            }
        }
        return worst;
    }

    [Fact]
    public void NormClippingMatchesPyTorch()
    {
        double worst = 0;
        foreach (var c in Golden.GetProperty("norm").EnumerateArray())
        {
            double normType = NormType(c.GetProperty("norm_type")), maxNorm = c.GetProperty("max_norm").GetDouble();
            string what = $"norm {normType} max {maxNorm}";
            var ps = Params();
            var total = ClipGrad.ClipGradNorm_(ps, maxNorm, normType);
            Assert.Equal(DType.Float32, total.DType);
            Assert.Equal(0, total.Dim);
            double expected = c.GetProperty("total_norm").GetDouble();
            double err = Math.Abs(total.Item() - expected) / expected;
            worst = Math.Max(worst, err);
            Assert.True(err <= 1e-6, $"{what}: total norm {total.Item():R} vs {expected:R}");
            worst = Math.Max(worst, AssertGrads(c.GetProperty("clipped"), ps, what));

            // get_total_norm + clip_grads_with_norm_ is the same computation in two steps.
            var ps2 = Params();
            var total2 = ClipGrad.GetTotalNorm(ps2.Select(p => p.Grad!), normType);
            Assert.Equal(total.Item(), total2.Item());
            ClipGrad.ClipGradsWithNorm_(ps2, maxNorm, total2);
            for (int i = 0; i < ps.Count; i++) Assert.Equal(ps[i].Grad!.ToArray(), ps2[i].Grad!.ToArray());
        }
        output.WriteLine($"worst relative error of clipping: {worst:E2}");
    }

    [Fact]
    public void ValueClippingMatchesPyTorch()
    {
        foreach (var c in Golden.GetProperty("value").EnumerateArray())
        {
            var ps = Params();
            ClipGrad.ClipGradValue_(ps, c.GetProperty("clip_value").GetDouble());
            AssertGrads(c.GetProperty("clipped"), ps, $"value {c.GetProperty("clip_value").GetDouble()}");
        }
    }

    [Fact]
    public void NonFiniteNormThrowsOrPoisons()
    {
        var nf = Golden.GetProperty("nonfinite");
        foreach (var (key, normType) in new[] { ("2.0", 2.0), ("inf", double.PositiveInfinity) })
        {
            var p = Parameter.Create(Tensor.Zeros(3));
            p.Grad = Tensor.FromArray(new[] { 1f, float.PositiveInfinity, 2f }, 3);
            var e = Assert.Throws<InvalidOperationException>(() => ClipGrad.ClipGradNorm_([p], 1.0, normType, errorIfNonfinite: true));
            Assert.Equal(nf.GetProperty("messages").GetProperty(key).GetString(), e.Message);
            Assert.Equal(new[] { 1f, float.PositiveInfinity, 2f }, p.Grad!.ToArray()); // unchanged after the error
        }
        var q = Parameter.Create(Tensor.Zeros(3));
        q.Grad = Tensor.FromArray(new[] { 1f, float.PositiveInfinity, 2f }, 3);
        var total = ClipGrad.ClipGradNorm_([q], 1.0);
        Assert.True(float.IsPositiveInfinity((float)total.Item()));
        Assert.Equal("inf", nf.GetProperty("total_norm").GetString());
        var clipped = q.Grad!.ToArray();
        Assert.Equal(0f, clipped[0]);
        Assert.True(float.IsNaN(clipped[1]));
        Assert.Equal(0f, clipped[2]);
    }

    [Fact]
    public void ParametersWithoutGradientsAreSkippedAndEmptyIsZero()
    {
        var a = Parameter.Create(Tensor.Zeros(2));
        a.Grad = Tensor.FromArray(new[] { 3f, 4f }, 2);
        var b = Parameter.Create(Tensor.Zeros(2));
        var total = ClipGrad.ClipGradNorm_([a, b], 1.0);
        Assert.Equal(5.0, total.Item(), 6);
        Assert.Null(b.Grad);
        Assert.Equal(0.6f, a.Grad!.ToArray()[0], 6);
        Assert.Equal(0.0, ClipGrad.ClipGradNorm_([b], 1.0).Item());
        Assert.Equal(0.0, ClipGrad.GetTotalNorm([]).Item());
        ClipGrad.ClipGradValue_(b, 1.0); // no gradient: nothing to do
    }

    [Fact]
    public void CoefficientIsClampedToOneInFloat32()
    {
        // Within the bound: max_norm / (total + 1e-6) > 1 is clamped to 1 and gradients are untouched.
        var a = Parameter.Create(Tensor.Zeros(2));
        a.Grad = Tensor.FromArray(new[] { 0.3f, 0.4f }, 2);
        ClipGrad.ClipGradNorm_(a, 1.0);
        Assert.Equal(new[] { 0.3f, 0.4f }, a.Grad!.ToArray());
        // At the bound the 1e-6 still scales, by 1/(1 + 1e-6) in float32 (reciprocal, then times max_norm).
        var b = Parameter.Create(Tensor.Zeros(2));
        b.Grad = Tensor.FromArray(new[] { 0.6f, 0.8f }, 2);
        var total = ClipGrad.ClipGradNorm_(b, 1.0);
        float coef = 1f / ((float)total.Item() + 1e-6f) * 1f;
        Assert.True(coef < 1f);
        Assert.Equal(new[] { 0.6f * coef, 0.8f * coef }, b.Grad!.ToArray());
        Assert.Equal(1.0, ClipGrad.ClipCoefficient(10, Tensor.Scalar(1.0)));
        Assert.True(double.IsNaN(ClipGrad.ClipCoefficient(1, Tensor.Scalar(double.NaN))));
    }
}
