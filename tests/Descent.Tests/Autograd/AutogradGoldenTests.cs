using System.Text.Json;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;
using F = Descent.NN.Functional;

namespace Descent.Tests.Autograd;

/// <summary>
/// Higher-order gradients against PyTorch 1.13 in float64 (Golden/autograd.json, tests/golden/gen_autograd.py,
/// whose functions these mirror op for op): a Hessian-vector product, a WGAN-GP gradient penalty and the Hessian of
/// a small MLP's loss. The tolerance, 1e-12 relative to 1 + |expected|, leaves room only for the last bits of
/// transcendental functions and of sums taken in another order.
/// </summary>
public class AutogradGoldenTests
{
    private const double Tol = 1e-12;

    private static JsonElement Case(string name) => GoldenJson.Load("autograd.json").GetProperty(name);

    private static Tensor T(JsonElement e) => GoldenJson.Tensor(e);

    [Fact]
    public void HessianVectorProduct()
    {
        var c = Case("hvp");
        var x = T(c.GetProperty("x")).RequiresGrad_();
        Tensor a = T(c.GetProperty("a")), b = T(c.GetProperty("b")), v = T(c.GetProperty("v"));
        var h = a.Matmul(x).Add(b).Tanh();
        var f = h.LogSumExp(0).Add(x.Mul(x).Sum().Mul(0.5).Mul(x[0].Sigmoid())).Add(x.Softplus().Pow(2).Sum());
        var g = Torch.Autograd.Grad([f], [x], createGraph: true)[0]!;
        var hv = Torch.Autograd.Grad([g], [x], [v])[0]!;
        GoldenJson.AssertClose([c.GetProperty("value").GetDouble()], [f.Item()], Tol, "f");
        GoldenJson.AssertClose(c.GetProperty("grad"), g, Tol, "grad");
        GoldenJson.AssertClose(c.GetProperty("hvp"), hv, Tol, "hvp");
    }

    private static Tensor Critic(Tensor x, Dictionary<string, Tensor> p)
    {
        var h = F.Relu(F.Linear(x, p["w1"], p["b1"]));
        h = F.Linear(h, p["w2"], p["b2"]).Tanh();
        return F.Linear(h, p["w3"], p["b3"]);
    }

    [Fact]
    public void WganGpGradientPenalty()
    {
        var c = Case("wgan_gp");
        var p = c.GetProperty("params").EnumerateObject().ToDictionary(e => e.Name, e => T(e.Value).RequiresGrad_());
        Tensor real = T(c.GetProperty("real")), fake = T(c.GetProperty("fake")), alpha = T(c.GetProperty("alpha"));
        double lambda = c.GetProperty("lambda").GetDouble();

        var interp = alpha.Mul(real).Add(alpha.Rsub(1.0).Mul(fake)).RequiresGrad_();
        var dInterp = Critic(interp, p);
        var grads = Torch.Autograd.Grad([dInterp], [interp], [Tensor.OnesLike(dInterp)], createGraph: true)[0]!;
        var gp = grads.Norm(2, [1]).Sub(1.0).Pow(2.0).Mean();
        var loss = Critic(fake, p).Mean().Sub(Critic(real, p).Mean()).Add(gp.Mul(lambda));
        loss.Backward();

        GoldenJson.AssertClose(c.GetProperty("input_grad"), grads, Tol, "dD/dx");
        GoldenJson.AssertClose([c.GetProperty("gp").GetDouble()], [gp.Item()], Tol, "gp");
        GoldenJson.AssertClose([c.GetProperty("loss").GetDouble()], [loss.Item()], Tol, "loss");
        foreach (var e in c.GetProperty("param_grads").EnumerateObject())
            GoldenJson.AssertClose(e.Value, p[e.Name].Grad!, Tol, "grad of " + e.Name);
    }

    [Fact]
    public void HessianOfASmallMlpLoss()
    {
        var c = Case("mlp_hessian");
        Tensor x = T(c.GetProperty("x")), y = T(c.GetProperty("y"));
        var ps = c.GetProperty("params").EnumerateArray().Select(e => T(e).RequiresGrad_()).ToArray();
        var loss = F.MseLoss(F.Linear(F.Linear(x, ps[0], ps[1]).Tanh(), ps[2], ps[3]), y);
        var grads = Torch.Autograd.Grad([loss], ps, createGraph: true);
        var flat = Tensor.Cat(grads.Select(g => g!.Reshape(-1)).ToArray());
        var rows = new Tensor[flat.Numel];
        for (int i = 0; i < rows.Length; i++)
        {
            var row = Torch.Autograd.Grad([flat[i]], ps, retainGraph: true);
            rows[i] = Tensor.Cat(row.Select(r => r!.Reshape(-1)).ToArray());
        }
        GoldenJson.AssertClose([c.GetProperty("loss").GetDouble()], [loss.Item()], Tol, "loss");
        GoldenJson.AssertClose(c.GetProperty("grad"), flat, Tol, "grad");
        var hessian = Tensor.Stack(rows);
        GoldenJson.AssertClose(c.GetProperty("hessian"), hessian, Tol, "hessian");
        // A Hessian is symmetric: the rows, each from its own pass, agree with the columns.
        GoldenJson.AssertClose(hessian.ToArray<double>(), hessian.T().Contiguous().ToArray<double>(), Tol, "symmetry");
    }
}
