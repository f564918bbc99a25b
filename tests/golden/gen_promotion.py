"""PyTorch's type promotion table: every pair of tensors (int64, int32, bool, float32, float64; 1-D and 0-dim) and
Python numbers (int, float, bool), under add, sub, mul, div, floor_divide, remainder, eq and lt.

Usage: /usr/bin/python3 tests/golden/gen_promotion.py > tests/Descent.Tests/Golden/promotion.json
Each case names its operands; the result is a dtype, shape and values, or the error PyTorch raised.
The values make floor division and remainder differ from truncation (mixed signs, non-integral floats).
"""
import json
import torch

DTYPES = {"int64": torch.int64, "int32": torch.int32, "bool": torch.bool, "float32": torch.float32, "float64": torch.float64}
LEFT = {"int": [7, -7, 5, -3], "float": [7.5, -7.5, 5.0, -3.25], "bool": [True, False, True, False]}
RIGHT = {"int": [2, 3, -2, -3], "float": [2.0, -3.5, 2.5, -1.25], "bool": [True, True, True, True]}
LEFT0 = {"int": -7, "float": -7.5, "bool": True}
RIGHT0 = {"int": -2, "float": 2.5, "bool": True}
OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "floor_divide": lambda a, b: a // b,
    "remainder": lambda a, b: a % b,
    "eq": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
}

def kind(dtype):
    return "bool" if dtype == "bool" else "float" if dtype.startswith("float") else "int"

def operands(values, values0):
    ops = {}
    for name, dt in DTYPES.items():
        ops[name + "[4]"] = ("tensor", name, 1, values[kind(name)])
        ops[name + "[]"] = ("tensor", name, 0, values0[kind(name)])
    ops["py_int"] = ("scalar", "int", None, values0["int"])
    ops["py_float"] = ("scalar", "float", None, values0["float"])
    ops["py_bool"] = ("scalar", "bool", None, values0["bool"])
    return ops

def make(spec):
    what, dtype, dim, v = spec
    if what == "scalar":
        return v
    return torch.tensor(v, dtype=DTYPES[dtype])

def jsonable(spec):
    what, dtype, dim, v = spec
    return {"kind": what, "dtype": dtype, "dim": dim, "values": v if isinstance(v, list) else [v]}

def main():
    left, right = operands(LEFT, LEFT0), operands(RIGHT, RIGHT0)
    cases = []
    for op, f in OPS.items():
        for an, a in left.items():
            for bn, b in right.items():
                if a[0] == "scalar" and b[0] == "scalar":
                    continue
                case = {"op": op, "a": an, "b": bn}
                try:
                    r = f(make(a), make(b))
                    case["dtype"] = str(r.dtype).replace("torch.", "")
                    case["shape"] = list(r.shape)
                    case["values"] = r.reshape(-1).tolist()
                except Exception as e:  # the refusal's text is part of the table
                    case["error"] = type(e).__name__
                    case["message"] = str(e).splitlines()[0]
                cases.append(case)
    # Under torch.set_default_dtype(torch.float64), the cases whose result dtype comes from the default.
    torch.set_default_dtype(torch.float64)
    default64 = []
    for c in cases:
        if "dtype" in c and c["dtype"] == "float32" and not (c["a"].startswith("float32") or c["b"].startswith("float32")):
            r = OPS[c["op"]](make(left[c["a"]]), make(right[c["b"]]))
            default64.append({"op": c["op"], "a": c["a"], "b": c["b"], "dtype": str(r.dtype).replace("torch.", ""),
                              "shape": list(r.shape), "values": r.reshape(-1).tolist()})
    torch.set_default_dtype(torch.float32)
    print(json.dumps({"torch": torch.__version__, "left": {k: jsonable(v) for k, v in left.items()},
                      "right": {k: jsonable(v) for k, v in right.items()}, "cases": cases,
                      "default_float64": default64}, indent=0))

if __name__ == "__main__":
    main()
