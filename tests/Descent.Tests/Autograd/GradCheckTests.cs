using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Autograd;

/// <summary>
/// Finite-difference checks (float64, central differences, ε = 1e-6) of every differentiable op in
/// <see cref="OpTable"/> and of composite graphs. Random inputs stay away from kinks (|x|, relu, clamp bounds)
/// and ties (max, maximum) with probability one.
/// </summary>
public class GradCheckTests
{
    private sealed record Case(string Op, Func<Random, Tensor[]> Inputs, OpArgs Args);

    private static OpArgs A(params (string Key, object? Value)[] kv) => new(kv.ToDictionary(p => p.Key, p => p.Value));

    // Input makers: N = standard normal, P = uniform [0.5, 2) (domain of log, sqrt, pow), I = int64 index, M = bool mask.
    private static Func<Random, Tensor> N(params int[] shape) => r => Fill(r, shape, () => Normal(r));
    private static Func<Random, Tensor> P(params int[] shape) => r => Fill(r, shape, () => 0.5 + 1.5 * r.NextDouble());
    private static Func<Random, Tensor> Tr(Func<Random, Tensor> inner) => r => inner(r);
    private static Func<Random, Tensor> I(long[] values, params int[] shape) => _ => Tensor.FromArray(values, shape);
    private static Func<Random, Tensor> M(bool[] values, params int[] shape) => _ => Tensor.FromArray(values, shape);

    private static Tensor Fill(Random r, int[] shape, Func<double> next)
    {
        var a = new double[shape.Aggregate(1, (x, y) => x * y)];
        for (int i = 0; i < a.Length; i++) a[i] = next();
        return Tensor.FromArray(a, shape.Length == 0 ? [1] : shape).Reshape(shape);
    }

    private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static Func<Random, Tensor[]> In(params Func<Random, Tensor>[] makers) => r => makers.Select(m => m(r)).ToArray();

    private static readonly Dictionary<string, Case> Cases = Build();

    private static Dictionary<string, Case> Build()
    {
        var c = new Dictionary<string, Case>();
        void Add(string name, string op, Func<Random, Tensor[]> inputs, OpArgs? args = null) => c[name] = new Case(op, inputs, args ?? OpArgs.None);

        foreach (var op in new[] { "add", "sub", "mul" })
        {
            Add(op, op, In(N(2, 3), N(2, 3)));
            Add($"{op}_broadcast", op, In(N(3, 1), N(1, 4)));
        }
        Add("add_alpha", "add", In(N(2, 3), N(3)), A(("alpha", 2.5)));
        Add("sub_alpha", "sub", In(N(2, 3), N(2, 1)), A(("alpha", -0.75)));
        Add("div", "div", In(N(2, 3), P(2, 3)));
        Add("div_broadcast", "div", In(N(2, 3), P(3)));
        Add("pow", "pow", In(P(2, 3), N(2, 3)));
        Add("pow_broadcast", "pow", In(P(3, 1), N(4)));
        Add("maximum", "maximum", In(N(3, 4), N(4)));
        Add("minimum", "minimum", In(N(3, 4), N(3, 4)));
        Add("where", "where", In(M([true, false, true, false, false, true], 2, 3), N(2, 3), N(3)));
        Add("where_scalar", "where_scalar", In(M([true, false, true], 3), N(2, 3)), A(("value", 0.5)));
        Add("add_scalar", "add_scalar", In(N(2, 3)), A(("value", 1.5)));
        Add("sub_scalar", "sub_scalar", In(N(2, 3)), A(("value", 1.5)));
        Add("rsub_scalar", "rsub_scalar", In(N(2, 3)), A(("value", 2.0)));
        Add("mul_scalar", "mul_scalar", In(N(2, 3)), A(("value", -3.0)));
        Add("div_scalar", "div_scalar", In(N(2, 3)), A(("value", 3.0)));
        Add("rdiv_scalar", "rdiv_scalar", In(P(2, 3)), A(("value", 2.0)));
        foreach (var p in new[] { 2, 0.5, -1, 3, 0, 1, -0.5, 2.5 })
            Add($"pow_scalar_{p}", "pow_scalar", In(p == (int)p && p >= 0 ? N(2, 3) : P(2, 3)), A(("p", p)));
        foreach (var op in new[] { "neg", "exp", "abs", "sign", "relu", "sigmoid", "tanh", "square" })
            Add(op, op, In(N(3, 4)));
        foreach (var op in new[] { "sin", "cos", "expm1" })
            Add(op, op, In(N(3, 4)));
        Add("softmax", "softmax", In(N(3, 4)), A(("dim", 1)));
        Add("softmax_dim0", "softmax", In(N(2, 3, 4)), A(("dim", 0)));
        Add("log_softmax", "log_softmax", In(N(3, 4)), A(("dim", -1)));
        Add("log_softmax_3d", "log_softmax", In(N(2, 3, 4)), A(("dim", 1)));
        foreach (var op in new[] { "log", "sqrt", "reciprocal", "rsqrt", "log1p" })
            Add(op, op, In(P(3, 4)));
        Add("softplus", "softplus", In(N(3, 4)), A(("beta", 2.0), ("threshold", 1.5)));
        Add("softplus_default", "softplus", In(N(3, 4)));
        Add("clamp", "clamp", In(N(3, 4)), A(("min", -0.5), ("max", 0.5)));
        Add("clamp_min", "clamp", In(N(3, 4)), A(("min", 0.0)));
        Add("clamp_max", "clamp", In(N(3, 4)), A(("max", 0.25)));
        Add("addcmul", "addcmul", In(N(2, 3), N(2, 3), N(3)), A(("value", 0.5)));
        Add("addcdiv", "addcdiv", In(N(2, 3), N(2, 1), P(2, 3)), A(("value", -2.0)));
        Add("lerp_scalar", "lerp_scalar", In(N(2, 3), N(3)), A(("weight", 0.3)));
        Add("lerp_scalar_high", "lerp_scalar", In(N(2, 3), N(2, 3)), A(("weight", 0.8)));
        Add("lerp", "lerp", In(N(2, 3), N(2, 3), N(3)));
        Add("masked_fill", "masked_fill", In(N(2, 3), M([true, false, true], 3)), A(("value", -1.0)));

        Add("sum_all", "sum", In(N(3, 4)));
        Add("sum_dims", "sum", In(N(2, 3, 4)), A(("dims", new[] { 0, -1 }), ("keepdim", true)));
        Add("mean_all", "mean", In(N(3, 4)));
        Add("mean_dims", "mean", In(N(2, 3, 4)), A(("dims", new[] { 1 })));
        Add("max_all", "max_all", In(N(3, 4)));
        Add("min_all", "min_all", In(N(3, 4)));
        Add("max_dim", "max_dim", In(N(2, 3, 4)), A(("dim", 1)));
        Add("min_dim", "min_dim", In(N(2, 3, 4)), A(("dim", -1), ("keepdim", true)));
        Add("amax", "amax", In(N(2, 3, 4)), A(("dims", new[] { 0, 2 })));
        Add("amin", "amin", In(N(2, 3, 4)), A(("dims", new[] { 1 }), ("keepdim", true)));
        foreach (var unbiased in new[] { true, false })
        {
            Add($"var_all_{unbiased}", "var", In(N(3, 4)), A(("unbiased", unbiased)));
            Add($"var_dims_{unbiased}", "var", In(N(2, 3, 4)), A(("dims", new[] { 0, 2 }), ("unbiased", unbiased)));
            Add($"std_all_{unbiased}", "std", In(N(3, 4)), A(("unbiased", unbiased)));
            Add($"std_dims_{unbiased}", "std", In(N(2, 3, 4)), A(("dims", new[] { -1 }), ("unbiased", unbiased), ("keepdim", true)));
        }
        foreach (var p in new[] { 2, 1, double.PositiveInfinity, double.NegativeInfinity, 3, 1.5, 0.5 })
        {
            Add($"norm_{p}_all", "norm", In(p < 1 ? P(3, 4) : N(3, 4)), A(("p", p)));
            Add($"norm_{p}_dims", "norm", In(p < 1 ? P(2, 3, 4) : N(2, 3, 4)), A(("p", p), ("dims", new[] { -1 }), ("keepdim", p > 2)));
        }
        Add("logsumexp", "logsumexp", In(N(3, 4)), A(("dims", new[] { 1 })));
        Add("logsumexp_dims", "logsumexp", In(N(2, 3, 4)), A(("dims", new[] { 0, 2 }), ("keepdim", true)));

        Add("view", "view", In(N(2, 3, 4)), A(("shape", new[] { 4, -1 })));
        Add("reshape", "reshape", In(N(2, 3, 4)), A(("shape", new[] { 6, 4 })));
        Add("transpose", "transpose", In(N(2, 3, 4)), A(("dim0", 0), ("dim1", -1)));
        Add("t", "t", In(N(3, 4)));
        Add("permute", "permute", In(N(2, 3, 4)), A(("dims", new[] { 2, 0, 1 })));
        Add("narrow", "narrow", In(N(2, 5)), A(("dim", 1), ("start", -3), ("length", 2)));
        Add("slice", "slice", In(N(7, 3)), A(("dim", 0), ("start", 1), ("end", 7), ("step", 3)));
        Add("select", "select", In(N(2, 3, 4)), A(("dim", -2), ("index", 1)));
        Add("index", "index", In(N(3, 4)), A(("index", -1)));
        Add("index_range", "index_range", In(N(5, 2)), A(("start", 1), ("end", 4)));
        Add("squeeze", "squeeze", In(N(1, 3, 1, 2)));
        Add("squeeze_dim", "squeeze_dim", In(N(3, 1, 2)), A(("dim", -2)));
        Add("unsqueeze", "unsqueeze", In(N(3, 4)), A(("dim", -1)));
        Add("expand", "expand", In(N(3, 1)), A(("shape", new[] { 2, 3, 4 })));
        Add("flatten", "flatten", In(N(2, 3, 4)), A(("start", 1)));
        Add("contiguous", "contiguous", In(N(3, 4)));

        Add("matmul_1d_1d", "matmul", In(N(4), N(4)));
        Add("matmul_2d_1d", "matmul", In(N(3, 4), N(4)));
        Add("matmul_1d_2d", "matmul", In(N(4), N(4, 2)));
        Add("matmul_2d_2d", "matmul", In(N(3, 4), N(4, 2)));
        Add("matmul_batched_broadcast", "matmul", In(N(2, 1, 3, 4), N(3, 4, 2)));
        Add("matmul_3d_1d", "matmul", In(N(2, 3, 4), N(4)));
        Add("mm", "mm", In(N(3, 4), N(4, 2)));
        Add("bmm", "bmm", In(N(2, 3, 4), N(2, 4, 2)));
        Add("addmm", "addmm", In(N(2), N(3, 4), N(4, 2)), A(("beta", 0.5), ("alpha", -2.0)));

        Add("cat", "cat", In(N(2, 3), N(1, 3), N(3, 3)));
        Add("cat_dim1", "cat", In(N(2, 3), N(2, 1)), A(("dim", -1)));
        Add("stack", "stack", In(N(2, 3), N(2, 3)), A(("dim", 1)));
        Add("gather", "gather", In(N(3, 4), I([0, 3, 3, 1, 2, 0], 3, 2)), A(("dim", 1)));
        Add("index_select", "index_select", In(N(4, 3), I([3, 0, 0], 3)), A(("dim", 0)));

        Add("clone", "clone", In(N(2, 3)));
        Add("to_float64", "to_float64", In(N(2, 3)));
        Add("to_float32", "to_float32", In(N(2, 3)));

        Add("add_", "add_", In(N(2, 3), N(3)), A(("alpha", -0.5)));
        Add("sub_", "sub_", In(N(2, 3), N(2, 3)));
        Add("mul_", "mul_", In(N(2, 3), N(2, 1)));
        Add("div_", "div_", In(N(2, 3), P(2, 3)));
        Add("add_scalar_", "add_scalar_", In(N(2, 3)), A(("value", 2.0)));
        Add("mul_scalar_", "mul_scalar_", In(N(2, 3)), A(("value", -1.5)));
        Add("div_scalar_", "div_scalar_", In(N(2, 3)), A(("value", 4.0)));
        Add("pow_", "pow_", In(N(2, 3)), A(("p", 3.0)));
        Add("pow_tensor_", "pow_tensor_", In(P(2, 3), N(3)));
        Add("sqrt_", "sqrt_", In(P(2, 3)));
        Add("exp_", "exp_", In(N(2, 3)));
        Add("relu_", "relu_", In(N(2, 3)));
        Add("neg_", "neg_", In(N(2, 3)));
        Add("clamp_", "clamp_", In(N(2, 3)), A(("min", -0.2), ("max", 0.4)));
        Add("fill_", "fill_", In(N(2, 3)), A(("value", 2.5)));
        Add("zero_", "zero_", In(N(2, 3)));
        Add("copy_", "copy_", In(N(2, 3), N(3)));
        Add("addcmul_", "addcmul_", In(N(2, 3), N(2, 3), N(2, 3)), A(("value", 0.5)));
        Add("addcdiv_", "addcdiv_", In(N(2, 3), N(2, 3), P(2, 3)), A(("value", 2.0)));
        Add("lerp_", "lerp_", In(N(2, 3), N(2, 3)), A(("weight", 0.25)));
        Add("masked_fill_", "masked_fill_", In(N(2, 3), M([true, false, true], 3)), A(("value", 0.0)));
        Add("select_mul_", "select_mul_", In(N(3, 4), N(4)), A(("dim", 0), ("index", 1)));
        Add("buffer_copy_", "buffer_copy_", In(N(2, 3), N(4, 3)), A(("shape", new[] { 4, 3 }), ("dim", 0), ("start", 1)));
        return c;
    }

    // Ops whose outputs are integers (no gradient to check).
    private static readonly HashSet<string> NotDifferentiable = ["argmax", "argmin"];

    public static IEnumerable<object[]> CaseNames() => Cases.Keys.Select(k => new object[] { k });

    [Fact]
    public void EveryDifferentiableOpIsChecked()
    {
        var checkedOps = Cases.Values.Select(c => c.Op).ToHashSet();
        var missing = OpTable.Ops.Keys.Where(k => !checkedOps.Contains(k) && !NotDifferentiable.Contains(k)).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OpGradientMatchesFiniteDifferences(string name)
    {
        var c = Cases[name];
        var rng = new Random(name.Aggregate(17, (h, ch) => h * 31 + ch));
        var inputs = c.Inputs(rng);
        foreach (var x in inputs) if (x.DType == DType.Float64) x.RequiresGrad = true;
        var op = OpTable.Ops[c.Op];
        if (c.Op == "to_float32")
        {
            // The float32 result quantises L to ~1e-7 relative, which central differences divide by 2ε: with
            // ε = 1e-3 that noise is ~1e-4, so this one case is checked at 1e-3.
            GradCheck.Check(x => op(x, c.Args), inputs, name, eps: 1e-3, rtol: 1e-3, atol: 1e-3);
            return;
        }
        GradCheck.Check(x => op(x, c.Args), inputs, name);
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
