"""Writes the non-finite gradient vectors: every optimizer stepped with gradients holding NaN, +Inf, -Inf, zeros,
huge finite values and subnormals among ordinary ones, from parameters some of which start non-finite.

Usage: /usr/bin/python3 tests/golden/gen_nonfinite.py   (PyTorch 1.13; writes tests/Descent.Tests/Golden/nonfinite.json)

Descent follows current PyTorch. Where 1.13's code differs from current PyTorch's in a way that changes what a
non-finite value does, the trajectory comes from a port of current PyTorch's single-tensor function run on 1.13
tensors (the pattern of gen_optim.py, whose NAdam, RAdam, Adafactor and Muon ports are reused):
  * Adam and AdamW: current `exp_avg.lerp_(grad, 1 - beta1)` (1.13: mul_/add_; with an infinite first moment and a
    finite gradient lerp gives NaN, mul_/add_ keeps the infinity); AdamW is Adam(decoupled_weight_decay=True);
  * Adamax: current lerp_ first moment and `torch.maximum` (1.13: mul_/add_ and amax over a cat, same NaN rule);
  * RMSprop(centered=True): current `grad_avg.lerp_(grad, 1 - alpha)` (1.13: mul_/add_);
  * NAdam, RAdam (every option), Adafactor, Muon: the gen_optim.py ports.
SGD, Adadelta, Adagrad, ASGD, Rprop, SparseAdam and LBFGS run 1.13's classes: their single-tensor code is current
PyTorch's (Rprop: sign(NaN) is 0 in both, so a NaN product leaves the step size alone and a NaN gradient moves
nothing).

Output: {"inputs": {set: {"shapes", "params", "grads"}}, "lbfgs_inputs": {...}, "cases": [...]}; each case names its
optimizer, options and input set and holds, after every step, the parameters (concatenated) and each parameter's
state tensors (PyTorch's state_dict keys, "step" left out). Non-finite floats are the strings "nan", "inf", "-inf".
"""
import json
import math
import os
import sys

import numpy as np
import torch
from torch.optim import Optimizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_optim import PortAdafactor, PortMuon, PortNAdam, PortRAdam  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Descent.Tests", "Golden", "nonfinite.json")

nan, inf = float("nan"), float("inf")
STEPS = 6


# ----------------------------------------------------------------------------------------------------------------
# Ports of current PyTorch's single-tensor functions (torch/optim/{adam,adamax,rmsprop}.py) onto 1.13 tensors.

class PortAdam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, maximize=False,
                 decoupled_weight_decay=False, foreach=None):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize, decoupled_weight_decay=decoupled_weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr, wd, eps = group["lr"], group["weight_decay"], group["eps"]
            for param in group["params"]:
                if param.grad is None:
                    continue
                state = self.state[param]
                if len(state) == 0:
                    state["step"] = torch.tensor(0.0)
                    state["exp_avg"] = torch.zeros_like(param)
                    state["exp_avg_sq"] = torch.zeros_like(param)
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = torch.zeros_like(param)
                grad = param.grad if not group["maximize"] else -param.grad
                exp_avg, exp_avg_sq, step_t = state["exp_avg"], state["exp_avg_sq"], state["step"]
                step_t += 1
                if wd != 0:
                    if group["decoupled_weight_decay"]:
                        param.mul_(1 - lr * wd)
                    else:
                        grad = grad.add(param, alpha=wd)
                exp_avg.lerp_(grad, 1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                step = step_t.item()
                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                step_size = lr / bias_correction1
                bias_correction2_sqrt = bias_correction2 ** 0.5
                if group["amsgrad"]:
                    max_exp_avg_sq = state["max_exp_avg_sq"]
                    torch.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
                    denom = (max_exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
                else:
                    denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
                param.addcdiv_(exp_avg, denom, value=-step_size)


class PortAdamax(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, maximize=False, foreach=None):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, maximize=maximize))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr, wd, eps = group["lr"], group["weight_decay"], group["eps"]
            for param in group["params"]:
                if param.grad is None:
                    continue
                state = self.state[param]
                if len(state) == 0:
                    state["step"] = torch.tensor(0.0)
                    state["exp_avg"] = torch.zeros_like(param)
                    state["exp_inf"] = torch.zeros_like(param)
                grad = param.grad if not group["maximize"] else -param.grad
                exp_avg, exp_inf, step_t = state["exp_avg"], state["exp_inf"], state["step"]
                step_t += 1
                if wd != 0:
                    grad = grad.add(param, alpha=wd)
                exp_avg.lerp_(grad, 1 - beta1)
                torch.maximum(exp_inf.mul_(beta2), grad.abs().add_(eps), out=exp_inf)
                bias_correction = 1 - beta1 ** step_t.item()
                clr = lr / bias_correction
                param.addcdiv_(exp_avg, exp_inf, value=-clr)


class PortRMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 maximize=False, foreach=None):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                                      centered=centered, maximize=maximize))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            lr, alpha, eps, wd, momentum = group["lr"], group["alpha"], group["eps"], group["weight_decay"], group["momentum"]
            for param in group["params"]:
                if param.grad is None:
                    continue
                state = self.state[param]
                if len(state) == 0:
                    state["step"] = torch.tensor(0.0)
                    state["square_avg"] = torch.zeros_like(param)
                    if momentum > 0:
                        state["momentum_buffer"] = torch.zeros_like(param)
                    if group["centered"]:
                        state["grad_avg"] = torch.zeros_like(param)
                grad = param.grad if not group["maximize"] else -param.grad
                square_avg = state["square_avg"]
                state["step"] += 1
                if wd != 0:
                    grad = grad.add(param, alpha=wd)
                square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
                if group["centered"]:
                    grad_avg = state["grad_avg"]
                    grad_avg.lerp_(grad, 1 - alpha)
                    avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
                else:
                    avg = square_avg.sqrt()
                avg = avg.add_(eps)
                if momentum > 0:
                    buf = state["momentum_buffer"]
                    buf.mul_(momentum).addcdiv_(grad, avg)
                    param.add_(buf, alpha=-lr)
                else:
                    param.addcdiv_(grad, avg, value=-lr)


def make_optimizer(name, params, options):
    kw = {k: tuple(v) if isinstance(v, list) else v for k, v in options.items()}
    if name == "SGD":
        kw.setdefault("lr", 1e-3)  # 1.13's SGD has no default lr; current PyTorch's is 1e-3
    ports = {"Adam": PortAdam, "Adamax": PortAdamax, "NAdam": PortNAdam, "RAdam": PortRAdam,
             "Adafactor": PortAdafactor, "Muon": PortMuon}
    if name == "AdamW":
        kw.setdefault("weight_decay", 1e-2)
        return PortAdam(params, decoupled_weight_decay=True, **kw)
    if name == "RMSprop" and kw.get("centered"):
        return PortRMSprop(params, **kw)
    if name in ports:
        return ports[name](params, **kw)
    return getattr(torch.optim, name)(params, **kw)


# ----------------------------------------------------------------------------------------------------------------
# Inputs.

def num(v):
    # Shortest decimal that rounds back to the same float32; non-finite values as strings (JSON has none).
    v = float(np.float32(v))
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return float(str(np.float32(v)))


def nums(t):
    return [num(v) for v in t.detach().reshape(-1).tolist()]


gen = torch.Generator().manual_seed(20240611)


def normal(n=8, scale=0.5):
    return [float(v) for v in (torch.randn(n, generator=gen) * scale).tolist()]


def scenarios():
    """Seven 8-element parameters (initial values and a gradient per step), each probing one situation."""
    params, grads = [], []

    # 0: every special value at step 0, ordinary gradients afterwards (how the state carries them on).
    params.append(normal(scale=1.0))
    grads.append([[nan, inf, -inf, 0.0, 1e20, 3e38, -3e38, 0.5]] + [normal() for _ in range(STEPS - 1)])

    # 1: the same element non-finite at every step, zeros and negative zeros throughout.
    params.append(normal(scale=1.0))
    g = []
    for t in range(STEPS):
        o = normal()
        g.append([inf, nan, -inf if t % 2 == 0 else inf, inf if t == 0 else 0.0,
                  1e20 if t < 2 else o[4], 0.0, -0.0, o[7]])
    grads.append(g)

    # 2: finite throughout: zeros (an all-zero and an all-negative-zero row for row-sparse SparseAdam), a subnormal.
    params.append(normal(scale=1.0))
    g = [normal() for _ in range(STEPS)]
    g[1][2] = g[1][3] = 0.0
    g[2][4] = g[2][5] = -0.0
    g[3][0] = 0.0
    g[4][6] = 1e-40
    grads.append(g)

    # 3: huge finite values only (their squares overflow float32; whole-tensor norms overflow).
    params.append(normal(scale=1.0))
    g = [normal() for _ in range(STEPS)]
    g[0][2] = 1e20
    g[1][5] = -3e38
    g[3][0] = 2e19
    grads.append(g)

    # 4: finite until a late infinity, NaN and negative infinity.
    params.append(normal(scale=1.0))
    g = [normal() for _ in range(STEPS)]
    g[2][3] = inf
    g[4][6] = nan
    g[5][1] = -inf
    grads.append(g)

    # 5: non-finite and huge parameters from the start, ordinary gradients (one always zero).
    params.append([nan, inf, -inf, 3e38, -0.0, 0.0, 0.7, -1.3])
    g = [normal() for _ in range(STEPS)]
    for s in g:
        s[4] = 0.0
    grads.append(g)

    # 6: large values whose squares fit float32 one by one but whose float32 sums overflow. As a 4 x 2 matrix: at
    # step 2 every norm is finite; at step 3 the row norms are, the column norms are not, and neither is the float32
    # sum of Adafactor's row means (each finite) - the one step at which col_var is +inf rather than NaN.
    params.append(normal(scale=1.0))
    g = [normal() for _ in range(STEPS)]
    g[1] = [9.1e18] * 8
    g[2] = [1.3e19] * 8
    grads.append(g)
    return params, grads


PARAMS, GRADS = scenarios()
INPUTS = {
    "mixed": [(2, 4), (8,), (4, 2), (2, 4), (8,), (4, 2), (4, 2)],
    "matrices": [(2, 4), (4, 2), (2, 4), (4, 2), (2, 4), (4, 2), (4, 2)],  # Muon: 2-D only
}


def input_sets():
    out = {}
    for name, shapes in INPUTS.items():
        out[name] = {"shapes": [list(s) for s in shapes], "params": [[num(v) for v in p] for p in PARAMS],
                     "grads": [[[num(v) for v in GRADS[k][t]] for k in range(len(PARAMS))] for t in range(STEPS)]}
    return out


def tensors(values, shapes):
    return [torch.tensor(v, dtype=torch.float32).reshape(s) for v, s in zip(values, shapes)]


def run(name, options, input_set):
    shapes = INPUTS[input_set]
    ps = [p.requires_grad_() for p in tensors(PARAMS, shapes)]
    opt = make_optimizer(name, ps, options)
    steps = []
    for t in range(STEPS):
        for p, g in zip(ps, tensors([GRADS[k][t] for k in range(len(ps))], shapes)):
            p.grad = g.to_sparse(1) if name == "SparseAdam" else g  # all-zero rows are absent, as Descent reads them
        opt.step()
        state = []
        for p in ps:
            entries = {}
            for key, value in opt.state[p].items():
                if key != "step" and isinstance(value, torch.Tensor) and value.is_floating_point():
                    entries[key] = nums(value)
            state.append(entries)
        steps.append({"params": [v for p in ps for v in nums(p)], "state": state})
    return steps


# ----------------------------------------------------------------------------------------------------------------
# LBFGS: a closure whose k-th call sets the k-th gradients of a cycle and returns the k-th loss of a cycle.

LBFGS_SHAPES = [(8,), (2, 4)]


def lbfgs_inputs():
    g = torch.Generator().manual_seed(7)

    def normal16():
        return [float(v) for v in (torch.randn(16, generator=g) * 0.5).tolist()]

    params = normal16()
    grads = [normal16() for _ in range(7)]
    grads[1][2] = inf
    grads[3][9] = nan
    grads[4][5] = -inf
    grads[5][12] = 1e20
    losses = [2.0, 1.5, 1.75, nan, 1.25, inf, 1.0]
    return params, grads, losses


def lbfgs_finite_then(kind):
    """Cycles whose first evaluations are finite, so several iterations run before the special value arrives."""
    g = torch.Generator().manual_seed(11)
    params = [float(v) for v in (torch.randn(16, generator=g) * 0.5).tolist()]
    grads = [[float(v) for v in (torch.randn(16, generator=g) * 0.5).tolist()] for _ in range(9)]
    losses = [3.0 - 0.25 * k for k in range(9)]
    if kind == "inf":
        grads[4][3] = inf
    elif kind == "nan":
        grads[4][3] = nan
        losses[6] = nan
    elif kind == "huge":
        # One huge entry: its products overflow whatever the order. Huge entries whose float32 products cancel make the
        # trajectory depend on the BLAS dot's summation order (1.13's reference BLAS adds in sequence, current builds'
        # MKL/OpenBLAS in vector lanes, Descent in double), which no implementation shares.
        grads[5][7] = 3e38
    elif kind == "loss":
        losses[2] = inf
        losses[5] = nan
    elif kind == "infloss":
        losses[2] = inf
        losses[5] = -inf
    return params, grads, losses


def run_lbfgs(options, data):
    params, grads, losses = data
    flat = torch.tensor(params, dtype=torch.float32)
    ps, o = [], 0
    for s in LBFGS_SHAPES:
        n = int(np.prod(s))
        ps.append(flat[o:o + n].clone().reshape(s).requires_grad_())
        o += n
    opt = torch.optim.LBFGS(ps, **{k: tuple(v) if isinstance(v, list) else v for k, v in options.items()})
    calls = [0]

    def closure():
        k = calls[0] % len(grads)
        calls[0] += 1
        gk, i = torch.tensor(grads[k], dtype=torch.float32), 0
        for p in ps:
            p.grad = gk[i:i + p.numel()].clone().reshape(p.shape)
            i += p.numel()
        return torch.tensor(losses[k % len(losses)], dtype=torch.float32)

    steps = []
    for _ in range(STEPS):
        loss = opt.step(closure)
        st = opt.state[ps[0]]
        steps.append({"params": [v for p in ps for v in nums(p)], "loss": num(loss.item()), "evaluations": calls[0],
                      "func_evals": st["func_evals"], "n_iter": st["n_iter"]})
    return steps


# ----------------------------------------------------------------------------------------------------------------
# The cases: each optimizer with its defaults and with each option that changes the update.

CASES = {
    "SGD": [{"lr": 0.1}, {"lr": 0.1, "momentum": 0.9}, {"lr": 0.1, "momentum": 0.9, "dampening": 0.5},
            {"lr": 0.1, "momentum": 0.9, "nesterov": True}, {"lr": 0.1, "weight_decay": 0.1},
            {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.1, "maximize": True}],
    "Adam": [{"lr": 0.01}, {"lr": 0.01, "amsgrad": True}, {"lr": 0.01, "maximize": True}, {"lr": 0.01, "weight_decay": 0.1},
             {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}, {"lr": 0.01, "betas": [0.3, 0.6]},
             {"lr": 0.01, "betas": [0.3, 0.6], "amsgrad": True, "maximize": True, "weight_decay": 0.1}],
    "AdamW": [{"lr": 0.01}, {"lr": 0.01, "amsgrad": True}, {"lr": 0.01, "maximize": True, "weight_decay": 0.5}],
    "Adadelta": [{}, {"weight_decay": 0.1}, {"maximize": True}, {"rho": 0.3, "lr": 0.5}],
    "Adagrad": [{}, {"lr_decay": 0.1}, {"weight_decay": 0.1}, {"maximize": True}, {"initial_accumulator_value": 0.5, "eps": 1e-3}],
    "Adamax": [{}, {"weight_decay": 0.1}, {"maximize": True}, {"betas": [0.3, 0.9], "lr": 0.01}],
    "ASGD": [{}, {"t0": 2, "lambd": 0.1, "lr": 0.05}, {"weight_decay": 0.1}, {"maximize": True, "t0": 1}],
    "NAdam": [{}, {"weight_decay": 0.1}, {"weight_decay": 0.1, "decoupled_weight_decay": True, "lr": 0.01},
              {"maximize": True}, {"betas": [0.3, 0.9], "momentum_decay": 0.1}],
    "RAdam": [{}, {"weight_decay": 0.1}, {"weight_decay": 0.1, "decoupled_weight_decay": True, "lr": 0.01},
              {"maximize": True}, {"betas": [0.9, 0.9], "lr": 0.01}, {"betas": [0.3, 0.9], "lr": 0.01, "maximize": True}],
    "RMSprop": [{}, {"centered": True}, {"momentum": 0.9}, {"centered": True, "momentum": 0.5}, {"weight_decay": 0.1},
                {"maximize": True}, {"centered": True, "alpha": 0.3, "maximize": True}],
    "Rprop": [{}, {"maximize": True}, {"etas": [0.3, 1.5], "step_sizes": [1e-3, 0.02]}],
    "SparseAdam": [{}, {"lr": 0.01, "maximize": True}, {"lr": 0.01, "betas": [0.3, 0.6]}],
    "Adafactor": [{}, {"weight_decay": 0.1}, {"maximize": True}, {"eps": [1e-30, 1e-3]}, {"d": 2.0, "beta2_decay": -0.5, "lr": 0.05}],
    "Muon": [{}, {"lr": 0.02, "nesterov": False}, {"lr": 0.02, "use_addmm": True}, {"lr": 0.02, "adjust_lr_fn": "match_rms_adamw"},
             {"lr": 0.02, "momentum": 0.3, "weight_decay": 0.0}],
}

# No strong_wolfe case with a NaN loss: where the first trial of the line search meets the Wolfe conditions with a NaN
# loss, PyTorch's _strong_wolfe indexes a one-element bracket at 1 (NaN <= NaN is False) and raises IndexError.
LBFGS_CASES = [
    ({}, "mixed"),
    ({"lr": 0.1, "max_iter": 4}, "mixed"),
    ({"line_search_fn": "strong_wolfe", "max_iter": 4}, "mixed"),
    ({"lr": 0.1, "max_iter": 5, "history_size": 3}, "inf"),
    ({"lr": 0.1, "max_iter": 5}, "nan"),
    ({"lr": 0.1, "max_iter": 5}, "huge"),
    ({"lr": 0.1, "max_iter": 3}, "loss"),
    ({"line_search_fn": "strong_wolfe", "max_iter": 3}, "inf"),
    ({"line_search_fn": "strong_wolfe", "max_iter": 3}, "huge"),
    ({"line_search_fn": "strong_wolfe", "max_iter": 3}, "infloss"),
]


def main():
    cases = []
    for name, option_sets in CASES.items():
        for options in option_sets:
            input_set = "matrices" if name == "Muon" else "mixed"
            cases.append({"optimizer": name, "options": options, "input": input_set, "steps": run(name, options, input_set)})
    lbfgs_sets = {"mixed": lbfgs_inputs()}
    for kind in ("inf", "nan", "huge", "loss", "infloss"):
        lbfgs_sets[kind] = lbfgs_finite_then(kind)
    lbfgs = []
    for options, kind in LBFGS_CASES:
        lbfgs.append({"optimizer": "LBFGS", "options": options, "input": kind, "steps": run_lbfgs(options, lbfgs_sets[kind])})
    out = {
        "steps": STEPS,
        "inputs": input_sets(),
        "lbfgs_inputs": {k: {"shapes": [list(s) for s in LBFGS_SHAPES], "params": [num(v) for v in p],
                             "grads": [[num(v) for v in g] for g in gs], "losses": [num(v) for v in ls]}
                         for k, (p, gs, ls) in lbfgs_sets.items()},
        "cases": cases,
        "lbfgs": lbfgs,
    }
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"), allow_nan=False)
    print(f"wrote {len(cases) + len(lbfgs)} cases, {os.path.getsize(OUT) / 1e3:.0f} kB, to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
