using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;
using static Descent.Tests.Support.GradCases;

namespace Descent.Tests.Autograd;

/// <summary>
/// Finite-difference checks (float64, central differences, ε = 1e-6) of every case in <see cref="GradCases"/>
/// and of composite graphs.
/// </summary>
public class GradCheckTests
{
    // Ops whose outputs are integers (no gradient to check).
    private static readonly HashSet<string> NotDifferentiable = ["argmax", "argmin"];

    public static IEnumerable<object[]> CaseNames() => All.Keys.Select(k => new object[] { k });

    [Fact]
    public void EveryDifferentiableOpIsChecked()
    {
        var checkedOps = All.Values.Select(c => c.Op).ToHashSet();
        var missing = OpTable.Ops.Keys.Where(k => !checkedOps.Contains(k) && !NotDifferentiable.Contains(k)).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OpGradientMatchesFiniteDifferences(string name)
    {
        var c = All[name];
        var rng = new Random(name.Aggregate(17, (h, ch) => h * 31 + ch));
        var inputs = c.Inputs(rng);
        foreach (var x in inputs) if (x.DType == DType.Float64) x.RequiresGrad = true;
        if (c.Op == "to_float32")
        {
            // The float32 result quantises L to ~1e-7 relative, which central differences divide by 2ε: with
            // ε = 1e-3 that noise is ~1e-4, so this one case is checked at 1e-3.
            GradCheck.Check(c.Run, inputs, name, eps: 1e-3, rtol: 1e-3, atol: 1e-3);
            return;
        }
        GradCheck.Check(c.Run, inputs, name);
    }

    [Fact]
    public void NonContiguousInputsThroughViews()
    {
        var rng = new Random(3);
        var a = N(4, 3)(rng).RequiresGrad_();
        var b = N(3, 8)(rng).RequiresGrad_();
        GradCheck.Check(x => [x[0].T().Mul(x[1].Slice(1, 0, 8, 2)).Exp().Sum(0)], [a, b], "transposed * strided");
    }

    [Fact]
    public void TinyMlp()
    {
        var rng = new Random(4);
        var x = N(5, 3)(rng);
        var w1 = N(4, 3)(rng).RequiresGrad_();
        var b1 = N(4)(rng).RequiresGrad_();
        var w2 = N(2, 4)(rng).RequiresGrad_();
        var b2 = N(2)(rng).RequiresGrad_();
        var target = N(5, 2)(rng);
        GradCheck.Check(p =>
        {
            var h = Tensor.Addmm(p[1], x, p[0].T()).Tanh();
            var y = h.Matmul(p[2].T()).Add(p[3]);
            var d = y.Sub(target);
            return [d.Mul(d).Mean()];
        }, [w1, b1, w2, b2], "mlp");
    }

    [Fact]
    public void SharedSubexpressions()
    {
        var rng = new Random(5);
        var x = N(3, 4)(rng).RequiresGrad_();
        GradCheck.Check(p =>
        {
            var y = p[0].Sigmoid();
            var z = y.Mul(y.Exp()).Add(y.Sum(1, keepDim: true));
            return [z, y.Tanh()];
        }, [x], "shared");
    }

    [Fact]
    public void TensorUsedTwiceInOneOp()
    {
        var rng = new Random(6);
        var x = N(3, 3)(rng).RequiresGrad_();
        GradCheck.Check(p => [p[0].Mul(p[0]), p[0].Matmul(p[0]), p[0].Div(p[0].Abs().Add(1.0))], [x], "twice");
    }

    [Fact]
    public void BroadcastingChain()
    {
        var rng = new Random(7);
        var a = N(3, 1)(rng).RequiresGrad_();
        var b = N(4)(rng).RequiresGrad_();
        var c = N(2, 1, 1)(rng).RequiresGrad_();
        GradCheck.Check(p => [p[0].Add(p[1]).Mul(p[2]).Sub(p[1].Mul(p[0])).Div(p[2].Exp()).Sum([0, 2]).Softplus()], [a, b, c], "broadcast chain");
    }

    [Fact]
    public void InPlaceInsideTheGraph()
    {
        var rng = new Random(8);
        var a = N(3, 4)(rng).RequiresGrad_();
        var b = N(4)(rng).RequiresGrad_();
        GradCheck.Check(p =>
        {
            var y = p[0].Exp();
            var z = y.Mul(2.0);
            z.Add_(p[1]).Mul_(p[0]);
            z.Select(1, 2).Mul_(p[1].Select(0, 0));
            z.Slice(0, 0, 3, 2).Relu_();
            return [z.Sum(1), y];
        }, [a, b], "in-place chain");
    }

    [Fact]
    public void DeepComposite()
    {
        var rng = new Random(9);
        var x = N(2, 3)(rng).RequiresGrad_();
        GradCheck.Check(p =>
        {
            var h = p[0];
            for (int i = 0; i < 20; i++) h = h.Mul(0.9).Add(h.Sin2()).Tanh();
            return [h.LogSumExp(1)];
        }, [x], "deep");
    }
}

internal static class GradCheckExtensions
{
    /// <summary>A smooth periodic-ish term built from library ops (sigmoid - 0.5).</summary>
    public static Tensor Sin2(this Tensor t) => t.Sigmoid().Sub(0.5);
}

/// <summary>The checker itself must fail on a wrong gradient.</summary>
public class GradCheckSelfTests
{
    [Fact]
    public void DetectsAWrongGradient()
    {
        // x.detach()·x has derivative x by autograd (one path cut) but 2x numerically.
        var x = Tensor.FromArray([0.5, -1.5, 2.0]).RequiresGrad_();
        Assert.Throws<Xunit.Sdk.XunitException>(() => GradCheck.Check(p => [p[0].Detach().Mul(p[0])], [x], "detached"));
    }
}
