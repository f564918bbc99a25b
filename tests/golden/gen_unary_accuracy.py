"""tanh, log1p, expm1, softplus, sigmoid, exp, log, sin and sqrt from PyTorch, in float32 and float64, where precision is easily lost: near 0
(down to 1e-30), around the switch points of the formulas (0.5, 0.625), far out, and at the special values.

Usage: /usr/bin/python3 tests/golden/gen_unary_accuracy.py   (PyTorch 1.13; writes tests/Descent.Tests/Golden/unary_accuracy.json)

Output: {"torch", "float32": {"x": [...], "tanh": [...], ...}, "float64": {...}}; non-finite values as the strings
"nan", "inf", "-inf".
"""
import json
import math
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Descent.Tests", "Golden", "unary_accuracy.json")


def points():
    xs = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 0.625, -0.625, 0.6249, 0.6251, 0.4999, 0.5001, 3.0, -3.0, 10.0, -10.0,
          20.0, -20.0, 30.0, -30.0, 80.0, -80.0, 700.0, -700.0, -0.9999, -0.5, 1e6]
    for e in range(-30, 1):
        for m in (1.0, 1.7, 3.3, 7.9):
            xs += [m * 10.0 ** e, -m * 10.0 ** e]
    k = 0
    while len(xs) < 400:   # a deterministic spread over [-2, 2]
        k += 1
        xs.append(math.sin(k * 12.9898) * 2)
    return xs


def enc(v):
    return "nan" if math.isnan(v) else ("inf" if v == math.inf else "-inf" if v == -math.inf else v)


def main():
    xs = points() + [math.inf, -math.inf, math.nan]
    out = {"torch": torch.__version__}
    for dt, name in ((torch.float32, "float32"), (torch.float64, "float64")):
        x = torch.tensor(xs, dtype=dt)
        out[name] = {"x": [enc(v) for v in x.tolist()],
                     "tanh": [enc(v) for v in torch.tanh(x).tolist()],
                     "log1p": [enc(v) for v in torch.log1p(x).tolist()],
                     "expm1": [enc(v) for v in torch.expm1(x).tolist()],
                     "softplus": [enc(v) for v in F.softplus(x).tolist()],
                     "sigmoid": [enc(v) for v in torch.sigmoid(x).tolist()],
                     "exp": [enc(v) for v in torch.exp(x).tolist()],
                     "log": [enc(v) for v in torch.log(x).tolist()],
                     "sin": [enc(v) for v in torch.sin(x).tolist()],
                     "sqrt": [enc(v) for v in torch.sqrt(x).tolist()]}
    with open(OUT, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
