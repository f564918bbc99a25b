using Descent.NN;
using Descent.Tensors;
using F = Descent.NN.Functional;

namespace Descent.Tests.Support;

/// <summary>A differentiable op under test: its inputs (float64 ones are differentiated) and how to run it.</summary>
/// <param name="Op">The <see cref="OpTable"/> entry it runs, or for an NN case a name of its own.</param>
/// <param name="Inputs">Makes the inputs from a seeded generator.</param>
/// <param name="Args">The op's arguments.</param>
/// <param name="Fn">The function itself where it is not an <see cref="OpTable"/> entry.</param>
public sealed record GradCase(string Op, Func<Random, Tensor[]> Inputs, OpArgs Args, Func<Tensor[], Tensor[]>? Fn = null)
{
    /// <summary>Runs the case on <paramref name="x"/>.</summary>
    public Tensor[] Run(Tensor[] x) => Fn is { } f ? f(x) : OpTable.Ops[Op](x, Args);
}

/// <summary>
/// The cases the finite-difference checks run (first and second order): every <see cref="OpTable"/> op, with
/// inputs that stay away from kinks (|x|, relu, clamp bounds) and ties (max, maximum) with probability one, and
/// the NN functions with nodes of their own (fused linear, losses, dropout).
/// </summary>
public static partial class GradCases
{
    internal static OpArgs A(params (string Key, object? Value)[] kv) => new(kv.ToDictionary(p => p.Key, p => p.Value));

    // Input makers: N = standard normal, P = uniform [0.5, 2) (domain of log, sqrt, pow), I = int64 index, M = bool mask.
    internal static Func<Random, Tensor> N(params int[] shape) => r => Fill(r, shape, () => Normal(r));
    internal static Func<Random, Tensor> P(params int[] shape) => r => Fill(r, shape, () => 0.5 + 1.5 * r.NextDouble());
    internal static Func<Random, Tensor> Tr(Func<Random, Tensor> inner) => r => inner(r);
    internal static Func<Random, Tensor> I(long[] values, params int[] shape) => _ => Tensor.FromArray(values, shape);
    internal static Func<Random, Tensor> M(bool[] values, params int[] shape) => _ => Tensor.FromArray(values, shape);

    internal static Tensor Fill(Random r, int[] shape, Func<double> next)
    {
        var a = new double[shape.Aggregate(1, (x, y) => x * y)];
        for (int i = 0; i < a.Length; i++) a[i] = next();
        return Tensor.FromArray(a, shape.Length == 0 ? [1] : shape).Reshape(shape);
    }

    private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    internal static Func<Random, Tensor[]> In(params Func<Random, Tensor>[] makers) => r => makers.Select(m => m(r)).ToArray();

    /// <summary>Every case by name.</summary>
    public static readonly IReadOnlyDictionary<string, GradCase> All = Build();

    private static Dictionary<string, GradCase> Build()
    {
        var c = new Dictionary<string, GradCase>();
        void Add(string name, string op, Func<Random, Tensor[]> inputs, OpArgs? args = null) => c[name] = new GradCase(op, inputs, args ?? OpArgs.None);
        void Fn(string name, string op, Func<Random, Tensor[]> inputs, Func<Tensor[], Tensor[]> fn) => c[name] = new GradCase(op, inputs, OpArgs.None, fn);

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
        NNCases(Fn);
        LayerCases(Fn);
        NormCases(Fn);
        RecurrentCases(Fn);
        return c;
    }


    /// <summary>Functions outside the op table that record nodes of their own.</summary>
    private static void NNCases(Action<string, string, Func<Random, Tensor[]>, Func<Tensor[], Tensor[]>> fn)
    {
        fn("linear", "linear", In(N(4, 3), N(2, 3), N(2)), x => [F.Linear(x[0], x[1], x[2])]);
        fn("linear_nobias", "linear", In(N(4, 3), N(2, 3)), x => [F.Linear(x[0], x[1])]);
        fn("linear_3d", "linear", In(N(2, 4, 3), N(2, 3), N(2)), x => [F.Linear(x[0], x[1], x[2])]);
        fn("mse_loss", "mse_loss", In(N(3, 4), N(3, 4)), x => [F.MseLoss(x[0], x[1])]);
        fn("mse_loss_sum", "mse_loss", In(N(3, 4), N(3, 4)), x => [F.MseLoss(x[0], x[1], "sum")]);
        fn("mse_loss_none", "mse_loss", In(N(3, 4), N(3, 4)), x => [F.MseLoss(x[0], x[1], "none")]);
        fn("l1_loss", "l1_loss", In(N(3, 4), N(3, 4)), x => [F.L1Loss(x[0], x[1])]);
        // Probabilities in (0.05, 0.95), away from the clamp of the denominator.
        var prob = (Func<Random, Tensor>)(r => Fill(r, [3, 4], () => 0.05 + 0.9 * r.NextDouble()));
        var weight = Tensor.FromArray([0.5, 1.5, 2.0, 0.25]);
        fn("binary_cross_entropy", "binary_cross_entropy", In(prob, prob), x => [F.BinaryCrossEntropy(x[0], x[1])]);
        fn("binary_cross_entropy_weight_sum", "binary_cross_entropy", In(prob, prob), x => [F.BinaryCrossEntropy(x[0], x[1], weight, "sum")]);
        fn("binary_cross_entropy_none", "binary_cross_entropy", In(prob, prob), x => [F.BinaryCrossEntropy(x[0], x[1], reduction: "none")]);
        fn("bce_with_logits", "bce_with_logits", In(N(3, 4), prob), x => [F.BinaryCrossEntropyWithLogits(x[0], x[1])]);
        fn("bce_with_logits_pos_weight", "bce_with_logits", In(N(3, 4), prob),
            x => [F.BinaryCrossEntropyWithLogits(x[0], x[1], weight, "sum", posWeight: Tensor.FromArray([3.0, 0.5, 1.0, 2.0]))]);
        fn("bce_with_logits_none", "bce_with_logits", In(N(3, 4), prob), x => [F.BinaryCrossEntropyWithLogits(x[0], x[1], reduction: "none")]);
        var classes = Tensor.FromArray([2L, 0L, 3L]);
        var classWeight = Tensor.FromArray([0.5, 1.5, 2.0, 0.25]);
        fn("nll_loss", "nll_loss", In(N(3, 4)), x => [F.NllLoss(x[0], classes)]);
        fn("nll_loss_weight", "nll_loss", In(N(3, 4)), x => [F.NllLoss(x[0], classes, classWeight, ignoreIndex: 0)]);
        fn("nll_loss_none", "nll_loss", In(N(3, 4)), x => [F.NllLoss(x[0], classes, reduction: "none")]);
        fn("nll_loss_spatial_none", "nll_loss", In(N(2, 4, 3)),
            x => [F.NllLoss(x[0], Tensor.FromArray([1L, 3L, 0L, 2L, 2L, 1L], 2, 3), reduction: "none")]);
        fn("nll_loss_1d", "nll_loss", In(N(4)), x => [F.NllLoss(x[0], Tensor.Scalar(2, DType.Int64))]);
        fn("cross_entropy", "cross_entropy", In(N(3, 4)), x => [F.CrossEntropy(x[0], classes)]);
        fn("cross_entropy_smoothing", "cross_entropy", In(N(3, 4)), x => [F.CrossEntropy(x[0], classes, labelSmoothing: 0.1)]);
        fn("cross_entropy_probabilities", "cross_entropy", In(N(3, 4), prob), x => [F.CrossEntropy(x[0], x[1].Softmax(1))]);
        // A generator seeded afresh on every call: the finite differences see the same mask as the gradient.
        fn("dropout", "dropout", In(N(3, 4)), x => [F.Dropout(x[0], 0.4, generator: new Generator().ManualSeed(7))]);
        // Custom functions whose backward is written in tensor ops: differentiable twice.
        fn("custom_function", "custom_function", In(N(3, 4)), x => [new Cube().Apply(x[0])]);
        fn("custom_function_two_outputs", "custom_function", In(N(2, 3)), x => new ScaledSinCos(1.5).Apply(x[0]));
        fn("custom_function_one_output_used", "custom_function", In(N(2, 3)), x => [new ScaledSinCos(-2).Apply(x[0])[1].Mul(x[0])]);
        // A module called with full backward hooks: its input and output pass through identity nodes.
        fn("module_backward_hooks", "module_backward_hooks", In(N(3, 4)), x =>
        {
            var m = new FnModule(t => t.Tanh().Mul(t));
            m.RegisterFullBackwardHook((_, _, _) => { });
            m.RegisterFullBackwardPreHook((_, _) => { });
            return [m.Call(x[0])];
        });
    }

    /// <summary>A module computing a given function.</summary>
    private sealed class FnModule(Func<Tensor, Tensor> f) : Module
    {
        public override Tensor Forward(Tensor input) => f(input);
    }
}
