using Descent.NN;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.NN;

/// <summary>Module hooks: forward pre-hooks, forward hooks and full backward (pre-)hooks, with PyTorch 1.13's values and messages.</summary>
public class ModuleHookTests
{
    private static double[] V(Tensor? t) => t!.ToArray<double>();

    private static double[][] Rows(Tensor? t)
    {
        var c = t!.To(DType.Float64);
        return [.. Enumerable.Range(0, c.Size(0)).Select(i => V(c[i]))];
    }

    /// <summary>A float64 Linear(3, 2) with fixed weights, as in the PyTorch run the expected values come from.</summary>
    private sealed class Affine : Module
    {
        public Affine()
        {
            Weight = RegisterParameter("weight", Parameter.Create(Tensor.FromArray([0.5, -1, 2, 1.5, 0.25, -0.75], 2, 3)))!;
            Bias = RegisterParameter("bias", Parameter.Create(Tensor.FromArray([0.1, -0.2])))!;
        }

        public Tensor Weight { get; }

        public Tensor Bias { get; }

        public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
    }

    private static Affine Layer() => new();

    private static Tensor Input(bool requiresGrad = true)
    {
        var x = Tensor.FromArray([1.0, 2, 3, -1, 0.5, 2], 2, 3);
        return requiresGrad ? x.RequiresGrad_() : x;
    }

    [Fact]
    public void ForwardHooksReplaceInputAndOutputInOrder()
    {
        var lin = Layer();
        var order = new List<string>();
        lin.RegisterForwardPreHook((m, x) =>
        {
            order.Add("pre");
            Assert.Same(lin, m);
            return x.Mul(2.0);
        });
        lin.RegisterForwardPreHook((m, x) => order.Add("pre first"), prepend: true);
        var post = lin.RegisterForwardHook((m, x, y) =>
        {
            order.Add("post");
            // The hook sees the input the pre-hook made.
            Assert.Equal(2.0, x.ToArray<double>()[0]);
            return y.Add(100.0);
        });
        var y = lin.Call(Input(false));
        Assert.Equal(["pre first", "pre", "post"], order);
        // W·(2x) + b + 100 for the first row: 2·(0.5 − 2 + 6) + 0.1 + 100.
        Assert.Equal(109.1, V(y[0])[0], 12);
        // Forward itself runs no hooks, as module.forward(x) in PyTorch.
        Assert.Equal(4.6, V(lin.Forward(Input(false))[0])[0], 12);
        post.Remove();
        Assert.Equal(9.1, V(lin.Call(Input(false))[0])[0], 12);
    }

    [Fact]
    public void FullBackwardHookSeesTheInputAndOutputGradients()
    {
        // PyTorch 1.13: y = lin(x), (y·y).sum().backward() with a full backward hook.
        var lin = Layer();
        var seen = new List<(Tensor?[] In, Tensor?[] Out)>();
        lin.RegisterFullBackwardHook((m, gi, go) => seen.Add((gi, go)));
        var x = Input();
        var y = lin.Call(x);
        y.Mul(y).Sum().Backward();
        var (gradIn, gradOut) = seen.Single();
        Assert.Equal([[9.2, -0.9], [6.2, -6.15]], Rows(gradOut[0]), new RowsEqual(1e-13));
        Assert.Equal([[3.2499999999999996, -9.424999999999999, 19.075], [-6.125000000000002, -7.737500000000001, 17.012500000000003]],
            Rows(gradIn[0]), new RowsEqual(1e-13));
        Assert.Equal(Rows(gradIn[0]), Rows(x.Grad), new RowsEqual(0));
    }

    [Fact]
    public void FullBackwardHookCanReplaceTheInputGradient()
    {
        var lin = Layer();
        lin.RegisterFullBackwardHook((m, gi, go) => [gi[0]!.Mul(0.0)]);
        var x = Input();
        lin.Call(x).Sum().Backward();
        Assert.Equal([0.0, 0.0, 0.0], V(x.Grad![0]));
        // The parameters' gradients come from inside the module and are untouched.
        Assert.Equal([0.0, 2.5, 5.0], V(lin.Weight.Grad![0]).Select(v => Math.Round(v, 12)).ToArray());
    }

    [Fact]
    public void WithoutAnInputThatRequiresGradTheHookGetsNullInputGradients()
    {
        var lin = Layer();
        var seen = new List<(Tensor?[] In, Tensor?[] Out)>();
        lin.RegisterFullBackwardHook((m, gi, go) => seen.Add((gi, go)));
        var y = lin.Call(Input(false));
        y.Mul(y).Sum().Backward();
        var (gradIn, gradOut) = seen.Single();
        Assert.Equal([null], gradIn);
        Assert.Equal([[9.2, -0.9], [6.2, -6.15]], Rows(gradOut[0]), new RowsEqual(1e-13));

        lin.RegisterFullBackwardHook((m, gi, go) => [Tensor.Ones(2, 3)]);
        var y2 = lin.Call(Input(false));
        Assert.Equal("Backward hook for Modules where no input requires gradient should always return None or None for all gradients.",
            Assert.Throws<InvalidOperationException>(() => y2.Sum().Backward()).Message);
    }

    [Fact]
    public void HookResultsOfTheWrongLengthArePyTorchsErrors()
    {
        var lin = Layer();
        lin.RegisterFullBackwardHook((m, gi, go) => [gi[0], gi[0]]);
        var y = lin.Call(Input());
        Assert.Equal("Backward hook returned an invalid number of grad_input, got 2, but expected 1",
            Assert.Throws<InvalidOperationException>(() => y.Mul(y).Sum().Backward()).Message);

        var other = Layer();
        other.RegisterFullBackwardPreHook((m, go) => []);
        var z = other.Call(Input());
        Assert.Equal("Backward pre hook returned an invalid number of grad_output, got 0, but expected 1",
            Assert.Throws<InvalidOperationException>(() => z.Sum().Backward()).Message);
    }

    [Fact]
    public void FullBackwardPreHookReplacesTheOutputGradient()
    {
        var lin = Layer();
        lin.RegisterFullBackwardPreHook((m, go) => [go[0]!.Mul(2.0)]);
        var seen = new List<Tensor?[]>();
        lin.RegisterFullBackwardHook((m, gi, go) => seen.Add(go));
        var x = Input();
        lin.Call(x).Sum().Backward();
        // The doubled output gradient reaches the hook, the parameters and the input.
        Assert.Equal([[2.0, 2.0], [2.0, 2.0]], Rows(seen.Single()[0]), new RowsEqual(0));
        Assert.Equal([4.0, -1.5, 2.5], V(x.Grad![0]), new RowsEqual(1e-13).Element);
        Assert.Equal([0.0, 5.0, 10.0], V(lin.Weight.Grad![0]), new RowsEqual(1e-13).Element);
    }

    [Fact]
    public void SequentialCallsItsChildrenWithTheirHooks()
    {
        var lin = Layer();
        var net = new Sequential(lin, new Tanh());
        int forward = 0, backward = 0;
        lin.RegisterForwardHook((m, x, y) => { forward++; });
        lin.RegisterFullBackwardHook((m, gi, go) => { backward++; });
        net.Call(Input()).Sum().Backward();
        Assert.Equal(1, forward);
        Assert.Equal(1, backward);
    }

    /// <summary>Rows compared elementwise within an absolute tolerance.</summary>
    private sealed class RowsEqual(double tol) : IEqualityComparer<double[]>
    {
        public IEqualityComparer<double> Element { get; } = new Scalar(tol);

        public bool Equals(double[]? a, double[]? b) =>
            a is not null && b is not null && a.Length == b.Length && a.Zip(b).All(p => Math.Abs(p.First - p.Second) <= tol);

        public int GetHashCode(double[] obj) => 0;

        private sealed class Scalar(double tol) : IEqualityComparer<double>
        {
            public bool Equals(double a, double b) => Math.Abs(a - b) <= tol;
            public int GetHashCode(double obj) => 0;
        }
    }
}
