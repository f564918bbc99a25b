"""Recurrent layers and cells (RNN tanh/relu, LSTM, GRU) from PyTorch.

Usage: /usr/bin/python3 tests/golden/gen_rnn.py > tests/Descent.Tests/Golden/rnn.json
Every case stores its input, initial states and parameters (by state_dict key), so the C# tests need no random
numbers; gradients are taken through sum(output * upstream) + sum(h_n * upstream_h) (+ c_n) with fixed upstream
tensors. "seeded" stores the parameters that torch.manual_seed(0) gives; "errors" PyTorch's messages and warnings.
"""
import json
import warnings
import torch
import torch.nn as nn

torch.manual_seed(0)


def enc(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def upstream_like(t, lo=0.5, hi=1.5):
    n = t.numel()
    return torch.linspace(lo, hi, max(n, 1))[:n].reshape(t.shape)


def make(mode, *args, **kw):
    if mode in ("RNN_TANH", "RNN_RELU"):
        return nn.RNN(*args, nonlinearity="tanh" if mode == "RNN_TANH" else "relu", **kw)
    return {"LSTM": nn.LSTM, "GRU": nn.GRU}[mode](*args, **kw)


# (name, kwargs, seq, batch or None, with initial state, eval mode)
configs = [
    ("l1", dict(), 5, 2, False, False),
    ("l2 state", dict(num_layers=2), 4, 3, True, False),
    ("batch_first bidirectional state", dict(batch_first=True, bidirectional=True), 4, 2, True, False),
    ("l2 bidirectional", dict(num_layers=2, bidirectional=True), 3, 2, False, False),
    ("unbatched state", dict(), 5, None, True, False),
    ("unbatched batch_first l2", dict(num_layers=2, batch_first=True), 3, None, False, False),
    ("no bias", dict(bias=False), 4, 2, True, False),
    ("l2 dropout eval", dict(num_layers=2, dropout=0.5), 3, 2, False, True),
]
I, H = 3, 4
layers = []
for mode in ["RNN_TANH", "RNN_RELU", "LSTM", "GRU"]:
    for (name, kw, seq, batch, state, evalmode) in configs:
        m = make(mode, I, H, **kw)
        if evalmode:
            m.eval()
        bf = kw.get("batch_first", False)
        dirs = 2 if kw.get("bidirectional", False) else 1
        shape = [seq, I] if batch is None else ([batch, seq, I] if bf else [seq, batch, I])
        x = torch.randn(*shape).requires_grad_(True)
        hshape = [kw.get("num_layers", 1) * dirs] + ([] if batch is None else [batch]) + [H]
        h0 = torch.randn(*hshape).requires_grad_(True) if state else None
        c0 = torch.randn(*hshape).requires_grad_(True) if state and mode == "LSTM" else None
        if mode == "LSTM":
            out, (hn, cn) = m(x, (h0, c0) if state else None)
        else:
            out, hn = m(x, h0)
            cn = None
        loss = (out * upstream_like(out)).sum() + (hn * upstream_like(hn, -1.0, 1.0)).sum()
        if cn is not None:
            loss = loss + (cn * upstream_like(cn, 1.0, -0.5)).sum()
        loss.backward()
        case = {"name": f"{mode} {name}", "mode": mode, "kwargs": kw, "eval": evalmode, "repr": repr(m), "input": enc(x),
                "params": {k: enc(v) for k, v in m.state_dict().items()},
                "output": enc(out), "h_n": enc(hn), "grad_input": enc(x.grad),
                "grad_params": {k: enc(v.grad) for k, v in m.named_parameters()}}
        if h0 is not None:
            case["h0"] = enc(h0)
            case["grad_h0"] = enc(h0.grad)
        if c0 is not None:
            case["c0"] = enc(c0)
            case["grad_c0"] = enc(c0.grad)
        if cn is not None:
            case["c_n"] = enc(cn)
        layers.append(case)

# --- cells: (name, batch or None, with state)
cells = []
for mode, cls in [("RNN_TANH", lambda: nn.RNNCell(I, H)), ("RNN_RELU", lambda: nn.RNNCell(I, H, nonlinearity="relu")),
                  ("LSTM", lambda: nn.LSTMCell(I, H)), ("GRU", lambda: nn.GRUCell(I, H)), ("GRU no bias", lambda: nn.GRUCell(I, H, bias=False))]:
    for (name, batch, state) in [("batched state", 3, True), ("unbatched", None, False)]:
        m = cls()
        x = torch.randn(*([I] if batch is None else [batch, I])).requires_grad_(True)
        hs = [H] if batch is None else [batch, H]
        h0 = torch.randn(*hs).requires_grad_(True) if state else None
        c0 = torch.randn(*hs).requires_grad_(True) if state and mode == "LSTM" else None
        if mode == "LSTM":
            h, c = m(x, (h0, c0) if state else None)
            loss = (h * upstream_like(h)).sum() + (c * upstream_like(c, 1.0, -0.5)).sum()
        else:
            h, c = m(x, h0), None
            loss = (h * upstream_like(h)).sum()
        loss.backward()
        case = {"name": f"{mode} {name}", "mode": mode.split()[0], "bias": "no bias" not in mode, "repr": repr(m), "input": enc(x),
                "params": {k: enc(v) for k, v in m.state_dict().items()}, "h": enc(h), "grad_input": enc(x.grad),
                "grad_params": {k: enc(v.grad) for k, v in m.named_parameters()}}
        if h0 is not None:
            case["h0"] = enc(h0)
            case["grad_h0"] = enc(h0.grad)
        if c0 is not None:
            case["c0"] = enc(c0)
            case["grad_c0"] = enc(c0.grad)
        if c is not None:
            case["c"] = enc(c)
        cells.append(case)

# --- seeded initialisation
seeded = []
for name, ctor in [("LSTM(3, 4, 2)", lambda: nn.LSTM(3, 4, 2)), ("GRU(2, 3, bidirectional)", lambda: nn.GRU(2, 3, bidirectional=True)),
                   ("RNN(2, 5, relu, no bias)", lambda: nn.RNN(2, 5, nonlinearity="relu", bias=False)),
                   ("LSTMCell(3, 2)", lambda: nn.LSTMCell(3, 2)), ("GRUCell(2, 3)", lambda: nn.GRUCell(2, 3)), ("RNNCell(2, 2)", lambda: nn.RNNCell(2, 2))]:
    torch.manual_seed(0)
    m = ctor()
    seeded.append({"name": name, "params": [[k, enc(v)] for k, v in m.state_dict().items()]})


# --- errors: (op, args, callable)
def message(fn):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            fn()
        except (ValueError, RuntimeError, AssertionError) as e:
            return "error", str(e)
        return "warning", str(w[0].message)


errors = []
for op, args, fn in [
    ("LSTM", dict(dropout=1.5), lambda: nn.LSTM(3, 4, dropout=1.5)),
    ("GRU", dict(dropout=-0.1), lambda: nn.GRU(3, 4, dropout=-0.1)),
    ("LSTM", dict(dropout=0.5), lambda: nn.LSTM(3, 4, dropout=0.5)),
    ("RNN", dict(dropout=1), lambda: nn.RNN(3, 4, dropout=1.0)),
    ("RNN", dict(nonlinearity="sigmoid"), lambda: nn.RNN(3, 4, nonlinearity="sigmoid")),
    ("LSTM", dict(input=[5, 2, 4]), lambda: nn.LSTM(3, 4)(torch.randn(5, 2, 4))),
    ("GRU", dict(input=[5, 2, 2]), lambda: nn.GRU(3, 4)(torch.randn(5, 2, 2))),
    ("RNN", dict(input=[5, 2, 3, 1]), lambda: nn.RNN(3, 4)(torch.randn(5, 2, 3, 1))),
    ("RNN", dict(input=[5, 3], h0=[1, 2, 4]), lambda: nn.RNN(3, 4)(torch.randn(5, 3), torch.randn(1, 2, 4))),
    ("GRU", dict(input=[5, 2, 3], h0=[2, 4]), lambda: nn.GRU(3, 4)(torch.randn(5, 2, 3), torch.randn(2, 4))),
    ("GRU", dict(input=[5, 2, 3], h0=[2, 2, 4]), lambda: nn.GRU(3, 4)(torch.randn(5, 2, 3), torch.randn(2, 2, 4))),
    ("RNN", dict(input=[5, 2, 3], h0=[1, 3, 4], batch_first=True), lambda: nn.RNN(3, 4, batch_first=True)(torch.randn(5, 2, 3), torch.randn(1, 3, 4))),
    ("LSTM", dict(input=[5, 2, 3], h0=[1, 2, 4], c0=[1, 2, 3]), lambda: nn.LSTM(3, 4)(torch.randn(5, 2, 3), (torch.randn(1, 2, 4), torch.randn(1, 2, 3)))),
    ("LSTM", dict(input=[5, 2, 3], h0=[1, 3, 4], c0=[1, 2, 4]), lambda: nn.LSTM(3, 4)(torch.randn(5, 2, 3), (torch.randn(1, 3, 4), torch.randn(1, 2, 4)))),
    ("LSTM", dict(input=[5, 3], h0=[1, 1, 4], c0=[1, 4]), lambda: nn.LSTM(3, 4)(torch.randn(5, 3), (torch.randn(1, 1, 4), torch.randn(1, 4)))),
    ("LSTM", dict(input=[5, 2, 3], h0=[2, 4], c0=[1, 2, 4]), lambda: nn.LSTM(3, 4)(torch.randn(5, 2, 3), (torch.randn(2, 4), torch.randn(1, 2, 4)))),
    ("RNNCell", dict(input=[2, 5]), lambda: nn.RNNCell(3, 4)(torch.randn(2, 5))),
    ("RNNCell", dict(input=[2, 3, 3]), lambda: nn.RNNCell(3, 4)(torch.randn(2, 3, 3))),
    ("RNNCell", dict(input=[2, 3], nonlinearity="sigmoid"), lambda: nn.RNNCell(3, 4, nonlinearity="sigmoid")(torch.randn(2, 3))),
    ("GRUCell", dict(input=[2, 3], h0=[3, 4]), lambda: nn.GRUCell(3, 4)(torch.randn(2, 3), torch.randn(3, 4))),
    ("GRUCell", dict(input=[2, 3], h0=[2, 3]), lambda: nn.GRUCell(3, 4)(torch.randn(2, 3), torch.randn(2, 3))),
    ("LSTMCell", dict(input=[2, 3], h0=[2, 4], c0=[2, 5]), lambda: nn.LSTMCell(3, 4)(torch.randn(2, 3), (torch.randn(2, 4), torch.randn(2, 5)))),
    ("LSTMCell", dict(input=[3], h0=[4], c0=[3]), lambda: nn.LSTMCell(3, 4)(torch.randn(3), (torch.randn(4), torch.randn(3)))),
]:
    kind, msg = message(fn)
    errors.append({"op": op, "args": args, "kind": kind, "message": msg})

json.dump({"layers": layers, "cells": cells, "seeded": seeded, "errors": errors}, __import__("sys").stdout)
