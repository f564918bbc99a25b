"""Op values and gradients from PyTorch, for tests/Descent.Tests/Tensors/OpGoldenTests.cs.

Usage: /usr/bin/python3 tests/golden/gen_ops.py > tests/Descent.Tests/Golden/ops.json

Each case names an op (a key of OPS below, mirrored by the C# OpTable), its scalar arguments and its inputs.
An input is a leaf tensor (values in row-major order, shape, dtype, whether it requires grad) and an optional
chain of view steps applied to the leaf before the op sees it (so ops meet transposed, sliced and expanded
inputs). The case records every output and, for the float outputs, a fixed random weight w; the gradients are
those of sum_i sum(output_i * w_i) with respect to each leaf (null where PyTorch leaves .grad as None).
Non-finite floats are written as the strings "nan", "inf", "-inf".
"""
import json, math, sys
import torch

torch.set_default_dtype(torch.float32)
GEN = torch.Generator().manual_seed(20240601)


def randn(*shape):
    return torch.randn(tuple(shape), generator=GEN)


def pos(*shape):
    """Values in [0.5, 2): the domain of log, sqrt, rsqrt, pow with a tensor exponent."""
    return torch.rand(tuple(shape), generator=GEN) * 1.5 + 0.5


def apply_view(t, steps):
    for s in steps:
        kind = s[0]
        if kind == "transpose":
            t = t.transpose(s[1], s[2])
        elif kind == "permute":
            t = t.permute(*s[1])
        elif kind == "slice":
            dim, start, end, step = s[1:]
            idx = [slice(None)] * t.dim()
            idx[dim] = slice(start, end, step)
            t = t[tuple(idx)]
        elif kind == "expand":
            t = t.expand(*s[1])
        else:
            raise ValueError(kind)
    return t


def scalar_out(v):
    return v


def _vector_norm(x, a):
    return torch.linalg.vector_norm(x[0], ord=a["p"], dim=a.get("dims"), keepdim=a.get("keepdim", False))


def _sel_mul(x, a):
    y = x[0].clone()
    y.select(a["dim"], a["index"]).mul_(x[1])
    return y


def _buffer_copy(x, a):
    buf = torch.zeros(a["shape"], dtype=x[0].dtype)
    buf.narrow(a["dim"], a["start"], x[0].shape[a["dim"]]).copy_(x[0])
    return buf * x[1]


# op name -> (inputs, args) -> tensor or tuple of tensors. Mirrored by OpTable.cs.
OPS = {
    # elementwise, two tensors
    "add": lambda x, a: torch.add(x[0], x[1], alpha=a.get("alpha", 1)),
    "sub": lambda x, a: torch.sub(x[0], x[1], alpha=a.get("alpha", 1)),
    "mul": lambda x, a: x[0] * x[1],
    "div": lambda x, a: x[0] / x[1],
    "pow": lambda x, a: torch.pow(x[0], x[1]),
    "maximum": lambda x, a: torch.maximum(x[0], x[1]),
    "minimum": lambda x, a: torch.minimum(x[0], x[1]),
    "where": lambda x, a: torch.where(x[0], x[1], x[2]),
    "where_scalar": lambda x, a: torch.where(x[0], x[1], torch.tensor(a["value"], dtype=x[1].dtype)),
    # with a number
    "add_scalar": lambda x, a: x[0] + a["value"],
    "sub_scalar": lambda x, a: x[0] - a["value"],
    "rsub_scalar": lambda x, a: a["value"] - x[0],
    "mul_scalar": lambda x, a: x[0] * a["value"],
    "div_scalar": lambda x, a: x[0] / a["value"],
    "rdiv_scalar": lambda x, a: a["value"] / x[0],
    "pow_scalar": lambda x, a: torch.pow(x[0], a["p"]),
    # unary
    "neg": lambda x, a: -x[0],
    "exp": lambda x, a: x[0].exp(),
    "log": lambda x, a: x[0].log(),
    "sqrt": lambda x, a: x[0].sqrt(),
    "abs": lambda x, a: x[0].abs(),
    "sign": lambda x, a: x[0].sign(),
    "relu": lambda x, a: x[0].relu(),
    "sigmoid": lambda x, a: x[0].sigmoid(),
    "tanh": lambda x, a: x[0].tanh(),
    "reciprocal": lambda x, a: x[0].reciprocal(),
    "rsqrt": lambda x, a: x[0].rsqrt(),
    "square": lambda x, a: x[0].square(),
    "sin": lambda x, a: x[0].sin(),
    "cos": lambda x, a: x[0].cos(),
    "log1p": lambda x, a: x[0].log1p(),
    "expm1": lambda x, a: x[0].expm1(),
    "softmax": lambda x, a: x[0].softmax(a["dim"]),
    "log_softmax": lambda x, a: x[0].log_softmax(a["dim"]),
    "softplus": lambda x, a: torch.nn.functional.softplus(x[0], beta=a.get("beta", 1), threshold=a.get("threshold", 20)),
    "clamp": lambda x, a: x[0].clamp(min=a.get("min"), max=a.get("max")),
    # three tensors
    "addcmul": lambda x, a: torch.addcmul(x[0], x[1], x[2], value=a.get("value", 1)),
    "addcdiv": lambda x, a: torch.addcdiv(x[0], x[1], x[2], value=a.get("value", 1)),
    "lerp_scalar": lambda x, a: torch.lerp(x[0], x[1], a["weight"]),
    "lerp": lambda x, a: torch.lerp(x[0], x[1], x[2]),
    "masked_fill": lambda x, a: x[0].masked_fill(x[1], a["value"]),
    # reductions
    "sum": lambda x, a: x[0].sum() if "dims" not in a else x[0].sum(a["dims"], keepdim=a.get("keepdim", False)),
    "mean": lambda x, a: x[0].mean() if "dims" not in a else x[0].mean(a["dims"], keepdim=a.get("keepdim", False)),
    "max_all": lambda x, a: x[0].max(),
    "min_all": lambda x, a: x[0].min(),
    "max_dim": lambda x, a: tuple(x[0].max(a["dim"], keepdim=a.get("keepdim", False))),
    "min_dim": lambda x, a: tuple(x[0].min(a["dim"], keepdim=a.get("keepdim", False))),
    "argmax": lambda x, a: x[0].argmax() if "dim" not in a else x[0].argmax(a["dim"], keepdim=a.get("keepdim", False)),
    "argmin": lambda x, a: x[0].argmin() if "dim" not in a else x[0].argmin(a["dim"], keepdim=a.get("keepdim", False)),
    "amax": lambda x, a: x[0].amax(a["dims"], keepdim=a.get("keepdim", False)),
    "amin": lambda x, a: x[0].amin(a["dims"], keepdim=a.get("keepdim", False)),
    "var": lambda x, a: x[0].var(unbiased=a["unbiased"]) if "dims" not in a else x[0].var(a["dims"], unbiased=a["unbiased"], keepdim=a.get("keepdim", False)),
    "std": lambda x, a: x[0].std(unbiased=a["unbiased"]) if "dims" not in a else x[0].std(a["dims"], unbiased=a["unbiased"], keepdim=a.get("keepdim", False)),
    "norm": _vector_norm,
    "logsumexp": lambda x, a: x[0].logsumexp(a["dims"], keepdim=a.get("keepdim", False)),
    # views
    "view": lambda x, a: x[0].view(a["shape"]),
    "reshape": lambda x, a: x[0].reshape(a["shape"]),
    "transpose": lambda x, a: x[0].transpose(a["dim0"], a["dim1"]),
    "t": lambda x, a: x[0].t(),
    "permute": lambda x, a: x[0].permute(a["dims"]),
    "narrow": lambda x, a: x[0].narrow(a["dim"], a["start"], a["length"]),
    "slice": lambda x, a: apply_view(x[0], [["slice", a["dim"], a.get("start"), a.get("end"), a.get("step", 1)]]),
    "select": lambda x, a: x[0].select(a["dim"], a["index"]),
    "index": lambda x, a: x[0][a["index"]],
    "index_range": lambda x, a: x[0][a["start"]:a["end"]],
    "squeeze": lambda x, a: x[0].squeeze(),
    "squeeze_dim": lambda x, a: x[0].squeeze(a["dim"]),
    "unsqueeze": lambda x, a: x[0].unsqueeze(a["dim"]),
    "expand": lambda x, a: x[0].expand(a["shape"]),
    "flatten": lambda x, a: x[0].flatten(a.get("start", 0), a.get("end", -1)),
    "contiguous": lambda x, a: x[0].contiguous(),
    # matrix products
    "matmul": lambda x, a: torch.matmul(x[0], x[1]),
    "mm": lambda x, a: torch.mm(x[0], x[1]),
    "bmm": lambda x, a: torch.bmm(x[0], x[1]),
    "addmm": lambda x, a: torch.addmm(x[0], x[1], x[2], beta=a.get("beta", 1), alpha=a.get("alpha", 1)),
    # joining and indexing
    "cat": lambda x, a: torch.cat(x, a.get("dim", 0)),
    "stack": lambda x, a: torch.stack(x, a.get("dim", 0)),
    "gather": lambda x, a: torch.gather(x[0], a["dim"], x[1]),
    "index_select": lambda x, a: torch.index_select(x[0], a["dim"], x[1]),
    # copies and conversions
    "clone": lambda x, a: x[0].clone(),
    "to_float64": lambda x, a: x[0].to(torch.float64),
    "to_float32": lambda x, a: x[0].to(torch.float32),
    # in place, on a clone so that the leaf itself is untouched
    "add_": lambda x, a: x[0].clone().add_(x[1], alpha=a.get("alpha", 1)),
    "sub_": lambda x, a: x[0].clone().sub_(x[1], alpha=a.get("alpha", 1)),
    "mul_": lambda x, a: x[0].clone().mul_(x[1]),
    "div_": lambda x, a: x[0].clone().div_(x[1]),
    "add_scalar_": lambda x, a: x[0].clone().add_(a["value"]),
    "mul_scalar_": lambda x, a: x[0].clone().mul_(a["value"]),
    "div_scalar_": lambda x, a: x[0].clone().div_(a["value"]),
    "pow_": lambda x, a: x[0].clone().pow_(a["p"]),
    "pow_tensor_": lambda x, a: x[0].clone().pow_(x[1]),
    "sqrt_": lambda x, a: x[0].clone().sqrt_(),
    "exp_": lambda x, a: x[0].clone().exp_(),
    "relu_": lambda x, a: x[0].clone().relu_(),
    "neg_": lambda x, a: x[0].clone().neg_(),
    "clamp_": lambda x, a: x[0].clone().clamp_(min=a.get("min"), max=a.get("max")),
    "fill_": lambda x, a: x[0].clone().fill_(a["value"]) * x[0],
    "zero_": lambda x, a: x[0].clone().zero_() + x[0],
    "copy_": lambda x, a: x[0].clone().copy_(x[1]) * x[0],
    "addcmul_": lambda x, a: x[0].clone().addcmul_(x[1], x[2], value=a.get("value", 1)),
    "addcdiv_": lambda x, a: x[0].clone().addcdiv_(x[1], x[2], value=a.get("value", 1)),
    "lerp_": lambda x, a: x[0].clone().lerp_(x[1], a["weight"]),
    "masked_fill_": lambda x, a: x[0].clone().masked_fill_(x[1], a["value"]),
    # in place on a view: the base's history is rewritten (PyTorch's CopySlices)
    "select_mul_": _sel_mul,
    "buffer_copy_": _buffer_copy,
}

CASES = []


def enc_float(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def enc_tensor(t):
    t = t.detach()
    if t.dtype == torch.bool:
        vals = [bool(v) for v in t.reshape(-1).tolist()]
    elif t.dtype == torch.int64:
        vals = [int(v) for v in t.reshape(-1).tolist()]
    else:
        vals = [enc_float(float(v)) for v in t.reshape(-1).tolist()]
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""), "values": vals}


class In:
    """An input: a leaf tensor and the view steps applied to it."""

    def __init__(self, t, view=(), grad=None, dtype=None):
        self.t = t
        self.dtype = dtype
        self.view = [list(s) for s in view]
        self.grad = t.dtype.is_floating_point if grad is None else grad


def case(name, op, inputs, dtype=torch.float32, **args):
    inputs = [i if isinstance(i, In) else In(i) for i in inputs]
    leaves = []
    for i in inputs:
        t = i.t.clone()
        if t.dtype.is_floating_point:
            t = t.to(i.dtype or dtype)
        t.requires_grad_(i.grad)
        leaves.append(t)
    xs = [apply_view(l, i.view) for l, i in zip(leaves, inputs)]
    out = OPS[op](xs, args)
    outs = list(out) if isinstance(out, tuple) else [out]
    weights = []
    loss = None
    for o in outs:
        if o.dtype.is_floating_point:
            w = randn(*o.shape).to(o.dtype)
            weights.append(enc_tensor(w))
            term = (o * w).sum()
            loss = term if loss is None else loss + term
        else:
            weights.append(None)
    if loss is not None and loss.requires_grad:
        loss.backward()
    grads = [None if (not l.requires_grad or l.grad is None) else enc_tensor(l.grad) for l in leaves]
    CASES.append({
        "name": name,
        "op": op,
        "args": {k: (enc_float(v) if isinstance(v, float) else v) for k, v in args.items()},
        "inputs": [dict(enc_tensor(l), requires_grad=i.grad, view=i.view) for l, i in zip(leaves, inputs)],
        "outputs": [enc_tensor(o) for o in outs],
        "weights": weights,
        "grads": grads,
    })


def T(values, shape=None, dtype=torch.float32):
    t = torch.tensor(values, dtype=dtype)
    return t if shape is None else t.reshape(shape)


def L(values, shape=None):
    return In(T(values, shape, torch.int64), grad=False)


def B(values, shape=None):
    return In(T(values, shape, torch.bool), grad=False)


F64 = torch.float64

# ---- elementwise binary ----
for op in ["add", "sub", "mul", "div"]:
    other = pos if op == "div" else randn
    case(f"{op}_same", op, [randn(2, 3), other(2, 3)])
    case(f"{op}_broadcast_row", op, [randn(3, 4), other(4)])
    case(f"{op}_broadcast_both", op, [randn(3, 1), other(1, 4)])
    case(f"{op}_broadcast_3d", op, [randn(2, 1, 3), other(4, 1)])
    case(f"{op}_transposed", op, [In(randn(4, 3), [["transpose", 0, 1]]), other(3, 4)])
    case(f"{op}_sliced_step", op, [In(randn(6, 4), [["slice", 0, 0, 6, 2]]), In(other(3, 8), [["slice", 1, 1, None, 2]])])
    case(f"{op}_expanded", op, [In(randn(3, 1), [["expand", [3, 4]]]), other(3, 4)])
    case(f"{op}_scalar_tensor", op, [randn(2, 3), other()])
    case(f"{op}_f64", op, [randn(3, 4), other(4)], dtype=F64)
case("add_alpha", "add", [randn(2, 3), randn(3)], alpha=2.5)
case("sub_alpha", "sub", [randn(2, 3), randn(2, 3)], alpha=-0.75)
case("sub_alpha_f64", "sub", [randn(2, 3), randn(1, 3)], dtype=F64, alpha=3.0)
case("add_one_needs_grad", "add", [randn(2, 3), In(randn(3), grad=False)])
case("mul_one_needs_grad", "mul", [In(randn(2, 3), grad=False), randn(2, 3)])
case("div_by_zero", "div", [T([1.0, -1.0, 0.0, 2.0]), T([0.0, 0.0, 1.0, 4.0])])
case("pow_tensor", "pow", [pos(2, 3), randn(2, 3)])
case("pow_tensor_broadcast", "pow", [pos(3, 1), randn(4)])
case("pow_tensor_zero_base", "pow", [T([0.0, 0.0, 2.0, 0.0]), T([0.0, 1.0, 0.0, 2.0])])
case("pow_tensor_f64", "pow", [pos(2, 3), randn(3)], dtype=F64)
case("maximum", "maximum", [randn(3, 4), randn(3, 4)])
case("maximum_ties", "maximum", [T([1.0, 2.0, 3.0, -1.0]), T([1.0, 5.0, 3.0, -2.0])])
case("maximum_broadcast", "maximum", [randn(3, 4), randn(4)])
case("minimum", "minimum", [randn(3, 4), In(randn(4, 3), [["transpose", 0, 1]])])
case("minimum_ties", "minimum", [T([1.0, 2.0, 3.0, -1.0]), T([1.0, 5.0, 3.0, -2.0])])
case("where", "where", [B([True, False, True, False, False, True], [2, 3]), randn(2, 3), randn(2, 3)])
case("where_broadcast", "where", [B([True, False, True], [3]), randn(2, 3), randn(2, 1)])
case("where_cond_broadcast", "where", [B([True, False], [2, 1]), randn(3), randn(2, 3)])
case("where_scalar", "where_scalar", [B([True, False, True, False], [4]), randn(4)], value=0.5)

# float32 meeting float64: the result is float64, each leaf's gradient keeps the leaf's dtype
case("mul_mixed_dtype", "mul", [randn(2, 3), In(randn(2, 3), dtype=F64)])
case("add_mixed_dtype_broadcast", "add", [In(randn(3), dtype=F64), randn(2, 3)], alpha=0.5)
case("div_mixed_dtype", "div", [randn(2, 3), In(pos(3), dtype=F64)])
case("where_mixed_dtype", "where", [B([True, False, True], [3]), randn(2, 3), In(randn(3), dtype=F64)])
case("cat_mixed_dtype", "cat", [randn(2, 3), In(randn(1, 3), dtype=F64)])
case("maximum_mixed_dtype", "maximum", [In(randn(2, 3), dtype=F64), randn(2, 3)])

# ---- with a number ----
case("add_scalar", "add_scalar", [randn(2, 3)], value=1.5)
case("sub_scalar", "sub_scalar", [randn(2, 3)], value=0.25)
case("rsub_scalar", "rsub_scalar", [randn(2, 3)], value=2.0)
case("mul_scalar", "mul_scalar", [randn(2, 3)], value=-3.0)
case("mul_scalar_tenth", "mul_scalar", [randn(2, 3)], value=0.1)
case("div_scalar", "div_scalar", [randn(2, 3)], value=3.0)
case("rdiv_scalar", "rdiv_scalar", [pos(2, 3)], value=2.0)
case("mul_scalar_f64", "mul_scalar", [randn(2, 3)], dtype=F64, value=0.1)
case("div_scalar_f64", "div_scalar", [randn(2, 3)], dtype=F64, value=3.0)
for p in [2, 0.5, -1, 3, 0, 1, -0.5, 2.5]:
    base = pos if p != int(p) or p < 0 else randn
    case(f"pow_scalar_{p}", "pow_scalar", [base(2, 3)], p=p)
case("pow_scalar_3_transposed", "pow_scalar", [In(randn(3, 2), [["transpose", 0, 1]])], p=3)
case("pow_scalar_2_at_zero", "pow_scalar", [T([0.0, 1.0, -2.0])], p=2)
case("pow_scalar_half_f64", "pow_scalar", [pos(5)], dtype=F64, p=0.5)
case("pow_scalar_3_f64", "pow_scalar", [randn(5)], dtype=F64, p=3)

# ---- unary ----
for op, dom in [("neg", randn), ("exp", randn), ("log", pos), ("sqrt", pos), ("abs", randn), ("sign", randn),
                ("relu", randn), ("sigmoid", randn), ("tanh", randn), ("reciprocal", pos), ("rsqrt", pos),
                ("square", randn)]:
    case(op, op, [dom(3, 4)])
    case(f"{op}_transposed", op, [In(dom(4, 3), [["transpose", 0, 1]])])
for op, dom in [("exp", randn), ("log", pos), ("sqrt", pos), ("tanh", randn), ("sigmoid", randn), ("rsqrt", pos)]:
    case(f"{op}_f64", op, [dom(7)], dtype=F64)
case("exp_large", "exp", [T([-100.0, -20.0, 0.0, 20.0, 80.0, 100.0])])
case("sigmoid_extremes", "sigmoid", [T([-100.0, -20.0, -1e-3, 0.0, 20.0, 100.0])])
case("tanh_extremes", "tanh", [T([-30.0, -5.0, -1e-4, 0.0, 5.0, 30.0])])
case("abs_at_zero", "abs", [T([-1.0, 0.0, 2.0])])
case("sign_at_zero", "sign", [T([-1.5, 0.0, 2.0])])
case("relu_at_zero", "relu", [T([-1.0, 0.0, 2.0])])
case("sqrt_at_zero", "sqrt", [T([0.0, 1.0, 4.0])])
case("log_at_zero", "log", [T([0.0, 1.0, 2.0])])
case("softplus", "softplus", [T([-30.0, -2.0, -0.5, 0.0, 0.5, 2.0, 19.0, 21.0, 30.0])])
case("softplus_beta", "softplus", [T([-3.0, -1.0, 0.0, 1.0, 4.9, 5.1, 8.0])], beta=2.0, threshold=10.0)
case("softplus_threshold", "softplus", [randn(3, 4) * 3], beta=0.5, threshold=1.0)
case("softplus_f64", "softplus", [randn(6) * 5], dtype=F64, beta=1.5, threshold=4.0)
case("clamp_both", "clamp", [randn(3, 4)], min=-0.5, max=0.5)
case("clamp_min", "clamp", [randn(3, 4)], min=0.0)
case("clamp_max", "clamp", [randn(3, 4)], max=0.25)
case("clamp_at_bounds", "clamp", [T([-1.0, -0.5, 0.0, 0.5, 1.0])], min=-0.5, max=0.5)
case("clamp_min_gt_max", "clamp", [T([-1.0, 0.0, 1.0])], min=0.5, max=-0.5)
case("clamp_f64", "clamp", [randn(6)], dtype=F64, min=-0.3, max=0.7)

# ---- three tensors ----
case("addcmul", "addcmul", [randn(2, 3), randn(2, 3), randn(3)], value=0.5)
case("addcdiv", "addcdiv", [randn(2, 3), randn(2, 1), pos(2, 3)], value=-2.0)
case("lerp_scalar_low", "lerp_scalar", [randn(2, 3), randn(2, 3)], weight=0.3)
case("lerp_scalar_high", "lerp_scalar", [randn(2, 3), randn(3)], weight=0.8)
case("lerp_tensor", "lerp", [randn(2, 3), randn(2, 3), T([0.1, 0.5, 0.9])])
case("masked_fill", "masked_fill", [randn(2, 3), B([True, False, False, True, True, False], [2, 3])], value=-1.5)
case("masked_fill_broadcast", "masked_fill", [randn(2, 3), B([False, True, False], [3])], value=float("-inf"))

# ---- reductions ----
x34 = randn(3, 4)
x234 = randn(2, 3, 4)
case("sum_all", "sum", [x34])
case("sum_dim0", "sum", [x34], dims=[0])
case("sum_dim_neg", "sum", [x234], dims=[-1])
case("sum_dims_keepdim", "sum", [x234], dims=[0, 2], keepdim=True)
case("sum_transposed", "sum", [In(randn(4, 3), [["transpose", 0, 1]])], dims=[1])
case("sum_scalar_input", "sum", [randn()])
case("sum_f64", "sum", [randn(3, 5)], dtype=F64, dims=[1], keepdim=True)
case("mean_all", "mean", [x34])
case("mean_dim1", "mean", [x34], dims=[1])
case("mean_dims_keepdim", "mean", [x234], dims=[-1, 0], keepdim=True)
case("mean_sliced", "mean", [In(randn(4, 6), [["slice", 1, 1, None, 2]])], dims=[0])
case("mean_f64", "mean", [randn(3, 5)], dtype=F64)
case("max_all", "max_all", [x34])
case("max_all_ties", "max_all", [T([1.0, 3.0, 3.0, 2.0, 3.0])])
case("min_all", "min_all", [x234])
case("min_all_ties", "min_all", [T([[1.0, -3.0], [-3.0, 2.0]])])
case("max_dim0", "max_dim", [x34], dim=0)
case("max_dim1_keepdim", "max_dim", [x34], dim=1, keepdim=True)
case("max_dim_neg", "max_dim", [x234], dim=-2)
case("max_dim_ties", "max_dim", [T([[2.0, 2.0, 1.0], [0.0, 5.0, 5.0]])], dim=1)
case("max_dim_transposed", "max_dim", [In(randn(4, 3), [["transpose", 0, 1]])], dim=1)
case("min_dim1", "min_dim", [x34], dim=1)
case("min_dim_keepdim_neg", "min_dim", [x234], dim=-1, keepdim=True)
case("min_dim_f64", "min_dim", [randn(3, 4)], dtype=F64, dim=0)
case("argmax_all", "argmax", [x34])
case("argmax_dim", "argmax", [x234], dim=1)
case("argmax_dim_keepdim", "argmax", [x234], dim=-1, keepdim=True)
case("argmax_ties", "argmax", [T([[1.0, 4.0, 4.0], [7.0, 7.0, 0.0]])], dim=1)
case("argmin_all", "argmin", [x234])
case("argmin_dim", "argmin", [In(randn(4, 3), [["transpose", 0, 1]])], dim=0)
case("amax", "amax", [x234], dims=[0, 2])
case("amax_ties", "amax", [T([[2.0, 2.0, 1.0], [0.0, 5.0, 5.0]])], dims=[1], keepdim=True)
case("amin", "amin", [x234], dims=[-1])
for unbiased in [True, False]:
    u = "unbiased" if unbiased else "biased"
    case(f"var_all_{u}", "var", [x34], unbiased=unbiased)
    case(f"var_dim_{u}", "var", [x234], dims=[1], unbiased=unbiased)
    case(f"var_dims_keepdim_{u}", "var", [x234], dims=[0, -1], unbiased=unbiased, keepdim=True)
    case(f"std_all_{u}", "std", [x34], unbiased=unbiased)
    case(f"std_dim_{u}", "std", [x234], dims=[-1], unbiased=unbiased)
    case(f"std_dims_keepdim_{u}", "std", [In(randn(4, 3), [["transpose", 0, 1]])], dims=[1], unbiased=unbiased, keepdim=True)
case("var_f64", "var", [randn(4, 5)], dtype=F64, dims=[1], unbiased=True)
case("std_f64", "std", [randn(4, 5)], dtype=F64, unbiased=False)
inf = float("inf")
for p in [2, 1, inf, -inf, 0, 3, 1.5, 0.5]:
    dom = randn if p != 0.5 else pos
    case(f"norm_p{p}_all", "norm", [dom(3, 4)], p=p)
    case(f"norm_p{p}_dim", "norm", [dom(2, 3, 4)], p=p, dims=[-1])
    case(f"norm_p{p}_dims_keepdim", "norm", [dom(2, 3, 4)], p=p, dims=[0, 2], keepdim=True)
case("norm_p2_zero_rows", "norm", [T([[0.0, 0.0], [3.0, 4.0]])], p=2, dims=[1])
case("norm_p3_zero_rows", "norm", [T([[0.0, 0.0], [3.0, -4.0]])], p=3, dims=[1])
case("norm_p1_zero", "norm", [T([0.0, -2.0, 3.0])], p=1)
case("norm_inf_ties", "norm", [T([[1.0, -3.0, 3.0], [2.0, 0.0, -1.0]])], p=inf, dims=[1])
case("norm_inf_ties_all", "norm", [T([1.0, -3.0, 3.0, 2.0])], p=inf)
case("norm_neginf_ties", "norm", [T([[1.0, -1.0, 3.0], [2.0, 0.5, -4.0]])], p=-inf, dims=[1])
case("norm_p2_transposed", "norm", [In(randn(4, 3), [["transpose", 0, 1]])], p=2, dims=[0])
case("norm_p2_f64", "norm", [randn(3, 4)], dtype=F64, p=2, dims=[1])
case("norm_p3_f64", "norm", [randn(3, 4)], dtype=F64, p=3)
case("logsumexp_dim", "logsumexp", [x34], dims=[1])
case("logsumexp_dim0_keepdim", "logsumexp", [x234], dims=[0], keepdim=True)
case("logsumexp_dims", "logsumexp", [x234], dims=[0, -1])
case("logsumexp_large", "logsumexp", [T([[1000.0, 1000.0, 999.0], [-1000.0, -1001.0, -1000.0]])], dims=[1])
case("logsumexp_neginf_row", "logsumexp", [T([[-inf, -inf], [0.0, 1.0]])], dims=[1])
case("logsumexp_f64", "logsumexp", [randn(3, 4) * 10], dtype=F64, dims=[1])

# ---- views ----
case("view", "view", [x234], shape=[4, 6])
case("view_infer", "view", [x234], shape=[-1, 4])
case("view_noncontig_compatible", "view", [In(randn(4, 6), [["slice", 1, 0, 4, 1]])], shape=[2, 2, 4])
case("view_expanded_compatible", "view", [In(randn(4, 1), [["expand", [4, 3]]])], shape=[2, 2, 3])
case("reshape_contig", "reshape", [x234], shape=[3, -1])
case("reshape_transposed", "reshape", [In(randn(4, 3), [["transpose", 0, 1]])], shape=[12])
case("reshape_scalar", "reshape", [randn(1, 1)], shape=[])
case("transpose", "transpose", [x234], dim0=0, dim1=2)
case("transpose_neg", "transpose", [x234], dim0=-1, dim1=-2)
case("t", "t", [x34])
case("t_1d", "t", [randn(4)])
case("permute", "permute", [x234], dims=[2, 0, 1])
case("permute_neg", "permute", [x234], dims=[-1, -3, -2])
case("narrow", "narrow", [x234], dim=2, start=1, length=2)
case("narrow_neg_dim_start", "narrow", [x234], dim=-2, start=-2, length=2)
case("slice_step", "slice", [randn(7, 3)], dim=0, start=1, end=7, step=3)
case("slice_neg_bounds", "slice", [randn(3, 7)], dim=-1, start=-5, end=-1, step=2)
case("slice_open_end", "slice", [randn(5, 2)], dim=0, start=2, end=None, step=1)
case("slice_clamped", "slice", [randn(5, 2)], dim=0, start=-10, end=10, step=2)
case("slice_empty", "slice", [randn(5, 2)], dim=0, start=3, end=1, step=1)
case("select", "select", [x234], dim=1, index=2)
case("select_neg", "select", [x234], dim=-1, index=-1)
case("index", "index", [x234], index=1)
case("index_neg", "index", [x34], index=-2)
case("index_range", "index_range", [randn(5, 3)], start=1, end=4)
case("squeeze_all", "squeeze", [randn(1, 3, 1, 2)])
case("squeeze_none", "squeeze", [randn(2, 3)])
case("squeeze_dim", "squeeze_dim", [randn(3, 1, 2)], dim=1)
case("squeeze_dim_neg", "squeeze_dim", [randn(3, 2, 1)], dim=-1)
case("squeeze_dim_not_one", "squeeze_dim", [randn(3, 2)], dim=0)
case("unsqueeze", "unsqueeze", [x34], dim=1)
case("unsqueeze_neg", "unsqueeze", [x34], dim=-1)
case("unsqueeze_transposed", "unsqueeze", [In(randn(4, 3), [["transpose", 0, 1]])], dim=0)
case("expand", "expand", [randn(3, 1)], shape=[2, 3, 4])
case("expand_keep", "expand", [randn(1, 4)], shape=[3, -1])
case("flatten_all", "flatten", [x234])
case("flatten_range", "flatten", [randn(2, 3, 4, 2)], start=1, end=2)
case("flatten_neg", "flatten", [x234], start=-2)
case("flatten_transposed", "flatten", [In(randn(4, 3), [["transpose", 0, 1]])])
case("contiguous_transposed", "contiguous", [In(randn(4, 3), [["transpose", 0, 1]])])
case("view_f64", "view", [randn(2, 6)], dtype=F64, shape=[3, 4])
case("permute_f64", "permute", [randn(2, 3, 4)], dtype=F64, dims=[1, 2, 0])

# ---- matrix products ----
case("matmul_1d_1d", "matmul", [randn(4), randn(4)])
case("matmul_2d_1d", "matmul", [randn(3, 4), randn(4)])
case("matmul_1d_2d", "matmul", [randn(4), randn(4, 5)])
case("matmul_2d_2d", "matmul", [randn(3, 4), randn(4, 5)])
case("matmul_3d_3d", "matmul", [randn(2, 3, 4), randn(2, 4, 5)])
case("matmul_3d_2d", "matmul", [randn(2, 3, 4), randn(4, 5)])
case("matmul_2d_3d", "matmul", [randn(3, 4), randn(2, 4, 5)])
case("matmul_3d_1d", "matmul", [randn(2, 3, 4), randn(4)])
case("matmul_1d_3d", "matmul", [randn(4), randn(2, 4, 5)])
case("matmul_broadcast_batch", "matmul", [randn(2, 1, 3, 4), randn(3, 4, 2)])
case("matmul_transposed", "matmul", [In(randn(4, 3), [["transpose", 0, 1]]), In(randn(5, 4), [["transpose", 0, 1]])])
case("matmul_expanded_batch", "matmul", [In(randn(1, 3, 4), [["expand", [2, 3, 4]]]), randn(2, 4, 2)])
case("matmul_f64", "matmul", [randn(2, 3, 4), randn(4, 2)], dtype=F64)
case("mm", "mm", [randn(3, 4), randn(4, 5)])
case("mm_transposed", "mm", [In(randn(4, 3), [["transpose", 0, 1]]), randn(4, 2)])
case("mm_sliced", "mm", [In(randn(3, 8), [["slice", 1, 0, 8, 2]]), In(randn(4, 6), [["slice", 1, 1, 4, 1]])])
case("mm_expanded_rows", "mm", [In(randn(1, 4), [["expand", [3, 4]]]), randn(4, 2)])
case("mm_expanded_cols", "mm", [randn(2, 3), In(randn(3, 1), [["expand", [3, 4]]])])
case("mm_f64", "mm", [randn(3, 4), randn(4, 5)], dtype=F64)
case("bmm", "bmm", [randn(2, 3, 4), randn(2, 4, 5)])
case("bmm_transposed", "bmm", [In(randn(2, 4, 3), [["transpose", 1, 2]]), In(randn(5, 4, 2), [["permute", [2, 1, 0]]])])
case("bmm_f64", "bmm", [randn(2, 2, 3), randn(2, 3, 2)], dtype=F64)
case("addmm", "addmm", [randn(3, 5), randn(3, 4), randn(4, 5)])
case("addmm_bias_row", "addmm", [randn(5), randn(3, 4), randn(4, 5)])
case("addmm_beta_alpha", "addmm", [randn(3, 1), randn(3, 4), randn(4, 5)], beta=0.5, alpha=-2.0)
case("addmm_beta_zero", "addmm", [T([float("nan")] * 5), randn(3, 4), randn(4, 5)], beta=0.0, alpha=1.5)
case("addmm_transposed_weight", "addmm", [randn(5), randn(3, 4), In(randn(5, 4), [["transpose", 0, 1]])])
case("addmm_f64", "addmm", [randn(2, 3), randn(2, 4), randn(4, 3)], dtype=F64, beta=2.0, alpha=0.5)

# ---- joining and indexing ----
case("cat_dim0", "cat", [randn(2, 3), randn(1, 3), randn(3, 3)])
case("cat_dim_neg", "cat", [randn(2, 3), In(randn(4, 2), [["transpose", 0, 1]])], dim=-1)
case("cat_one_needs_grad", "cat", [randn(2, 3), In(randn(2, 3), grad=False)], dim=1)
case("cat_f64", "cat", [randn(2, 2), randn(2, 1)], dtype=F64, dim=1)
case("stack_dim0", "stack", [randn(2, 3), randn(2, 3)])
case("stack_dim_last", "stack", [randn(2, 3), randn(2, 3), randn(2, 3)], dim=-1)
case("stack_dim1", "stack", [randn(4), In(randn(8), [["slice", 0, 0, 8, 2]])], dim=1)
case("gather_dim1", "gather", [randn(3, 4), L([0, 3, 3, 1, 2, 0], [3, 2])], dim=1)
case("gather_dim0", "gather", [randn(3, 4), L([2, 0, 1, 1, 0, 0, 2, 2], [2, 4])], dim=0)
case("gather_dim_neg_repeat", "gather", [randn(2, 3), L([1, 1, 1, 0, 2, 2, 0, 0], [2, 4])], dim=-1)
case("gather_smaller_index", "gather", [randn(3, 4), L([1, 0], [1, 2])], dim=1)
case("gather_f64", "gather", [randn(2, 3, 2), L([0, 1, 1, 0, 1, 1], [2, 3, 1])], dtype=F64, dim=2)
case("index_select_dim0", "index_select", [randn(4, 3), L([3, 0, 0])], dim=0)
case("index_select_dim1", "index_select", [randn(2, 5), L([4, 1, 1, 2])], dim=1)
case("index_select_transposed", "index_select", [In(randn(3, 4), [["transpose", 0, 1]]), L([2, 0])], dim=-1)

# ---- copies and conversions ----
case("clone", "clone", [randn(2, 3)])
case("clone_transposed", "clone", [In(randn(3, 2), [["transpose", 0, 1]])])
case("to_float64", "to_float64", [randn(2, 3)])
case("to_float32", "to_float32", [randn(2, 3).double()], dtype=F64)

# ---- in place ----
case("add__", "add_", [randn(2, 3), randn(3)], alpha=-0.5)
case("sub__", "sub_", [randn(2, 3), randn(2, 3)])
case("mul__", "mul_", [randn(2, 3), randn(2, 1)])
case("div__", "div_", [randn(2, 3), pos(2, 3)])
case("add_scalar__", "add_scalar_", [randn(2, 3)], value=2.0)
case("mul_scalar__", "mul_scalar_", [randn(2, 3)], value=-1.5)
case("div_scalar__", "div_scalar_", [randn(2, 3)], value=4.0)
case("pow__", "pow_", [randn(2, 3)], p=3)
case("sqrt__", "sqrt_", [pos(2, 3)])
case("exp__", "exp_", [randn(2, 3)])
case("relu__", "relu_", [randn(2, 3)])
case("neg__", "neg_", [randn(2, 3)])
case("clamp__", "clamp_", [randn(2, 3)], min=-0.2, max=0.4)
case("fill__", "fill_", [randn(2, 3)], value=2.5)
case("fill__nonfinite", "fill_", [T([float("inf"), float("nan"), 1.0])], value=2.0)
case("zero__", "zero_", [randn(2, 3)])
case("copy__", "copy_", [randn(2, 3), randn(3)])
case("copy__nonfinite_dst", "copy_", [T([float("inf"), 1.0, -2.0]), randn(3)])
case("addcmul__", "addcmul_", [randn(2, 3), randn(2, 3), randn(2, 3)], value=0.5)
case("addcdiv__", "addcdiv_", [randn(2, 3), randn(2, 3), pos(2, 3)], value=2.0)
case("lerp__", "lerp_", [randn(2, 3), randn(2, 3)], weight=0.25)
case("masked_fill__", "masked_fill_", [randn(2, 3), B([True, False, True], [3])], value=0.0)
case("select_mul__", "select_mul_", [randn(3, 4), randn(4)], dim=0, index=1)
case("select_mul__dim1", "select_mul_", [randn(3, 4), randn(3)], dim=1, index=-1)
case("buffer_copy__", "buffer_copy_", [randn(2, 3), randn(4, 3)], shape=[4, 3], dim=0, start=1)
case("buffer_copy__f64", "buffer_copy_", [randn(2, 2), randn(2, 5)], dtype=F64, shape=[2, 5], dim=1, start=3)

# ---- more unary ops and softmax ----
for op, dom in [("sin", randn), ("cos", randn), ("log1p", pos), ("expm1", randn)]:
    case(op, op, [dom(3, 4)])
    case(f"{op}_f64", op, [dom(5)], dtype=F64)
case("log1p_small", "log1p", [T([1e-7, -1e-7, 1e-3, -0.5])])
case("expm1_small", "expm1", [T([1e-7, -1e-7, 1e-3, -20.0])])
case("softmax_dim1", "softmax", [randn(3, 4)], dim=1)
case("softmax_dim0_transposed", "softmax", [In(randn(4, 3), [["transpose", 0, 1]])], dim=0)
case("softmax_neg_dim_3d", "softmax", [randn(2, 3, 4)], dim=-2)
case("softmax_large", "softmax", [T([[1000.0, 1001.0, 999.0], [-1000.0, -inf, -1001.0]])], dim=1)
case("softmax_f64", "softmax", [randn(3, 5) * 4], dtype=F64, dim=-1)
case("log_softmax_dim1", "log_softmax", [randn(3, 4)], dim=1)
case("log_softmax_3d", "log_softmax", [randn(2, 3, 4)], dim=0)
case("log_softmax_large", "log_softmax", [T([[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -1001.0]])], dim=1)
case("log_softmax_f64", "log_softmax", [randn(3, 5) * 4], dtype=F64, dim=1)
case("pow_tensor__", "pow_tensor_", [pos(2, 3), randn(3)])

# ---- edge values ----
nan = float("nan")
case("std_constant", "std", [T([2.0, 2.0, 2.0])], unbiased=True)
case("std_constant_row", "std", [T([[1.0, 1.0], [2.0, 3.0]])], dims=[1], unbiased=False)
case("var_constant", "var", [T([2.0, 2.0, 2.0])], unbiased=True)
case("sign_nan_negzero", "sign", [T([nan, -0.0, 0.0, -2.0])])
case("mm_zero_times_inf", "mm", [In(T([[0.0, 1.0], [2.0, 0.0]]), grad=False), In(T([[inf, 1.0], [1.0, nan]]), grad=False)])
case("matmul_empty_inner", "matmul", [torch.zeros(2, 0), torch.zeros(0, 3)])
case("sum_empty", "sum", [torch.zeros(0, 3)], dims=[0])
case("mean_empty", "mean", [torch.zeros(0)])
case("cat_with_empty", "cat", [randn(0, 3), randn(2, 3)])
case("pow_scalar_0_at_zero", "pow_scalar", [T([0.0, 1.0, -2.0])], p=0)
case("pow_scalar_half_negative", "pow_scalar", [T([-1.0, 4.0])], p=0.5)
case("max_all_nan", "max_all", [T([1.0, nan, 3.0])])
case("argmax_nan", "argmax", [T([1.0, nan, 3.0])])
case("max_dim_nan", "max_dim", [T([[1.0, nan, 3.0], [4.0, 5.0, 6.0]])], dim=1)
case("maximum_nan", "maximum", [T([1.0, nan, 2.0]), T([nan, 0.0, 3.0])])
case("clamp_nan", "clamp", [T([nan, -2.0, 2.0])], min=-1.0, max=1.0)
case("relu_nan", "relu", [T([nan, -1.0, 1.0])])
case("sum_nan", "sum", [T([1.0, nan])])
# integer and bool inputs to float ops are promoted to float32, as in PyTorch
case("exp_int64", "exp", [L([1, 2, -3])])
case("sqrt_int64", "sqrt", [L([1, 4, 9])])
case("sigmoid_bool", "sigmoid", [B([True, False])])
case("mul_scalar_int64", "mul_scalar", [L([1, 2, 3])], value=0.5)
case("add_scalar_int64", "add_scalar", [L([1, 2, 3])], value=1.0)
case("div_scalar_int64", "div_scalar", [L([1, 2, 3])], value=2.0)
case("mul_int64_float", "mul", [L([1, 2, 3]), randn(3)])
case("mean_bool_to_float", "mean", [In(T([True, False, True, True], dtype=torch.bool).float(), grad=False)])

names = [c["name"] for c in CASES]
assert len(names) == len(set(names)), "duplicate case names"
json.dump({"torch": torch.__version__, "cases": CASES}, sys.stdout, indent=None, separators=(",", ":"))
sys.stdout.write("\n")
