using Descent.Autograd;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Autograd;

/// <summary>Autograd semantics and error messages, checked against PyTorch 1.13's behaviour and texts.</summary>
public class AutogradBehaviourTests
{
    private const string SecondBackward =
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
        "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
        "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

    private static Tensor Leaf(params float[] v) => Tensor.FromArray(v).RequiresGrad_();

    private static float[] Values(Tensor? t) => t!.ToArray();

    [Fact]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        var x = Leaf(1, 2, 3);
        x.Mul(x).Sum().Backward();
        var first = x.Grad!;
        Assert.Equal([2f, 4f, 6f], Values(x.Grad));
        x.Mul(3.0).Sum().Backward();
        Assert.Equal([5f, 7f, 9f], Values(x.Grad));
        // Accumulation is in place: optimizers hold on to the grad tensor.
        Assert.Same(first, x.Grad);
    }

    [Fact]
    public void RetainGraphAllowsASecondBackwardAndWithoutItTheSecondThrows()
    {
        var x = Leaf(1, 2, 3);
        var y = x.Mul(x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        Assert.Equal([4f, 8f, 12f], Values(x.Grad));
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Equal(SecondBackward, e.Message);
    }

    [Fact]
    public void GraphWithoutSavedTensorsCanBeTraversedTwice()
    {
        // As in PyTorch: add and sum save nothing, so nothing was freed.
        var x = Leaf(1, 2);
        var y = x.Add(1.0).Sum();
        y.Backward();
        y.Backward();
        Assert.Equal([2f, 2f], Values(x.Grad));
    }

    [Fact]
    public void RetainGradKeepsANonLeafGradient()
    {
        var x = Leaf(1, 2, 3);
        var h = x.Mul(2.0);
        var other = x.Mul(3.0);
        h.RetainGrad();
        Assert.True(h.RetainsGrad);
        h.Mul(h).Sum().Add(other.Sum()).Backward();
        Assert.Equal([4f, 8f, 12f], Values(h.Grad));
        Assert.Equal([11f, 19f, 27f], Values(x.Grad));
        Assert.Null(other.Grad);
        // Retaining on a leaf is a no-op; on a tensor that does not require grad it throws PyTorch's message.
        x.RetainGrad();
        var e = Assert.Throws<InvalidOperationException>(() => Tensor.Ones(2).RetainGrad());
        Assert.Equal("can't retain_grad on Tensor that has requires_grad=False", e.Message);
    }

    [Fact]
    public void RetainedGradAccumulatesAcrossBackwardCalls()
    {
        var x = Leaf(1, 2);
        var h = x.Mul(2.0);
        h.RetainGrad();
        var y = h.Sum();
        y.Backward();
        y.Backward();
        Assert.Equal([2f, 2f], Values(h.Grad));
    }

    [Fact]
    public void DetachCutsTheGraphButSharesData()
    {
        var x = Leaf(1, 2);
        var d = x.Detach();
        Assert.False(d.RequiresGrad);
        Assert.True(d.IsLeaf);
        Assert.Same(x.Storage, d.Storage);
        var y = x.Mul(d).Sum();
        y.Backward();
        Assert.Equal([1f, 2f], Values(x.Grad));

        var h = x.Exp();
        var hd = h.Detach();
        Assert.Null(hd.GradFn);
        Assert.NotNull(h.GradFn);
        h.Detach_();
        Assert.Null(h.GradFn);
        Assert.False(h.RequiresGrad);
    }

    [Fact]
    public void InPlaceWriteThroughADetachedAliasIsCaught()
    {
        var x = Leaf(1, 2);
        var y = x.Exp();
        var z = y.Mul(y);
        y.Detach().Add_(1.0);
        var e = Assert.Throws<InvalidOperationException>(() => z.Sum().Backward());
        Assert.Equal(
            "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], " +
            "which is output 0 of ExpBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the " +
            "operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).", e.Message);
    }

    [Fact]
    public void NoGradRecordsNothing()
    {
        var x = Leaf(1, 2);
        Tensor y, z;
        using (Torch.NoGrad())
        {
            Assert.False(GradMode.IsEnabled);
            y = x.Mul(2.0).Exp().Sum();
            using (Torch.EnableGrad()) z = x.Mul(2.0);
            Assert.False(GradMode.IsEnabled);
        }
        Assert.True(GradMode.IsEnabled);
        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFn);
        Assert.True(y.IsLeaf);
        Assert.True(z.RequiresGrad);
        Assert.Equal("MulBackward0", z.GradFn!.Name);
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Equal("element 0 of tensors does not require grad and does not have a grad_fn", e.Message);
    }

    [Fact]
    public void NoGradIsPerThread()
    {
        var x = Leaf(1, 2);
        Tensor? other = null;
        using (Torch.NoGrad())
        {
            var t = new Thread(() => other = x.Mul(2.0));
            t.Start();
            t.Join();
        }
        Assert.True(other!.RequiresGrad);
    }

    [Fact]
    public void LeafAndRequiresGradRules()
    {
        var x = Leaf(1, 2);
        var c = Tensor.Ones(2);
        Assert.True(x.IsLeaf);
        Assert.True(c.IsLeaf);
        Assert.False(c.RequiresGrad);
        var y = x.Mul(c);
        Assert.False(y.IsLeaf);
        Assert.True(y.RequiresGrad);
        var k = c.Mul(2.0);
        Assert.True(k.IsLeaf);
        Assert.False(k.RequiresGrad);

        var e1 = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = true);
        Assert.Equal("you can only change requires_grad flags of leaf variables.", e1.Message);
        var e2 = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        Assert.Equal(
            "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
            e2.Message);
        Assert.Same(y, y.RequiresGrad_());
        Assert.Throws<InvalidOperationException>(() => y.RequiresGrad_(false));
        var e3 = Assert.Throws<InvalidOperationException>(() => Tensor.Arange(3).RequiresGrad_());
        Assert.Equal("only Tensors of floating point dtype can require gradients", e3.Message);
        x.RequiresGrad = false;
        Assert.False(x.RequiresGrad);
    }

    [Fact]
    public void NonLeafGradIsNullWithoutRetainGrad()
    {
        var x = Leaf(1, 2);
        var h = x.Mul(2.0);
        h.Sum().Backward();
        Assert.Null(h.Grad);
        Assert.NotNull(x.Grad);
    }

    [Fact]
    public void InPlaceChangeOfASavedInputIsCaughtAtBackward()
    {
        var a = Leaf(1, 2);
        var b = a.Mul(1.0);
        var c = b.Mul(b);
        b.Add_(1.0);
        var e = Assert.Throws<InvalidOperationException>(() => c.Sum().Backward());
        Assert.Equal(
            "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], " +
            "which is output 0 of AddBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the " +
            "operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).", e.Message);
    }

    [Fact]
    public void InPlaceChangeOfASavedConstantIsCaughtWithoutAProducer()
    {
        var a = Leaf(1, 2);
        var d = Tensor.FromArray([1f, 2f]);
        var c = a.Mul(d);
        d.Add_(1.0);
        var e = Assert.Throws<InvalidOperationException>(() => c.Sum().Backward());
        Assert.Equal(
            "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]] " +
            "is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute " +
            "its gradient, with torch.autograd.set_detect_anomaly(True).", e.Message);
    }

    [Fact]
    public void InPlaceChangeOfASavedOutputNamesItsNode()
    {
        var x = Leaf(1, 2);
        var s = x.Sigmoid();
        s.Mul_(2.0);
        var e = Assert.Throws<InvalidOperationException>(() => s.Sum().Backward());
        Assert.Contains("which is output 0 of SigmoidBackward0, is at version 1; expected version 0 instead.", e.Message);
        // tanh saves its output, not its input, so changing the input afterwards is fine.
        var y = x.Mul(3.0);
        var t = y.Tanh();
        y.Add_(1.0);
        t.Sum().Backward();
    }

    [Fact]
    public void InPlaceProductWithItselfIsCaughtAsPyTorchDoes()
    {
        var x = Leaf(1, 2);
        var y = x.Mul(1.0);
        y.Mul_(y);
        var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Contains("[torch.FloatTensor [2]], which is output 0 of MulBackward0, is at version 1; expected version 0 instead.", e.Message);
    }

    [Fact]
    public void InPlaceOnALeafThatRequiresGradThrows()
    {
        var x = Leaf(1, 2);
        var e = Assert.Throws<InvalidOperationException>(() => x.Add_(1.0));
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", e.Message);
        Assert.Throws<InvalidOperationException>(() => x.Mul_(Tensor.Ones(2)));
        Assert.Throws<InvalidOperationException>(() => x.Zero_());
        var v = Assert.Throws<InvalidOperationException>(() => x[0].Mul_(2.0));
        Assert.Equal("a view of a leaf Variable that requires grad is being used in an in-place operation.", v.Message);
        // Under no_grad (an optimizer step) it is allowed, and bumps the version counter.
        int version = x.Storage.Version;
        using (Torch.NoGrad()) x.Sub_(Tensor.Ones(2), alpha: 0.5);
        Assert.Equal([0.5f, 1.5f], Values(x));
        Assert.True(x.Storage.Version > version);
    }

    [Fact]
    public void InPlaceOnAnExpandedTensorThrows()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(3).Expand(2, 3).Add_(1.0));
        Assert.Equal(
            "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.",
            e.Message);
    }

    [Fact]
    public void InPlaceOnAViewRewritesTheBaseHistory()
    {
        var x = Leaf(1, 2, 3);
        var y = x.Mul(1.0);
        y[1..].Mul_(Tensor.FromArray([10f, 100f]));
        Assert.Equal("CopySlices", y.GradFn!.Name);
        Assert.Equal([1f, 20f, 300f], Values(y));
        y.Sum().Backward();
        Assert.Equal([1f, 10f, 100f], Values(x.Grad));

        // A buffer that does not require grad becomes part of the graph when a view of it is written from one that does.
        var w = Leaf(5, 6);
        var buf = Tensor.Zeros(4);
        buf.Narrow(0, 1, 2).Copy_(w);
        Assert.False(buf.IsLeaf);
        Assert.True(buf.RequiresGrad);
        buf.Mul(Tensor.FromArray([1f, 2f, 3f, 4f])).Sum().Backward();
        Assert.Equal([2f, 3f], Values(w.Grad));
    }

    [Fact]
    public void DeepChainBackpropagatesWithoutStackOverflow()
    {
        var x = Leaf(0.5f);
        var y = x;
        for (int i = 0; i < 100_000; i++) y = y.Add(1.0);
        Assert.Equal(100_000.5f, y.Item<float>());
        y.Sum().Backward();
        Assert.Equal([1f], Values(x.Grad));
    }

    [Fact]
    public void NonScalarBackwardNeedsAGradient()
    {
        var x = Leaf(1, 2);
        var y = x.Mul(2.0);
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Equal("grad can be implicitly created only for scalar outputs", e.Message);
        y.Backward(Tensor.FromArray([1f, 10f]));
        Assert.Equal([2f, 20f], Values(x.Grad));
    }

    [Fact]
    public void GradientOfTheWrongShapeThrows()
    {
        var x = Leaf(1, 2, 3);
        var e = Assert.Throws<ArgumentException>(() => x.Exp().Backward(Tensor.Zeros(2)));
        Assert.Equal(
            "Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3]).", e.Message);
        var s = Assert.Throws<ArgumentException>(() => x.Exp().Sum().Backward(Tensor.Zeros(2)));
        Assert.Equal(
            "Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([]).", s.Message);
    }

    [Fact]
    public void AssigningAGradOfTheWrongShapeThrows()
    {
        var x = Leaf(1, 2, 3);
        var e = Assert.Throws<ArgumentException>(() => x.Grad = Tensor.Zeros(2));
        Assert.StartsWith("assigned grad has data of a different size", e.Message);
    }

    [Fact]
    public void GradientKeepsTheLeafDtype()
    {
        var x = Leaf(1, 2);
        var d = Tensor.FromArray([0.5, 0.25]);
        x.Mul(d).Sum().Backward(Tensor.Scalar(1, DType.Float64));
        Assert.Equal(DType.Float32, x.Grad!.DType);
        Assert.Equal([0.5f, 0.25f], Values(x.Grad));
    }

    [Fact]
    public void GradFnNamesAndEdgesFollowPyTorch()
    {
        var x = Leaf(1, 2);
        var w = Tensor.FromArray([3f, 4f]);
        Assert.Equal("MulBackward0", x.Mul(2.0).GradFn!.Name);
        Assert.Equal("AddBackward0", x.Add(1.0).GradFn!.Name);
        Assert.Equal("SubBackward0", x.Sub(1.0).GradFn!.Name);
        Assert.Equal("DivBackward0", x.Div(2.0).GradFn!.Name);
        Assert.Equal("RsubBackward1", (2.0 - x).GradFn!.Name);
        Assert.Equal("NegBackward0", (-x).GradFn!.Name);
        Assert.Equal("RsqrtBackward0", x.Rsqrt().GradFn!.Name);
        Assert.Equal("TBackward0", x.View(1, 2).T().GradFn!.Name);
        Assert.Equal("TransposeBackward0", x.View(1, 2).Transpose(0, 1).GradFn!.Name);
        Assert.Equal("PermuteBackward0", x.View(1, 2).Permute(1, 0).GradFn!.Name);
        Assert.Equal("SqueezeBackward0", x.Squeeze().GradFn!.Name);
        Assert.Equal("SumBackward0", x.Sum().GradFn!.Name);
        Assert.Equal("MaxBackward1", x.Max().GradFn!.Name);
        Assert.Equal("MaxBackward0", x.Max(0).Values.GradFn!.Name);
        Assert.Same(x, x.Flatten());

        var y = x.Mul(w);
        var next = y.GradFn!.NextFunctions;
        Assert.Equal(2, next.Count);
        Assert.Equal("AccumulateGrad", next[0]!.Name);
        Assert.Same(x, ((AccumulateGrad)next[0]!).Leaf);
        Assert.Null(next[1]);
    }
}
