using Descent.Diagnostics;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Autograd;

/// <summary>
/// <c>Torch.Autograd.Grad</c>, <c>Backward(inputs, createGraph)</c> and higher-order gradients, with PyTorch's
/// values (small enough to state exactly or taken from PyTorch 1.13 in float64) and its messages.
/// </summary>
public class GradApiTests
{
    private static Tensor D(params double[] v) => Tensor.FromArray(v).RequiresGrad_();

    private static double[] V(Tensor? t) => t!.To(DType.Float64).ToArray<double>();

    private static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-14 * Math.Abs(expected[i]));
    }

    [Fact]
    public void GradReturnsGradientsOfLeavesAndNonLeavesAndAccumulatesNothing()
    {
        var x = D(1, 2, 3);
        var h = x.Exp();
        var y = h.Mul(h).Sum();
        var g = Torch.Autograd.Grad([y], [h, x]);
        // PyTorch 1.13: torch.autograd.grad(y, [h, x]) for x = [1., 2., 3.] in float64 (exp may differ in the last bit).
        Close([5.43656365691809, 14.7781121978613, 40.171073846375336], V(g[0]));
        Close([14.778112197861299, 109.19630006628849, 806.8575869854702], V(g[1]));
        Assert.Null(x.Grad);
        Assert.False(g[1]!.RequiresGrad);
        Assert.Null(g[1]!.GradFn);
    }

    [Fact]
    public void GradOfAnInputWithRespectToItselfIsTheSeed()
    {
        var x = D(1, 2);
        var v = Tensor.FromArray([3.0, -4.0]);
        Assert.Equal([3.0, -4.0], V(Torch.Autograd.Grad([x], [x], [v])[0]));
        // The same input twice gets the same gradient twice; the same output twice contributes twice.
        var y = x.Mul(x).Sum();
        var twice = Torch.Autograd.Grad([y, y], [x, x], retainGraph: true);
        Assert.Equal([4.0, 8.0], V(twice[0]));
        Assert.Equal([4.0, 8.0], V(twice[1]));
    }

    [Fact]
    public void UnusedInputsFollowAllowUnusedAndMaterializeGrads()
    {
        var x = D(1, 2);
        var z = D(5);
        var e = Assert.Throws<InvalidOperationException>(() => Torch.Autograd.Grad([x.Mul(2.0).Sum()], [x, z]));
        Assert.Equal(
            "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.",
            e.Message);
        var g = Torch.Autograd.Grad([x.Mul(2.0).Sum()], [x, z], allowUnused: true);
        Assert.Equal([2.0, 2.0], V(g[0]));
        Assert.Null(g[1]);
        var m = Torch.Autograd.Grad([x.Mul(2.0).Sum()], [x, z], materializeGrads: true);
        Assert.Equal([0.0], V(m[1]));
        var bad = Assert.Throws<ArgumentException>(() => Torch.Autograd.Grad([x.Sum()], [x], allowUnused: false, materializeGrads: true));
        Assert.Equal("Expected allow_unused to be True or not passed when materialize_grads=True, but got: allow_unused=False.", bad.Message);
    }

    [Fact]
    public void GradChecksItsArgumentsWithPyTorchsMessages()
    {
        var x = D(1, 2);
        Assert.Equal("One of the differentiated Tensors does not require grad",
            Assert.Throws<InvalidOperationException>(() => Torch.Autograd.Grad([x.Sum()], [Tensor.Ones(2)])).Message);
        Assert.Equal("got 2 tensors and 1 gradients",
            Assert.Throws<ArgumentException>(() => Torch.Autograd.Grad([x.Sum(), x.Mul(2.0).Sum()], [x], [null])).Message);
        Assert.Equal("grad can be implicitly created only for scalar outputs",
            Assert.Throws<InvalidOperationException>(() => Torch.Autograd.Grad([x.Mul(2.0)], [x])).Message);
        Assert.Equal("element 0 of tensors does not require grad and does not have a grad_fn",
            Assert.Throws<InvalidOperationException>(() => Torch.Autograd.Grad([Tensor.Ones(2).Sum()], [x])).Message);
        Assert.Equal("Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape of torch.Size([2]).",
            Assert.Throws<ArgumentException>(() => Torch.Autograd.Grad([x.Mul(2.0)], [x], [Tensor.Ones(3)])).Message);
        Assert.Equal("'inputs' argument to backward() cannot be empty.",
            Assert.Throws<InvalidOperationException>(() => x.Sum().Backward(inputs: [])).Message);
    }

    [Fact]
    public void GradFreesTheGraphUnlessRetained()
    {
        var x = D(1, 2);
        var y = x.Exp().Sum();
        Torch.Autograd.Grad([y], [x], retainGraph: true);
        Torch.Autograd.Grad([y], [x]);
        var e = Assert.Throws<InvalidOperationException>(() => Torch.Autograd.Grad([y], [x]));
        Assert.StartsWith("Trying to backward through the graph a second time", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BackwardWithInputsAccumulatesOnlyIntoThem()
    {
        // PyTorch 1.13: h = x·w, y = Σ h²; backward(inputs=[h]) then backward(inputs=[x]).
        var x = D(1, 2, 3);
        var w = D(0.5, -1, 2);
        var h = x.Mul(w);
        var y = h.Mul(h).Sum();
        y.Backward(inputs: [h], retainGraph: true);
        Assert.Equal([1.0, -4.0, 12.0], V(h.Grad));
        Assert.Null(x.Grad);
        Assert.Null(w.Grad);
        y.Backward(inputs: [x]);
        // h's node ran on the way to x, so its retained gradient accumulated again.
        Assert.Equal([2.0, -8.0, 24.0], V(h.Grad));
        Assert.Equal([0.5, 4.0, 24.0], V(x.Grad));
        Assert.Null(w.Grad);
        var e = Assert.Throws<InvalidOperationException>(() => x.Mul(2.0).Sum().Backward(inputs: [Tensor.Ones(2)]));
        Assert.Equal("can't retain_grad on Tensor that has requires_grad=False", e.Message);
    }

    [Fact]
    public void GradSkipsTheBranchesThatDoNotReachTheInputs()
    {
        var x = D(1, 2);
        var z = D(3, 4);
        var side = z.Exp();
        int calls = 0;
        side.RegisterHook(g => { calls++; });
        var y = x.Mul(x).Sum().Add(side.Sum());
        Assert.Equal([2.0, 4.0], V(Torch.Autograd.Grad([y], [x], retainGraph: true)[0]));
        Assert.Equal(0, calls);
        Assert.Null(z.Grad);
        y.Backward();
        Assert.Equal(1, calls);
        Assert.Equal(Math.Exp(3), V(z.Grad)[0], 12);
    }

    [Fact]
    public void BackwardWithCreateGraphKeepsTheGradientsGraphAsPyTorch()
    {
        // PyTorch 1.13: (x³).sum().backward(create_graph=True) twice: x.grad is [3, 12] with grad_fn CopyBackwards,
        // then [6, 24] with AddBackward0; the call warns about the reference cycle.
        var x = D(1, 2);
        using var warnings = Warnings.Capture();
        x.Pow(3).Sum().Backward(createGraph: true);
        Assert.Equal([3.0, 12.0], V(x.Grad));
        Assert.Equal("CopyBackwards", x.Grad!.GradFn!.Name);
        x.Pow(3).Sum().Backward(createGraph: true);
        Assert.Equal([6.0, 24.0], V(x.Grad));
        Assert.Equal("AddBackward0", x.Grad!.GradFn!.Name);
        Assert.StartsWith("Using backward() with create_graph=True will create a reference cycle", warnings.Messages[0], StringComparison.Ordinal);
        // The accumulated gradient differentiates again: d/dx Σ (6x²) = 12x.
        Assert.Equal([12.0, 24.0], V(Torch.Autograd.Grad([x.Grad.Sum()], [x])[0]));
    }

    [Fact]
    public void HessianVectorProductOfACubic()
    {
        // PyTorch 1.13, float64: f = Σ x³ + x₀x₁x₂ at x = [0.5, -1, 2], v = [1, 2, -1].
        var x = D(0.5, -1, 2);
        var v = Tensor.FromArray([1.0, 2.0, -1.0]);
        var f = x.Pow(3).Sum().Add(x[0].Mul(x[1]).Mul(x[2]));
        var g = Torch.Autograd.Grad([f], [x], createGraph: true)[0]!;
        Assert.True(g.RequiresGrad);
        Assert.Equal([-1.25, 4.0, 11.5], V(g));
        Assert.Equal([8.0, -10.5, -12.0], V(Torch.Autograd.Grad([g], [x], [v])[0]));
    }

    [Fact]
    public void ThirdDerivativesThroughRecordedBackwardFormulas()
    {
        // d³/dx³ of sin is -cos, of exp is exp; each order is one more pass over the previous gradient's graph.
        var x = D(0.3, -1.2);
        var d1 = Torch.Autograd.Grad([x.Sin().Sum()], [x], createGraph: true)[0]!;
        var d2 = Torch.Autograd.Grad([d1.Sum()], [x], createGraph: true)[0]!;
        var d3 = Torch.Autograd.Grad([d2.Sum()], [x])[0]!;
        Assert.Equal(-Math.Cos(0.3), V(d3)[0], 14);
        Assert.Equal(-Math.Cos(-1.2), V(d3)[1], 14);
    }
}
