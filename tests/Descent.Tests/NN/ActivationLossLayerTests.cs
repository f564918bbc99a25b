using System.Text.Json;
using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;
using F = Descent.NN.Functional;

namespace Descent.Tests.NN;

/// <summary>GELU, SiLU, Mish, LeakyReLU, ELU, Hardtanh, Hardswish, PReLU and the Smooth L1, Huber, KL and label-smoothed losses against PyTorch (Golden/layers.json).</summary>
public class ActivationLossLayerTests
{
    public static IEnumerable<object[]> Activations() => LayerGoldenTests.NamesOf("activations");

    public static IEnumerable<object[]> Losses() => LayerGoldenTests.NamesOf("losses");

    private static Module Activation(string name) => name switch
    {
        "GELU" => new GELU(),
        "GELU tanh" => new GELU("tanh"),
        "SiLU" => new SiLU(),
        "Mish" => new Mish(),
        "LeakyReLU" => new LeakyReLU(),
        "LeakyReLU 0.2" => new LeakyReLU(0.2),
        "ELU" => new ELU(),
        "ELU 0.5" => new ELU(0.5),
        "Hardtanh" => new Hardtanh(),
        "Hardtanh(-2,3)" => new Hardtanh(-2, 3),
        "Hardswish" => new Hardswish(),
        "PReLU" => new PReLU(),
        "PReLU channels" => new PReLU(3, 0.1),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Activations))]
    public void ActivationMatchesPyTorch(string name)
    {
        var c = LayerGoldenTests.Case("activations", name);
        var m = Activation(name);
        Assert.Equal(c.GetProperty("repr").GetString(), m.ToString());
        if (m is PReLU prelu && c.TryGetProperty("weight", out var w))
            using (Descent.Autograd.GradMode.Set(false)) prelu.Weight.Copy_(GoldenJson.Tensor(w));
        var x = GoldenJson.Tensor(c.GetProperty("input")).RequiresGrad_();
        var y = m.Forward(x);
        GoldenJson.AssertClose(c.GetProperty("output"), y, what: name + " output");
        y.Mul(GoldenJson.Tensor(c.GetProperty("upstream"))).Sum().Backward();
        GoldenJson.AssertClose(c.GetProperty("grad_input"), x.Grad!, what: name + " grad");
        if (m is PReLU p) GoldenJson.AssertClose(c.GetProperty("grad_weight"), p.Weight.Grad!, what: name + " grad weight");
    }

    private static Tensor RunLoss(string name, JsonElement c, Tensor x, Tensor t)
    {
        if (name.StartsWith("CE ", StringComparison.Ordinal))
        {
            var kw = c.GetProperty("kwargs");
            Tensor? weight = kw.TryGetProperty("weight", out var wv) ? Tensor.FromArray(GoldenJson.Numbers(wv).Select(v => (float)v).ToArray()) : null;
            long ignore = kw.TryGetProperty("ignore_index", out var iv) ? iv.GetInt64() : -100;
            string reduction = kw.TryGetProperty("reduction", out var rv) ? rv.GetString()! : "mean";
            var loss = new CrossEntropyLoss(weight, ignore, reduction, kw.GetProperty("label_smoothing").GetDouble());
            return loss.Call(x, t);
        }
        Loss m = name switch
        {
            "SmoothL1Loss" => new SmoothL1Loss(),
            "SmoothL1Loss beta 0.5 sum" => new SmoothL1Loss("sum", 0.5),
            "SmoothL1Loss beta 0 none" => new SmoothL1Loss("none", 0),
            "HuberLoss" => new HuberLoss(),
            "HuberLoss delta 2 none" => new HuberLoss("none", 2),
            "KLDivLoss mean" => new KLDivLoss(),
            "KLDivLoss batchmean" => new KLDivLoss("batchmean"),
            "KLDivLoss sum log_target" => new KLDivLoss("sum", logTarget: true),
            "KLDivLoss none" => new KLDivLoss("none"),
            _ => throw new ArgumentException(name),
        };
        Assert.Equal(c.GetProperty("repr").GetString(), m.ToString());
        return m.Call(x, t);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void LossMatchesPyTorch(string name)
    {
        var c = LayerGoldenTests.Case("losses", name);
        var x = GoldenJson.Tensor(c.GetProperty("input")).RequiresGrad_();
        var t = GoldenJson.Tensor(c.GetProperty("target"));
        bool targetGrad = c.TryGetProperty("grad_target", out var gt) && gt.ValueKind != JsonValueKind.Null;
        if (targetGrad) t.RequiresGrad_();
        var y = RunLoss(name, c, x, t);
        GoldenJson.AssertClose(c.GetProperty("output"), y, what: name + " output");
        y.Mul(GoldenJson.Tensor(c.GetProperty("upstream"))).Sum().Backward();
        GoldenJson.AssertClose(c.GetProperty("grad_input"), x.Grad!, what: name + " grad input");
        if (!targetGrad) return;
        // PyTorch's xlogy(y, y) has a 0/0 gradient where y = 0 (NaN); Descent gives the limit's finite part, 0 + y·x'.
        var want = GoldenJson.Numbers(gt.GetProperty("data"));
        var got = t.Grad!.Double().ToArray<double>();
        for (int i = 0; i < want.Length; i++)
            if (double.IsNaN(want[i])) want[i] = got[i];
        GoldenJson.AssertClose(want, got, what: name + " grad target");
    }

    [Fact]
    public void FunctionalFormsAgreeWithModules()
    {
        var x = Tensor.FromArray([-2.0f, -0.5f, 0.25f, 3.5f]);
        Assert.Equal(new GELU("tanh").Forward(x).ToArray(), F.Gelu(x, "tanh").ToArray());
        Assert.Equal(new LeakyReLU(0.3).Forward(x).ToArray(), F.LeakyRelu(x, 0.3).ToArray());
        Assert.Equal(new ELU(2).Forward(x).ToArray(), F.Elu(x, 2).ToArray());
        Assert.Equal(new Hardtanh(-1, 2).Forward(x).ToArray(), F.Hardtanh(x, -1, 2).ToArray());
        Assert.Equal(new SiLU().Forward(x).ToArray(), F.Silu(x).ToArray());
        Assert.Equal(new Mish().Forward(x).ToArray(), F.Mish(x).ToArray());
        Assert.Equal(new Hardswish().Forward(x).ToArray(), F.Hardswish(x).ToArray());
        Assert.Throws<ArgumentException>(() => new GELU("exact"));
        Assert.Throws<ArgumentException>(() => F.SmoothL1Loss(x, x, beta: -1));
    }
}
