using Descent.Tensors;

namespace Descent.Tests.Support;

/// <summary>
/// The ops under test by name, mirroring <c>OPS</c> in tests/golden/gen_ops.py: each takes the (already viewed)
/// inputs and the case's arguments and returns the op's outputs. The golden and the finite-difference tests
/// both drive the library through this table.
/// </summary>
public static class OpTable
{
    /// <summary>Name → op.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Tensor[], OpArgs, Tensor[]>> Ops = Build();

    private static Dictionary<string, Func<Tensor[], OpArgs, Tensor[]>> Build()
    {
        var m = new Dictionary<string, Func<Tensor[], OpArgs, Tensor[]>>();
        void One(string name, Func<Tensor[], OpArgs, Tensor> f) => m[name] = (x, a) => [f(x, a)];

        // elementwise, two tensors
        One("add", (x, a) => x[0].Add(x[1], a.Double("alpha", 1)));
        One("sub", (x, a) => x[0].Sub(x[1], a.Double("alpha", 1)));
        One("mul", (x, a) => x[0] * x[1]);
        One("div", (x, a) => x[0] / x[1]);
        One("pow", (x, a) => x[0].Pow(x[1]));
        One("maximum", (x, a) => x[0].Maximum(x[1]));
        One("minimum", (x, a) => x[0].Minimum(x[1]));
        One("where", (x, a) => Tensor.Where(x[0], x[1], x[2]));
        One("where_scalar", (x, a) => Tensor.Where(x[0], x[1], a.Double("value")));

        // with a number
        One("add_scalar", (x, a) => x[0] + a.Double("value"));
        One("sub_scalar", (x, a) => x[0] - a.Double("value"));
        One("rsub_scalar", (x, a) => a.Double("value") - x[0]);
        One("mul_scalar", (x, a) => x[0] * a.Double("value"));
        One("div_scalar", (x, a) => x[0] / a.Double("value"));
        One("rdiv_scalar", (x, a) => a.Double("value") / x[0]);
        One("pow_scalar", (x, a) => x[0].Pow(a.Double("p")));

        // unary
        One("neg", (x, a) => -x[0]);
        One("exp", (x, a) => x[0].Exp());
        One("log", (x, a) => x[0].Log());
        One("sqrt", (x, a) => x[0].Sqrt());
        One("abs", (x, a) => x[0].Abs());
        One("sign", (x, a) => x[0].Sign());
        One("relu", (x, a) => x[0].Relu());
        One("sigmoid", (x, a) => x[0].Sigmoid());
        One("tanh", (x, a) => x[0].Tanh());
        One("reciprocal", (x, a) => x[0].Reciprocal());
        One("rsqrt", (x, a) => x[0].Rsqrt());
        One("square", (x, a) => x[0].Square());
        One("sin", (x, a) => x[0].Sin());
        One("cos", (x, a) => x[0].Cos());
        One("log1p", (x, a) => x[0].Log1p());
        One("expm1", (x, a) => x[0].Expm1());
        One("softmax", (x, a) => x[0].Softmax(a.Int("dim")));
        One("log_softmax", (x, a) => x[0].LogSoftmax(a.Int("dim")));
        One("softplus", (x, a) => x[0].Softplus(a.Double("beta", 1), a.Double("threshold", 20)));
        One("clamp", (x, a) => x[0].Clamp(a.NullableDouble("min"), a.NullableDouble("max")));

        // three tensors
        One("addcmul", (x, a) => x[0].Addcmul(x[1], x[2], a.Double("value", 1)));
        One("addcdiv", (x, a) => x[0].Addcdiv(x[1], x[2], a.Double("value", 1)));
        One("lerp_scalar", (x, a) => x[0].Lerp(x[1], a.Double("weight")));
        One("lerp", (x, a) => x[0].Lerp(x[1], x[2]));
        One("masked_fill", (x, a) => x[0].MaskedFill(x[1], a.Double("value")));

        // reductions
        One("sum", (x, a) => a.Has("dims") ? x[0].Sum(a.Ints("dims"), a.Bool("keepdim")) : x[0].Sum());
        One("mean", (x, a) => a.Has("dims") ? x[0].Mean(a.Ints("dims"), a.Bool("keepdim")) : x[0].Mean());
        One("max_all", (x, a) => x[0].Max());
        One("min_all", (x, a) => x[0].Min());
        m["max_dim"] = (x, a) => { var (v, i) = x[0].Max(a.Int("dim"), a.Bool("keepdim")); return [v, i]; };
        m["min_dim"] = (x, a) => { var (v, i) = x[0].Min(a.Int("dim"), a.Bool("keepdim")); return [v, i]; };
        One("argmax", (x, a) => a.Has("dim") ? x[0].Argmax(a.Int("dim"), a.Bool("keepdim")) : x[0].Argmax());
        One("argmin", (x, a) => a.Has("dim") ? x[0].Argmin(a.Int("dim"), a.Bool("keepdim")) : x[0].Argmin());
        One("amax", (x, a) => x[0].Amax(a.Ints("dims"), a.Bool("keepdim")));
        One("amin", (x, a) => x[0].Amin(a.Ints("dims"), a.Bool("keepdim")));
        One("var", (x, a) => a.Has("dims") ? x[0].Var(a.Ints("dims"), a.Bool("unbiased"), a.Bool("keepdim")) : x[0].Var(a.Bool("unbiased")));
        One("std", (x, a) => a.Has("dims") ? x[0].Std(a.Ints("dims"), a.Bool("unbiased"), a.Bool("keepdim")) : x[0].Std(a.Bool("unbiased")));
        One("norm", (x, a) => x[0].Norm(a.Double("p"), a.Has("dims") ? a.Ints("dims") : null, a.Bool("keepdim")));
        One("logsumexp", (x, a) => x[0].LogSumExp(a.Ints("dims"), a.Bool("keepdim")));

        // views
        One("view", (x, a) => x[0].View(a.Ints("shape")));
        One("reshape", (x, a) => x[0].Reshape(a.Ints("shape")));
        One("transpose", (x, a) => x[0].Transpose(a.Int("dim0"), a.Int("dim1")));
        One("t", (x, a) => x[0].T());
        One("permute", (x, a) => x[0].Permute(a.Ints("dims")));
        One("narrow", (x, a) => x[0].Narrow(a.Int("dim"), a.Int("start"), a.Int("length")));
        One("slice", (x, a) => x[0].Slice(a.Int("dim"), a.NullableInt("start"), a.NullableInt("end"), a.Int("step", 1)));
        One("select", (x, a) => x[0].Select(a.Int("dim"), a.Int("index")));
        One("index", (x, a) => x[0][a.Int("index")]);
        One("index_range", (x, a) => x[0][a.Int("start")..a.Int("end")]);
        One("squeeze", (x, a) => x[0].Squeeze());
        One("squeeze_dim", (x, a) => x[0].Squeeze(a.Int("dim")));
        One("unsqueeze", (x, a) => x[0].Unsqueeze(a.Int("dim")));
        One("expand", (x, a) => x[0].Expand(a.Ints("shape")));
        One("flatten", (x, a) => x[0].Flatten(a.Int("start", 0), a.Int("end", -1)));
        One("contiguous", (x, a) => x[0].Contiguous());

        // matrix products
        One("matmul", (x, a) => x[0].Matmul(x[1]));
        One("mm", (x, a) => x[0].Mm(x[1]));
        One("bmm", (x, a) => x[0].Bmm(x[1]));
        One("addmm", (x, a) => Tensor.Addmm(x[0], x[1], x[2], a.Double("beta", 1), a.Double("alpha", 1)));

        // joining and indexing
        One("cat", (x, a) => Tensor.Cat(x, a.Int("dim", 0)));
        One("stack", (x, a) => Tensor.Stack(x, a.Int("dim", 0)));
        One("gather", (x, a) => x[0].Gather(a.Int("dim"), x[1]));
        One("index_select", (x, a) => x[0].IndexSelect(a.Int("dim"), x[1]));

        // copies and conversions
        One("clone", (x, a) => x[0].Clone());
        One("to_float64", (x, a) => x[0].To(DType.Float64));
        One("to_float32", (x, a) => x[0].To(DType.Float32));

        // in place, on a clone so that the leaf itself is untouched
        One("add_", (x, a) => x[0].Clone().Add_(x[1], a.Double("alpha", 1)));
        One("sub_", (x, a) => x[0].Clone().Sub_(x[1], a.Double("alpha", 1)));
        One("mul_", (x, a) => x[0].Clone().Mul_(x[1]));
        One("div_", (x, a) => x[0].Clone().Div_(x[1]));
        One("add_scalar_", (x, a) => x[0].Clone().Add_(a.Double("value")));
        One("mul_scalar_", (x, a) => x[0].Clone().Mul_(a.Double("value")));
        One("div_scalar_", (x, a) => x[0].Clone().Div_(a.Double("value")));
        One("pow_", (x, a) => x[0].Clone().Pow_(a.Double("p")));
        One("pow_tensor_", (x, a) => x[0].Clone().Pow_(x[1]));
        One("sqrt_", (x, a) => x[0].Clone().Sqrt_());
        One("exp_", (x, a) => x[0].Clone().Exp_());
        One("relu_", (x, a) => x[0].Clone().Relu_());
        One("neg_", (x, a) => x[0].Clone().Neg_());
        One("clamp_", (x, a) => x[0].Clone().Clamp_(a.NullableDouble("min"), a.NullableDouble("max")));
        One("fill_", (x, a) => x[0].Clone().Fill_(a.Double("value")) * x[0]);
        One("zero_", (x, a) => x[0].Clone().Zero_() + x[0]);
        One("copy_", (x, a) => x[0].Clone().Copy_(x[1]) * x[0]);
        One("addcmul_", (x, a) => x[0].Clone().Addcmul_(x[1], x[2], a.Double("value", 1)));
        One("addcdiv_", (x, a) => x[0].Clone().Addcdiv_(x[1], x[2], a.Double("value", 1)));
        One("lerp_", (x, a) => x[0].Clone().Lerp_(x[1], a.Double("weight")));
        One("masked_fill_", (x, a) => x[0].Clone().MaskedFill_(x[1], a.Double("value")));

        // in place on a view: the base's history is rewritten (PyTorch's CopySlices)
        One("select_mul_", (x, a) =>
        {
            var y = x[0].Clone();
            y.Select(a.Int("dim"), a.Int("index")).Mul_(x[1]);
            return y;
        });
        One("buffer_copy_", (x, a) =>
        {
            var buf = Tensor.Zeros(a.Ints("shape"), x[0].DType);
            int dim = a.Int("dim");
            buf.Narrow(dim, a.Int("start"), x[0].Size(dim)).Copy_(x[0]);
            return buf * x[1];
        });
        return m;
    }

    /// <summary>Applies a golden input's view steps (<c>["transpose", 0, 1]</c>, <c>["slice", dim, start, end, step]</c>, ...).</summary>
    public static Tensor ApplyView(Tensor t, IEnumerable<System.Text.Json.JsonElement> steps)
    {
        foreach (var s in steps)
        {
            var p = s.EnumerateArray().ToArray();
            int? I(int k) => p[k].ValueKind == System.Text.Json.JsonValueKind.Null ? null : p[k].GetInt32();
            int[] Ints(int k) => p[k].EnumerateArray().Select(v => v.GetInt32()).ToArray();
            t = p[0].GetString() switch
            {
                "transpose" => t.Transpose(p[1].GetInt32(), p[2].GetInt32()),
                "permute" => t.Permute(Ints(1)),
                "slice" => t.Slice(p[1].GetInt32(), I(2), I(3), I(4) ?? 1),
                "expand" => t.Expand(Ints(1)),
                var k => throw new NotSupportedException(k),
            };
        }
        return t;
    }
}
