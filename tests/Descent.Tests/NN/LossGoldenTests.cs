using System.Text.Json;
using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.NN;

/// <summary>Every loss module and reduction against PyTorch: value, input gradient, target gradient where it exists.</summary>
public class LossGoldenTests
{
    private static JsonElement Case(string name)
    {
        foreach (var c in GoldenJson.Load("nn.json").GetProperty("losses").EnumerateArray())
            if (c.GetProperty("name").GetString() == name) return c;
        throw new KeyNotFoundException(name);
    }

    public static IEnumerable<object[]> Names()
    {
        foreach (var c in GoldenJson.Load("nn.json").GetProperty("losses").EnumerateArray())
            yield return [c.GetProperty("name").GetString()!];
    }

    private static Loss Create(JsonElement c)
    {
        var kw = c.GetProperty("kwargs");
        string reduction = kw.GetProperty("reduction").GetString()!;
        Tensor? weight = kw.TryGetProperty("weight", out var w) ? GoldenJson.Tensor(w) : null;
        Tensor? posWeight = kw.TryGetProperty("pos_weight", out var pw) ? GoldenJson.Tensor(pw) : null;
        long ignore = kw.TryGetProperty("ignore_index", out var ii) ? ii.GetInt64() : -100;
        double smoothing = kw.TryGetProperty("label_smoothing", out var ls) ? ls.GetDouble() : 0;
        return c.GetProperty("loss").GetString() switch
        {
            "MSELoss" => new MSELoss(reduction),
            "L1Loss" => new L1Loss(reduction),
            "CrossEntropyLoss" => new CrossEntropyLoss(weight, ignore, reduction, smoothing),
            "NLLLoss" => new NLLLoss(weight, ignore, reduction),
            "BCELoss" => new BCELoss(weight, reduction),
            "BCEWithLogitsLoss" => new BCEWithLogitsLoss(weight, reduction, posWeight),
            var other => throw new ArgumentException(other),
        };
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ValueAndGradientsMatchPyTorch(string name)
    {
        var c = Case(name);
        var loss = Create(c);
        var x = GoldenJson.Tensor(c.GetProperty("input")).RequiresGrad_();
        var t = GoldenJson.Tensor(c.GetProperty("target"));
        bool gradTarget = c.GetProperty("grad_target").ValueKind != JsonValueKind.Null;
        if (gradTarget) t.RequiresGrad_();
        var y = loss.Forward(x, t);
        GoldenJson.AssertClose(c.GetProperty("output"), y, what: name + " output");
        y.Mul(GoldenJson.Tensor(c.GetProperty("upstream"))).Sum().Backward();
        GoldenJson.AssertClose(c.GetProperty("grad_input"), x.Grad!, what: name + " grad_input");
        if (gradTarget) GoldenJson.AssertClose(c.GetProperty("grad_target"), t.Grad!, what: name + " grad_target");
    }

    [Theory]
    [InlineData("CrossEntropyLoss mean", "NllLossBackward0")]
    [InlineData("NLLLoss none", "NllLossBackward0")]
    [InlineData("BCELoss sum", "BinaryCrossEntropyBackward0")]
    [InlineData("BCEWithLogitsLoss mean", "BinaryCrossEntropyWithLogitsBackward0")]
    public void FusedLossesHavePyTorchsGradFn(string name, string gradFn)
    {
        var c = Case(name);
        var x = GoldenJson.Tensor(c.GetProperty("input")).RequiresGrad_();
        var y = Create(c).Forward(x, GoldenJson.Tensor(c.GetProperty("target")));
        Assert.Equal(gradFn, y.GradFn!.Name);
    }
}
