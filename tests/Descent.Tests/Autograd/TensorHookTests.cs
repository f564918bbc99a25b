using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Autograd;

/// <summary>Tensor hooks: <c>RegisterHook</c> and <c>RegisterPostAccumulateGradHook</c>, with current PyTorch's order and messages.</summary>
public class TensorHookTests
{
    private static Tensor D(params double[] v) => Tensor.FromArray(v).RequiresGrad_();

    private static double[] V(Tensor? t) => t!.ToArray<double>();

    [Fact]
    public void AHookOnANonLeafReplacesItsGradient()
    {
        var x = D(1, 2);
        var y = x.Mul(2.0);
        var seen = new List<double[]>();
        y.RegisterHook(g =>
        {
            seen.Add(V(g));
            return g.Mul(3.0);
        });
        y.Mul(y).Sum().Backward();
        Assert.Equal([4.0, 8.0], seen.Single());
        // dL/dx = 2 · (3 · 2y).
        Assert.Equal([24.0, 48.0], V(x.Grad));
    }

    [Fact]
    public void LeafHooksRunInOrderBeforeAccumulationAndRemoveByHandle()
    {
        var x = D(1, 2);
        var order = new List<string>();
        var first = x.RegisterHook(g =>
        {
            order.Add("first");
            return g.Add(1.0);
        });
        x.RegisterHook(g =>
        {
            order.Add("second");
            return g.Mul(10.0);
        });
        x.Mul(3.0).Sum().Backward();
        Assert.Equal(["first", "second"], order);
        Assert.Equal([40.0, 40.0], V(x.Grad));
        first.Remove();
        first.Remove();
        x.Grad = null;
        x.Mul(3.0).Sum().Backward();
        Assert.Equal([30.0, 30.0], V(x.Grad));
    }

    [Fact]
    public void RetainedGradientsSeeTheHookedValue()
    {
        // As PyTorch 2.x: retain_grad's hook runs after the tensor's own hooks.
        var x = D(1, 2);
        var h = x.Exp();
        h.RetainGrad();
        h.RegisterHook(g => g.Mul(0.5));
        h.Sum().Backward();
        Assert.Equal([0.5, 0.5], V(h.Grad));
        Assert.Equal(0.5 * Math.E, V(x.Grad)[0], 15);
    }

    [Fact]
    public void LeafHooksRunForGradAndShapeWhatItReturns()
    {
        // Current PyTorch: a hook on an input of autograd.grad runs, and its result is the gradient returned.
        var x = D(1, 2);
        int calls = 0;
        x.RegisterHook(g =>
        {
            calls++;
            return g.Neg();
        });
        Assert.Equal([-3.0, -3.0], V(Torch.Autograd.Grad([x.Mul(3.0).Sum()], [x])[0]));
        Assert.Equal(1, calls);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void HookErrorsArePyTorchs()
    {
        Assert.Equal("cannot register a hook on a tensor that doesn't require gradient",
            Assert.Throws<InvalidOperationException>(() => Tensor.Ones(2).RegisterHook(g => g)).Message);
        var x = Tensor.FromArray([1f, 2f]).RequiresGrad_();
        Assert.Equal("post accumulate grad hooks cannot be registered on non-leaf tensors",
            Assert.Throws<InvalidOperationException>(() => x.Mul(2.0).RegisterPostAccumulateGradHook(_ => { })).Message);
        Assert.Equal("cannot register a hook on a tensor that doesn't require gradient",
            Assert.Throws<InvalidOperationException>(() => Tensor.Ones(2).RegisterPostAccumulateGradHook(_ => { })).Message);

        using (x.RegisterHook(g => g.Sum()))
            Assert.Equal("hook '<lambda>' has changed the size of value",
                Assert.Throws<InvalidOperationException>(() => x.Mul(3.0).Sum().Backward()).Message);
        using (x.RegisterHook(g => g.Double()))
            Assert.Equal("hook '<lambda>' has changed the type of value (was torch.FloatTensor got torch.DoubleTensor)",
                Assert.Throws<InvalidOperationException>(() => x.Mul(3.0).Sum().Backward()).Message);
    }

    [Fact]
    public void PostAccumulateGradHooksSeeTheAccumulatedGradOnly()
    {
        var x = D(1, 2);
        var seen = new List<double[]>();
        var handle = x.RegisterPostAccumulateGradHook(p =>
        {
            Assert.Same(x, p);
            seen.Add(V(p.Grad));
        });
        x.Mul(3.0).Sum().Backward();
        x.Mul(x).Sum().Backward();
        Assert.Equal([[3.0, 3.0], [5.0, 7.0]], seen);
        // autograd.grad accumulates nothing, so the hook does not run.
        Torch.Autograd.Grad([x.Sum()], [x]);
        Assert.Equal(2, seen.Count);
        handle.Dispose();
        x.Sum().Backward();
        Assert.Equal(2, seen.Count);
    }
}
