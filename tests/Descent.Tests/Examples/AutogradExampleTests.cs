using Descent.Examples;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Examples;

/// <summary>The autograd examples give PyTorch 1.13's numbers (Golden/autograd.json, tests/golden/gen_autograd.py).</summary>
[Collection("GlobalGenerator")]
public class AutogradExampleTests
{
    [Fact]
    public void HessianVectorProductMatchesPyTorch()
    {
        var golden = GoldenJson.Load("autograd.json").GetProperty("example_hvp");
        var parameters = HessianVectorProduct.FromFormula(k => 0.5 * Math.Sin(1.3 * k + 0.2));
        foreach (var p in parameters) p.RequiresGrad_();
        var v = HessianVectorProduct.FromFormula(k => Math.Cos(0.7 * k));
        var (loss, grad, hvp) = HessianVectorProduct.Compute(parameters, v);
        GoldenJson.AssertClose([golden.GetProperty("loss").GetDouble()], [loss], 1e-12, "loss");
        var g = golden.GetProperty("grad").EnumerateArray().ToArray();
        var h = golden.GetProperty("hvp").EnumerateArray().ToArray();
        for (int i = 0; i < parameters.Length; i++)
        {
            GoldenJson.AssertClose(g[i], grad[i], 1e-12, $"grad {i}");
            GoldenJson.AssertClose(h[i], hvp[i], 1e-12, $"hvp {i}");
        }
        // Nothing was accumulated into the parameters: autograd.grad returns its gradients.
        Assert.All(parameters, p => Assert.Null(p.Grad));
    }

    [Fact]
    public void OptimizerInBackwardMatchesPyTorch()
    {
        var golden = GoldenJson.Load("autograd.json").GetProperty("example_optimizer_in_backward");
        int steps = golden.GetProperty("steps").GetInt32();
        Torch.ManualSeed(1);
        var net = new OptimizerInBackward.Net();
        var losses = OptimizerInBackward.Fit(net, steps);
        // Float32 sums in another order than PyTorch's: after 60 steps the losses still agree to about 1e-7, the
        // parameters to about 1e-6.
        GoldenJson.AssertClose(GoldenJson.Numbers(golden.GetProperty("losses")), losses, 1e-6, "loss");
        foreach (var (name, p) in net.NamedParameters())
        {
            GoldenJson.AssertClose(golden.GetProperty("params").GetProperty(name), p, 1e-5, name);
            // Each hook cleared its parameter's gradient after stepping.
            Assert.Null(p.Grad);
        }
        Assert.True(losses[^1] < losses[0] / 50, $"loss {losses[0]} → {losses[^1]}");
    }
}
