using Descent.Autograd;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Autograd;

/// <summary>Custom autograd functions (<see cref="Function"/>, <see cref="MultiOutputFunction"/>), against PyTorch 1.13's behaviour and messages.</summary>
public class CustomFunctionTests
{
    private static double[] V(Tensor? t) => t!.ToArray<double>();

    private sealed class Exp : Function
    {
        protected override Tensor Forward(FunctionCtx ctx, Tensor[] inputs)
        {
            var result = inputs[0].Exp();
            ctx.SaveForBackward(result);
            return result;
        }

        protected override Tensor?[] Backward(FunctionCtx ctx, Tensor gradOutput) => [gradOutput.Mul(ctx.SavedTensors[0]!)];
    }

    /// <summary>x·y with a backward that returns one gradient for two inputs.</summary>
    private sealed class Bad : Function
    {
        protected override Tensor Forward(FunctionCtx ctx, Tensor[] inputs) => inputs[0].Mul(inputs[1]);

        protected override Tensor?[] Backward(FunctionCtx ctx, Tensor gradOutput) => [gradOutput];
    }

    /// <summary>2x with a backward whose gradient has the shape <paramref name="gradShape"/>.</summary>
    private sealed class Shaped(int[] gradShape) : Function
    {
        protected override Tensor Forward(FunctionCtx ctx, Tensor[] inputs) => inputs[0].Mul(2.0);

        protected override Tensor?[] Backward(FunctionCtx ctx, Tensor gradOutput) => [Tensor.Ones(gradShape, DType.Float64)];
    }

    /// <summary>Returns its input as it is, and records which inputs needed a gradient.</summary>
    private sealed class Identity : Function
    {
        public IReadOnlyList<bool>? Needs { get; private set; }

        protected override Tensor Forward(FunctionCtx ctx, Tensor[] inputs)
        {
            Needs = ctx.NeedsInputGrad;
            return inputs[0];
        }

        protected override Tensor?[] Backward(FunctionCtx ctx, Tensor gradOutput) => [gradOutput, null];
    }

    /// <summary>sin and cos of x; the backward reports which gradients it got.</summary>
    private sealed class SinCos(bool materialize) : MultiOutputFunction
    {
        public List<Tensor?[]> Seen { get; } = [];

        protected override Tensor[] Forward(FunctionCtx ctx, Tensor[] inputs)
        {
            ctx.MaterializeGrads = materialize;
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0].Sin(), inputs[0].Cos(), inputs[0].Argmax()];
        }

        protected override Tensor?[] Backward(FunctionCtx ctx, Tensor?[] gradOutputs)
        {
            Seen.Add([.. gradOutputs]);
            var x = ctx.SavedTensors[0]!;
            var g = gradOutputs[0] is { } a ? a.Mul(x.Cos()) : Tensor.ZerosLike(x);
            return [gradOutputs[1] is { } b ? g.Sub(b.Mul(x.Sin())) : g];
        }
    }

    [Fact]
    public void ASavedOutputGivesTheGradientAndTheGraphIsFreedAfterwards()
    {
        var x = Tensor.FromArray([0.0, 1.0]).RequiresGrad_();
        var y = new Exp().Apply(x);
        Assert.Equal("ExpBackward", y.GradFn!.Name);
        Assert.Equal("AccumulateGrad", y.GradFn.NextFunctions[0]!.Name);
        var s = y.Sum();
        s.Backward();
        Assert.Equal([1.0, Math.E], V(x.Grad));
        var e = Assert.Throws<InvalidOperationException>(() => s.Backward());
        Assert.StartsWith("Trying to backward through the graph a second time", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BackwardResultsAreCheckedWithPyTorchsMessages()
    {
        var x = Tensor.Ones([2], DType.Float64).RequiresGrad_();
        Assert.Equal("function BadBackward returned an incorrect number of gradients (expected 2, got 1)",
            Assert.Throws<InvalidOperationException>(() => new Bad().Apply(x, x).Sum().Backward()).Message);
        var m = Tensor.Ones([2, 3], DType.Float64).RequiresGrad_();
        Assert.Equal("Function ShapedBackward returned an invalid gradient at index 0 - got [3] but expected shape compatible with [2, 3]",
            Assert.Throws<InvalidOperationException>(() => new Shaped([3]).Apply(m).Sum().Backward()).Message);
        // A gradient the input expands to is summed back to the input's shape.
        var v = Tensor.Ones([3], DType.Float64).RequiresGrad_();
        new Shaped([2, 3]).Apply(v).Sum().Backward();
        Assert.Equal([2.0, 2.0, 2.0], V(v.Grad));
    }

    [Fact]
    public void AnInputReturnedAsItIsBecomesANewTensorInTheGraph()
    {
        var x = Tensor.FromArray([0.5]).RequiresGrad_();
        var c = Tensor.FromArray([2.0]);
        var f = new Identity();
        var y = f.Apply(x, c);
        Assert.NotSame(x, y);
        Assert.Equal("IdentityBackward", y.GradFn!.Name);
        Assert.Equal([true, false], f.Needs);
        y.Mul(3.0).Sum().Backward();
        Assert.Equal([3.0], V(x.Grad));
        // Nothing requires grad: no node, as in PyTorch.
        var z = new Identity().Apply(c, c);
        Assert.Null(z.GradFn);
        Assert.False(z.RequiresGrad);
    }

    [Fact]
    public void SeveralOutputsGetZerosOrNullForAnUnusedOneAndIntegerOutputsNoGradient()
    {
        // PyTorch 1.13: s, c = Two.apply(x); s.sum().backward() hands backward (ones, zeros).
        var x = Tensor.FromArray([0.5]).RequiresGrad_();
        var f = new SinCos(materialize: true);
        var outs = f.Apply(x);
        Assert.False(outs[2].RequiresGrad);
        Assert.Same(outs[0].GradFn, outs[1].GradFn);
        outs[0].Sum().Backward();
        Assert.Equal([1.0], V(f.Seen[0][0]));
        Assert.Equal([0.0], V(f.Seen[0][1]));
        Assert.Equal(Math.Cos(0.5), V(x.Grad)[0], 15);

        var lazy = new SinCos(materialize: false);
        var o2 = lazy.Apply(x);
        x.Grad = null;
        o2[1].Mul(2.0).Sum().Backward();
        Assert.Null(lazy.Seen[0][0]);
        Assert.Equal(-2 * Math.Sin(0.5), V(x.Grad)[0], 15);
    }

    [Fact]
    public void AnInPlaceChangeToASavedInputIsCaught()
    {
        var x = Tensor.FromArray([0.5f]).RequiresGrad_();
        var h = x.Mul(1.0);
        var y = new Cube().Apply(h);
        h.Add_(1.0);
        var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Equal(
            "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [1]], " +
            "which is output 0 of AddBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the " +
            "operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).", e.Message);
    }

    [Fact]
    public void ABackwardInTensorOpsDifferentiatesAgain()
    {
        // d²/dx² x³ = 6x, through the custom function's recorded backward.
        var x = Tensor.FromArray([0.5, -2.0]).RequiresGrad_();
        var g = Torch.Autograd.Grad([new Cube().Apply(x).Sum()], [x], createGraph: true)[0]!;
        Assert.Equal([0.75, 12.0], V(g));
        Assert.Equal([3.0, -12.0], V(Torch.Autograd.Grad([g.Sum()], [x])[0]));
    }
}
