"""Tensor reprs from PyTorch, for tests/Descent.Tests/Tensors/TensorFormatterTests.cs.

Usage: /usr/bin/python3 tests/golden/gen_print.py > tests/Descent.Tests/Golden/print.json

Each case gives a tensor (values in row-major order, shape, dtype), optionally marked requires_grad, an op
applied before printing ("t": transpose, "mul2": x * 2, "add1": x + 1, "neg": -x, "sum": x.sum(), all
exact in float arithmetic so both sides print the same values), print options, and repr(tensor).
Non-finite floats are the strings "nan", "inf", "-inf".
"""
import json, math, sys
import torch

GEN = torch.Generator().manual_seed(7)
CASES = []
OPS = {
    None: lambda t: t,
    "t": lambda t: t.t(),
    "mul2": lambda t: t * 2,
    "add1": lambda t: t + 1,
    "neg": lambda t: -t,
    "sum": lambda t: t.sum(),
}


def enc(v):
    if isinstance(v, bool) or isinstance(v, int):
        return v
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def case(name, t, op=None, requires_grad=False, **options):
    leaf = t.clone()
    if requires_grad:
        leaf.requires_grad_()
    torch.set_printoptions(profile="default")
    torch.set_printoptions(**options)
    text = repr(OPS[op](leaf))
    torch.set_printoptions(profile="default")
    CASES.append({
        "name": name,
        "shape": list(t.shape),
        "dtype": str(t.dtype).replace("torch.", ""),
        "values": [enc(v) for v in t.reshape(-1).tolist()],
        "requires_grad": requires_grad,
        "op": op,
        "options": options,
        "repr": text,
    })


def f(values, dtype=torch.float32):
    return torch.tensor(values, dtype=dtype)


nan, inf = float("nan"), float("inf")
randn = lambda *s: torch.randn(*s, generator=GEN)

# integer-valued floats, fixed and scientific notation
case("int_mode", f([1.0, 2.0, 3.0]))
case("int_mode_negative", f([-1.0, 20.0, 300.0]))
case("fixed", f([1.5, 2.25, -3.125]))
case("fixed_float32_tenth", f([0.1, 0.2, 0.3]))
case("fixed_half_even_rounding", f([1.03125, 2.0, 0.28125, -1.71875]))
case("sci_small", f([1e-5, 1.0]))
case("sci_large", f([1e9, 1.5]))
case("sci_ratio", f([0.5, 1000.5]))
case("sci_just_below_1e-4", f([1e-4, 0.5]))
case("sci_single_tiny", f([3e-7]))
case("int_mode_sci_ratio", f([1.0, 2000.0]))
case("int_mode_sci_large", f([123456789.0, 1.0]))
case("int_mode_large_no_sci", f([10000000.0, 20000.0]))
case("negative_alignment", f([[-1.5, 2.25], [3.0, -400.125]]))
case("negative_zero", f([-0.0, 1.0]))
case("zeros", torch.zeros(2, 3))
case("nan_inf", f([nan, 1.0, inf, -inf]))
case("nan_inf_fixed", f([nan, 1.5, -inf]))
case("only_nonfinite", f([nan, inf]))
case("nan_sci", f([nan, 1e-6, 2.0]))
# scalars
case("scalar_int_mode", f(3.0))
case("scalar_fixed", f(3.14159265))
case("scalar_negative_zero", f(-0.0))
case("scalar_nan", f(nan))
case("scalar_sci", f(1.5e-8))
case("scalar_float64", f(1.5, torch.float64))
case("scalar_int64", torch.tensor(42))
case("scalar_bool", torch.tensor(True))
# shapes
case("matrix", randn(3, 4))
case("matrix_transposed", randn(4, 3), op="t")
case("tensor_3d", randn(2, 3, 4))
case("tensor_4d", randn(2, 2, 2, 3))
case("column", randn(4, 1))
case("one_element_3d", f([[[5.0]]]))
case("long_row_wraps", randn(30))
case("long_rows_wrap_in_matrix", randn(2, 20))
# empty
case("empty_1d", torch.zeros(0))
case("empty_2d", torch.zeros(2, 0))
case("empty_int64", torch.zeros(0, dtype=torch.int64))
case("empty_float64_2d", torch.zeros(0, 3, dtype=torch.float64))
case("empty_bool", torch.zeros(0, dtype=torch.bool))
# other dtypes
case("int64", torch.tensor([-5, 100, 3]))
case("int64_matrix", torch.arange(12).reshape(3, 4) - 6)
case("bool", torch.tensor([True, False, True]))
case("bool_matrix", torch.tensor([[True, False], [False, False]]))
case("float64", randn(2, 3).double())
case("float64_int_mode", f([1.0, 2.0], torch.float64))
# summarisation
case("summarized_vector", randn(2000))
case("summarized_arange_float", torch.arange(2000.0))
case("summarized_matrix", randn(40, 50))
case("summarized_3d", randn(12, 10, 11))
case("summarized_int64", torch.arange(1001))
case("summarized_narrow_matrix", randn(1001, 2))
# autograd suffixes
case("requires_grad", f([1.0, 2.0]), requires_grad=True)
case("requires_grad_float64", f([1.5, 2.0], torch.float64), requires_grad=True)
case("grad_fn_mul", f([1.0, 2.0, 3.0]), op="mul2", requires_grad=True)
case("grad_fn_add", f([1.5, 2.0]), op="add1", requires_grad=True)
case("grad_fn_neg", f([1.5, -2.0]), op="neg", requires_grad=True)
case("grad_fn_sum", f([1.0, 2.0, 3.5]), op="sum", requires_grad=True)
case("grad_fn_t", randn(2, 3), op="t", requires_grad=True)
case("grad_fn_wraps_line", randn(9), op="mul2", requires_grad=True)
case("grad_fn_after_long_matrix", randn(3, 8), op="mul2", requires_grad=True)
case("grad_fn_float64_suffixes_wrap", randn(8).double(), op="mul2", requires_grad=True)
# print options
case("precision_2", f([1.12345, -2.5]), precision=2)
case("precision_0", f([0.5, 1.5, 2.5, 3.25]), precision=0)
case("precision_8", f([1.0 / 3.0, 2.0]), precision=8)
case("sci_mode_on", f([1.5, 2.0]), sci_mode=True)
case("sci_mode_off", f([1e-5, 1.0]), sci_mode=False)
case("sci_mode_on_int", f([1.0, 2.0]), sci_mode=True)
case("threshold_edgeitems", torch.arange(10), threshold=5, edgeitems=2)
case("threshold_matrix", torch.arange(36.0).reshape(6, 6) / 4, threshold=10, edgeitems=1)
case("linewidth_40", randn(12), linewidth=40)
case("short_profile", randn(3, 3), profile="short")
case("full_profile", torch.arange(1001), profile="full")

# Python's own float formatting, which the formatter reproduces: ties to even, carries, extremes.
special = [0.0, -0.0, 0.125, 0.375, 2.5, -2.5, 0.5, 1.5, 9.99995, 9.999950000000001, 99999.5, 0.00049999999,
           1e16, 1e300, -1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 1e-5, 123456789.0, 0.1, 1 / 3]
rnd = torch.Generator().manual_seed(11)
randoms = (torch.randn(60, generator=rnd, dtype=torch.float64) * torch.pow(10.0, torch.randint(-12, 12, (60,), generator=rnd))).tolist()
randoms += [float(v) for v in torch.randn(40, generator=rnd).tolist()]
FLOATS = []
for v in special + randoms:
    FLOATS.append({"value": v, "f0": "{:.0f}".format(v), "f2": "{:.2f}".format(v), "f4": "{:.4f}".format(v),
                   "e0": "{:.0e}".format(v), "e4": "{:.4e}".format(v), "e8": "{:.8e}".format(v)})

json.dump({"torch": torch.__version__, "cases": CASES, "floats": FLOATS}, sys.stdout, indent=1)
sys.stdout.write("\n")
