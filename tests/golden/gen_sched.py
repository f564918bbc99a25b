#!/usr/bin/python3
"""Golden vectors for Descent.Optim.Schedulers, Descent.Optim.Swa and Descent.NN.Utils.ClipGrad.

Run with the system interpreter that has PyTorch 1.13:

    /usr/bin/python3 tests/golden/gen_sched.py

Writes tests/Descent.Tests/Golden/schedulers.json, and tests/Descent.Tests/Golden/averaging_clipping_float64.json: the
averaging and clipping cases again in float64 (and clipping over mixed float32/float64 gradients). With the argument
`float64` it writes only the latter (the training cases' last bits vary from run to run with PyTorch's threading).

Scheduler cases: an optimizer (SGD with momentum, or Adam) over two parameter groups with lrs 0.1 and 0.05, a
scheduler spec in PyTorch's keyword names, and the lr (and momentum, or beta1 for Adam) of each group after
construction and after every step. The loop is `optimizer.step(); scheduler.step(...)`.

Where Descent follows current PyTorch and 1.13 differs or lacks the feature, the values come from a port of
current PyTorch's rule written here (marked PORT below) and, where 1.13 can run the same case, the port is
checked against 1.13 before anything is written:
  * CyclicLR cycling Adam's beta1 (`use_beta1`, PyTorch >= 2.2; 1.13 refuses Adam),
  * get_ema_multi_avg_fn / get_swa_multi_avg_fn and AveragedModel(multi_avg_fn=...) (PyTorch >= 2.1),
  * get_total_norm / clip_grads_with_norm_ (PyTorch >= 2.6; the same arithmetic as 1.13's clip_grad_norm_).
Everything else is PyTorch 1.13's own classes, whose values for these cases equal current PyTorch's.
"""
import json
import math
import os
import sys
import warnings

import torch
from torch.optim import lr_scheduler as L
from torch.optim import swa_utils

warnings.filterwarnings("ignore")

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "Descent.Tests", "Golden", "schedulers.json"))

LAMBDAS = {
    "exp95": lambda e: 0.95 ** e,
    "inv": lambda e: 1.0 / (e + 1),
    "half_every_10": lambda e: 0.5 ** (e // 10),
    "const98": lambda e: 0.98,
    "warmup10": lambda e: min(1.0, (e + 1) / 10),
}


SCALE_FNS = {
    "inv_tenth": lambda x: 1 / (1 + 0.1 * x),
    "inv_cycle": lambda x: 1.0 / x,
}


def make_optimizer(kind):
    w1 = torch.nn.Parameter(torch.zeros(3))
    w2 = torch.nn.Parameter(torch.zeros(2))
    groups = [{"params": [w1], "lr": 0.1}, {"params": [w2], "lr": 0.05}]
    if kind == "sgd":
        return torch.optim.SGD(groups, lr=0.1, momentum=0.9)
    return torch.optim.Adam(groups, lr=0.1, betas=(0.9, 0.999))


# PORT: current PyTorch's CyclicLR (momentum or beta1), on 1.13's scheduler base.
class CyclicLRPort(L._LRScheduler):
    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None, mode="triangular",
                 gamma=1.0, scale_fn=None, scale_mode="cycle", cycle_momentum=True, base_momentum=0.8,
                 max_momentum=0.9, last_epoch=-1):
        n = len(optimizer.param_groups)
        per_group = lambda v: list(v) if isinstance(v, (list, tuple)) else [v] * n
        base_lrs = per_group(base_lr)
        if last_epoch == -1:
            for lr, g in zip(base_lrs, optimizer.param_groups):
                g["lr"] = lr
        self.max_lrs = per_group(max_lr)
        up = float(step_size_up)
        down = float(step_size_down) if step_size_down is not None else up
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        self.mode, self.gamma = mode, gamma
        if scale_fn is not None:
            self.scale, self.scale_mode = scale_fn, scale_mode
        elif mode == "triangular":
            self.scale, self.scale_mode = (lambda x: 1.0), "cycle"
        elif mode == "triangular2":
            self.scale, self.scale_mode = (lambda x: 1 / (2.0 ** (x - 1))), "cycle"
        else:
            self.scale, self.scale_mode = (lambda x: gamma ** x), "iterations"
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = "betas" in optimizer.defaults
            self.base_momentums = per_group(base_momentum)
            self.max_momentums = per_group(max_momentum)
            if last_epoch == -1:
                for m, b, g in zip(self.max_momentums, self.base_momentums, optimizer.param_groups):
                    if self.use_beta1:
                        g["betas"] = (m, *g["betas"][1:])
                    else:
                        g["momentum"] = m
                    g["max_momentum"], g["base_momentum"] = m, b
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def get_lr(self):
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        s = x / self.step_ratio if x <= self.step_ratio else (x - 1) / (self.step_ratio - 1)
        arg = cycle if self.scale_mode == "cycle" else self.last_epoch
        lrs = [b + (m - b) * s * self.scale(arg) for b, m in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            for g, b, m in zip(self.optimizer.param_groups, self.base_momentums, self.max_momentums):
                mom = m - (m - b) * s * self.scale(arg)
                if self.use_beta1:
                    g["betas"] = (mom, *g["betas"][1:])
                else:
                    g["momentum"] = mom
        return lrs


# PORT: current PyTorch's ParamwiseScheduler (not in 1.13), composing 1.13's schedulers.
class ParamwisePort:
    def __init__(self, schedulers):
        self._schedulers = schedulers
        self.optimizer = schedulers[0].optimizer
        for g in self.optimizer.param_groups:
            g["lr"] = g["initial_lr"]

        def undo(s):
            if hasattr(s, "_schedulers"):
                for c in s._schedulers:
                    undo(c)
            else:
                s.last_epoch -= 1
        undo(self)
        self._is_initial = True
        self.step()
        self._is_initial = False

    def step(self):
        groups = self.optimizer.param_groups
        lrs = [g["lr"] for g in groups]
        for s in self._schedulers:
            if self._is_initial:
                s._initial_step()
            else:
                s.step()
            for g, lr in zip(groups, lrs):
                g["lr"] = lr
        for i, (g, s) in enumerate(zip(groups, self._schedulers)):
            g["lr"] = s.get_last_lr()[i]


def build(spec, opt):
    spec = dict(spec)
    kind = spec.pop("type")
    if kind in ("LambdaLR", "MultiplicativeLR"):
        lam = spec.pop("lr_lambda")
        fn = [LAMBDAS[n] for n in lam] if isinstance(lam, list) else LAMBDAS[lam]
        return getattr(L, kind)(opt, fn, **spec)
    if kind == "ChainedScheduler":
        return L.ChainedScheduler([build(s, opt) for s in spec["schedulers"]])
    if kind == "ParamwiseScheduler":
        return ParamwisePort([build(s, opt) for s in spec["schedulers"]])
    if kind == "SequentialLR":
        return L.SequentialLR(opt, [build(s, opt) for s in spec["schedulers"]], spec["milestones"])
    if "scale_fn" in spec:
        spec["scale_fn"] = SCALE_FNS[spec["scale_fn"]]
    if kind == "SWALR":
        return swa_utils.SWALR(opt, **spec)
    if kind == "CyclicLR" and "betas" in opt.defaults and spec.get("cycle_momentum", True):
        return CyclicLRPort(opt, **spec)
    return getattr(L, kind)(opt, **spec)


def momentum_of(opt):
    if "betas" in opt.defaults:
        return [g["betas"][0] for g in opt.param_groups]
    return [g["momentum"] for g in opt.param_groups]


def run_case(name, spec, opt_kind, steps, metrics=None, epochs=None):
    opt = make_optimizer(opt_kind)
    sched = build(spec, opt)
    lrs = [[g["lr"] for g in opt.param_groups]]
    moms = [momentum_of(opt)]
    n = len(epochs) if epochs is not None else steps
    for i in range(n):
        opt.step()
        if metrics is not None:
            sched.step(metrics[i])
        elif epochs is not None:
            sched.step(epochs[i])
        else:
            sched.step()
        lrs.append([g["lr"] for g in opt.param_groups])
        moms.append(momentum_of(opt))
    case = {"name": name, "optimizer": opt_kind, "spec": spec, "lr": lrs, "momentum": moms}
    if metrics is not None:
        case["metrics"] = metrics[:n]
    if epochs is not None:
        case["epochs"] = epochs
    return case


def check_cyclic_port():
    """The port must agree with 1.13's CyclicLR wherever 1.13 can run it (SGD momentum)."""
    for kw in [dict(base_lr=0.01, max_lr=0.1, step_size_up=7),
               dict(base_lr=[0.01, 0.02], max_lr=[0.1, 0.3], step_size_up=5, step_size_down=9, mode="triangular2"),
               dict(base_lr=0.01, max_lr=0.1, step_size_up=6, mode="exp_range", gamma=0.97),
               dict(base_lr=0.01, max_lr=0.1, step_size_up=8, scale_fn=SCALE_FNS["inv_tenth"], scale_mode="iterations"),
               dict(base_lr=[0.01, 0.005], max_lr=0.1, step_size_up=3, step_size_down=5, scale_fn=SCALE_FNS["inv_cycle"],
                    base_momentum=[0.7, 0.8])]:
        a, b = make_optimizer("sgd"), make_optimizer("sgd")
        sa, sb = L.CyclicLR(a, **kw), CyclicLRPort(b, **kw)
        for _ in range(70):
            sa.step(); sb.step()
            for ga, gb in zip(a.param_groups, b.param_groups):
                assert ga["lr"] == gb["lr"] and ga["momentum"] == gb["momentum"], kw


def plateau_metrics(n):
    # Improves, stalls, improves a little (below and above the threshold), then oscillates.
    out = []
    for i in range(n):
        if i < 10:
            v = 1.0 - 0.05 * i
        elif i < 25:
            v = 0.55 + 0.00001 * (i % 3)
        elif i < 35:
            v = 0.55 - 0.02 * (i - 24)
        else:
            v = 0.35 + 0.01 * ((i * 7) % 5)
        out.append(v)
    return out


def scheduler_cases():
    N = 60
    specs = [
        ("LambdaLR_exp", {"type": "LambdaLR", "lr_lambda": "exp95"}),
        ("LambdaLR_per_group", {"type": "LambdaLR", "lr_lambda": ["warmup10", "half_every_10"]}),
        ("MultiplicativeLR_const", {"type": "MultiplicativeLR", "lr_lambda": "const98"}),
        ("MultiplicativeLR_per_group", {"type": "MultiplicativeLR", "lr_lambda": ["inv", "const98"]}),
        ("StepLR_default_gamma", {"type": "StepLR", "step_size": 7}),
        ("StepLR_gamma", {"type": "StepLR", "step_size": 3, "gamma": 0.8}),
        ("StepLR_negative_step_size", {"type": "StepLR", "step_size": -4, "gamma": 0.9}),
        ("MultiStepLR", {"type": "MultiStepLR", "milestones": [5, 17, 40], "gamma": 0.5}),
        ("MultiStepLR_unsorted_repeated", {"type": "MultiStepLR", "milestones": [30, 10, 10]}),
        ("ConstantLR_default", {"type": "ConstantLR"}),
        ("ConstantLR", {"type": "ConstantLR", "factor": 0.25, "total_iters": 12}),
        ("LinearLR_default", {"type": "LinearLR"}),
        ("LinearLR_down", {"type": "LinearLR", "start_factor": 1.0, "end_factor": 0.1, "total_iters": 40}),
        ("ExponentialLR", {"type": "ExponentialLR", "gamma": 0.93}),
        ("PolynomialLR_default", {"type": "PolynomialLR"}),
        ("PolynomialLR_power", {"type": "PolynomialLR", "total_iters": 45, "power": 2.5}),
        ("CosineAnnealingLR", {"type": "CosineAnnealingLR", "T_max": 25}),
        ("CosineAnnealingLR_eta_min", {"type": "CosineAnnealingLR", "T_max": 13, "eta_min": 0.004}),
        ("CosineAnnealingWarmRestarts", {"type": "CosineAnnealingWarmRestarts", "T_0": 9}),
        ("CosineAnnealingWarmRestarts_mult", {"type": "CosineAnnealingWarmRestarts", "T_0": 4, "T_mult": 2, "eta_min": 0.001}),
        ("CyclicLR_triangular", {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 7}),
        ("CyclicLR_triangular2", {"type": "CyclicLR", "base_lr": [0.01, 0.02], "max_lr": [0.1, 0.3], "step_size_up": 5,
                                  "step_size_down": 9, "mode": "triangular2", "base_momentum": 0.85, "max_momentum": 0.95}),
        ("CyclicLR_exp_range", {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 6, "mode": "exp_range",
                                "gamma": 0.97}),
        ("CyclicLR_custom_iterations", {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 8,
                                        "scale_fn": "inv_tenth", "scale_mode": "iterations"}),
        ("CyclicLR_custom_cycle", {"type": "CyclicLR", "base_lr": [0.01, 0.005], "max_lr": 0.1, "step_size_up": 3,
                                   "step_size_down": 5, "scale_fn": "inv_cycle", "base_momentum": [0.7, 0.8]}),
        ("CyclicLR_no_momentum", {"type": "CyclicLR", "base_lr": 0.001, "max_lr": 0.01, "step_size_up": 4,
                                  "cycle_momentum": False}),
        ("OneCycleLR_cos", {"type": "OneCycleLR", "max_lr": 0.5, "total_steps": 61}),
        ("OneCycleLR_linear", {"type": "OneCycleLR", "max_lr": [0.5, 0.2], "total_steps": 70, "anneal_strategy": "linear",
                               "pct_start": 0.4, "div_factor": 10.0, "final_div_factor": 100.0}),
        ("OneCycleLR_three_phase", {"type": "OneCycleLR", "max_lr": 0.3, "epochs": 8, "steps_per_epoch": 8,
                                    "three_phase": True, "base_momentum": 0.8, "max_momentum": [0.9, 0.99]}),
        ("OneCycleLR_no_momentum", {"type": "OneCycleLR", "max_lr": 0.3, "total_steps": 61, "cycle_momentum": False}),
        ("ReduceLROnPlateau_min_rel", {"type": "ReduceLROnPlateau", "patience": 3}),
        ("ReduceLROnPlateau_min_abs_cooldown", {"type": "ReduceLROnPlateau", "threshold_mode": "abs", "threshold": 0.01,
                                                "patience": 2, "cooldown": 3, "factor": 0.5, "min_lr": [0.02, 0.001]}),
        ("ReduceLROnPlateau_max", {"type": "ReduceLROnPlateau", "mode": "max", "patience": 1, "factor": 0.7,
                                   "min_lr": 0.01, "eps": 1e-3}),
        ("ChainedScheduler", {"type": "ChainedScheduler", "schedulers": [
            {"type": "ConstantLR", "factor": 0.1, "total_iters": 10}, {"type": "ExponentialLR", "gamma": 0.95}]}),
        ("SequentialLR_warmup_cosine", {"type": "SequentialLR", "milestones": [10], "schedulers": [
            {"type": "LinearLR", "start_factor": 0.1, "total_iters": 10}, {"type": "CosineAnnealingLR", "T_max": 50}]}),
        ("SequentialLR_three", {"type": "SequentialLR", "milestones": [5, 30], "schedulers": [
            {"type": "ConstantLR", "factor": 0.5, "total_iters": 5}, {"type": "StepLR", "step_size": 4, "gamma": 0.7},
            {"type": "ExponentialLR", "gamma": 0.9}]}),
        ("ParamwiseScheduler", {"type": "ParamwiseScheduler", "schedulers": [
            {"type": "StepLR", "step_size": 10, "gamma": 0.5}, {"type": "ExponentialLR", "gamma": 0.97}]}),
        ("ParamwiseScheduler_nested", {"type": "ParamwiseScheduler", "schedulers": [
            {"type": "CosineAnnealingLR", "T_max": 20},
            {"type": "ChainedScheduler", "schedulers": [{"type": "LinearLR", "start_factor": 0.5, "total_iters": 8},
                                                        {"type": "StepLR", "step_size": 15, "gamma": 0.3}]}]}),
        ("SWALR_cos", {"type": "SWALR", "swa_lr": 0.01, "anneal_epochs": 5}),
        ("SWALR_linear_per_group", {"type": "SWALR", "swa_lr": [0.02, 0.2], "anneal_epochs": 12, "anneal_strategy": "linear"}),
        ("SWALR_no_annealing", {"type": "SWALR", "swa_lr": 0.03, "anneal_epochs": 0}),
    ]
    cases = []
    metrics = plateau_metrics(N)
    for name, spec in specs:
        steps = N
        if spec["type"] == "OneCycleLR":
            total = spec.get("total_steps") or spec["epochs"] * spec["steps_per_epoch"]
            steps = total - 1
        for kind in ("sgd", "adam"):
            m = metrics if spec["type"] == "ReduceLROnPlateau" else None
            cases.append(run_case(name, spec, kind, steps, metrics=m))
    # Fractional and explicit epochs for warm restarts; the deprecated step(epoch) closed forms.
    frac = [e + i / 4 for e in range(15) for i in range(4)]
    jumps = [0, 1, 2, 5, 5, 9, 3, 17, 40, 41, 12, 60, 7, 0, 33]
    cases.append(run_case("CosineAnnealingWarmRestarts_fractional", {"type": "CosineAnnealingWarmRestarts", "T_0": 5,
                                                                      "T_mult": 2}, "sgd", 0, epochs=frac))
    cases.append(run_case("CosineAnnealingWarmRestarts_jumps", {"type": "CosineAnnealingWarmRestarts", "T_0": 3},
                          "adam", 0, epochs=[float(e) for e in jumps]))
    for name, spec in [("StepLR", {"type": "StepLR", "step_size": 4}),
                       ("MultiStepLR", {"type": "MultiStepLR", "milestones": [3, 9, 9, 30]}),
                       ("ConstantLR", {"type": "ConstantLR", "factor": 0.5, "total_iters": 9}),
                       ("LinearLR", {"type": "LinearLR", "start_factor": 0.2, "total_iters": 20}),
                       ("ExponentialLR", {"type": "ExponentialLR", "gamma": 0.9}),
                       ("PolynomialLR", {"type": "PolynomialLR", "total_iters": 30, "power": 0.5}),
                       ("CosineAnnealingLR", {"type": "CosineAnnealingLR", "T_max": 20, "eta_min": 0.01})]:
        cases.append(run_case(name + "_closed_form", spec, "sgd", 0, epochs=jumps))
    return cases


# ---- swa_utils ------------------------------------------------------------------------------------------

# PORT: get_ema_multi_avg_fn / get_swa_multi_avg_fn (PyTorch >= 2.1) over float tensors: foreach lerp on the
# CPU is one lerp_ per tensor with a scalar weight.
def ema_multi(decay):
    def update(avg, cur, n):
        for a, c in zip(avg, cur):
            a.lerp_(c, 1 - decay)
    return update


def swa_multi():
    def update(avg, cur, n):
        w = (1 / (n + 1)).item()  # a float32 0-d tensor, passed on as a Python scalar
        for a, c in zip(avg, cur):
            a.lerp_(c, w)
    return update


def averaging_cases(dtype=torch.float32):
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 3).to(dtype)
    init = {k: v.detach().clone() for k, v in model.state_dict().items()}
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.5)
    grads = [{"weight": torch.randn(3, 4, dtype=dtype), "bias": torch.randn(3, dtype=dtype)} for _ in range(6)]

    kinds = {
        "swa_default": dict(),
        "ema_avg_fn": dict(avg_fn=lambda a, m, n: 0.9 * a + (1 - 0.9) * m),  # == get_ema_avg_fn(0.9)
        "swa_avg_fn": dict(avg_fn=lambda a, m, n: a + (m - a) / (n + 1)),    # == get_swa_avg_fn()
    }
    ports = {"ema_multi_avg_fn": ema_multi(0.9), "swa_multi_avg_fn": swa_multi()}
    averaged = {k: swa_utils.AveragedModel(model, **kw) for k, kw in kinds.items()}
    port_avg = {k: [p.detach().clone() for p in model.parameters()] for k in ports}
    port_n = 0
    out = {k: [] for k in list(kinds) + list(ports)}
    for step, g in enumerate(grads):
        opt.zero_grad()
        model.weight.grad = g["weight"].clone()
        model.bias.grad = g["bias"].clone()
        opt.step()
        for k, am in averaged.items():
            am.update_parameters(model)
            out[k].append([p.detach().reshape(-1).tolist() for p in am.module.parameters()])
        for k, fn in ports.items():
            cur = [p.detach() for p in model.parameters()]
            if port_n == 0:
                for a, c in zip(port_avg[k], cur):
                    a.copy_(c)
            else:
                fn(port_avg[k], cur, torch.tensor(port_n))
            out[k].append([a.reshape(-1).tolist() for a in port_avg[k]])
        port_n += 1
    # The port's SWA running mean must agree with 1.13's default AveragedModel.
    # (In float64 the port's weight, a float32 1/(n + 1), makes the two differ by about 1e-8.)
    for a, b in zip(out["swa_multi_avg_fn"][-1], out["swa_default"][-1]):
        assert max(abs(x - y) for x, y in zip(a, b)) < 1e-6
    return {
        "init": {k: v.reshape(-1).tolist() for k, v in init.items()},
        "lr": 0.1, "momentum": 0.5,
        "grads": [{k: v.reshape(-1).tolist() for k, v in g.items()} for g in grads],
        "averaged": out,
        "decay": 0.9,
    }


# ---- clipping ------------------------------------------------------------------------------------------

def clip_cases(dtypes=(torch.float32,) * 3):
    """dtypes: each gradient's (float32 throughout, float64 throughout, or mixed: the total norm is then float64)."""
    torch.manual_seed(3)
    shapes = [(4, 5), (7,), (2, 3, 2)]
    base = [torch.randn(*s, dtype=dt) * (i + 1) for i, (s, dt) in enumerate(zip(shapes, dtypes))]
    cases = []
    for norm_type in [2.0, 1.0, math.inf, 0.5, 3.0]:
        for max_norm in [0.5, 1e4]:
            params = [torch.nn.Parameter(torch.zeros(*s, dtype=dt)) for s, dt in zip(shapes, dtypes)]
            for p, g in zip(params, base):
                p.grad = g.clone()
            total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
            # PORT: get_total_norm + clip_grads_with_norm_ (2.6+) split the same computation in two.
            grads_only = [g.clone() for g in base]
            per = [torch.linalg.vector_norm(g, norm_type) for g in grads_only]
            total2 = torch.linalg.vector_norm(torch.stack(per), norm_type)
            assert total2.item() == total.item() or abs(total2.item() - total.item()) <= 1e-6 * total.item()
            cases.append({"norm_type": "inf" if norm_type == math.inf else norm_type, "max_norm": max_norm,
                          "total_norm": total.item(),
                          "clipped": [p.grad.reshape(-1).tolist() for p in params]})
            if dtypes != (torch.float32,) * 3:
                cases[-1]["total_dtype"] = str(total.dtype)
    value_cases = []
    for clip_value in [0.1, 1.0]:
        params = [torch.nn.Parameter(torch.zeros(*s, dtype=dt)) for s, dt in zip(shapes, dtypes)]
        for p, g in zip(params, base):
            p.grad = g.clone()
        torch.nn.utils.clip_grad_value_(params, clip_value)
        value_cases.append({"clip_value": clip_value, "clipped": [p.grad.reshape(-1).tolist() for p in params]})
    # Non-finite: the message with error_if_nonfinite, NaN gradients without it.
    p = torch.nn.Parameter(torch.zeros(3))
    p.grad = torch.tensor([1.0, float("inf"), 2.0])
    msgs = {}
    for norm_type in [2.0, math.inf]:
        try:
            torch.nn.utils.clip_grad_norm_([p], 1.0, norm_type, error_if_nonfinite=True)
        except RuntimeError as e:
            msgs["inf" if norm_type == math.inf else str(norm_type)] = str(e)
    q = torch.nn.Parameter(torch.zeros(3))
    q.grad = torch.tensor([1.0, float("inf"), 2.0])
    total = torch.nn.utils.clip_grad_norm_([q], 1.0)
    nonfinite = {"messages": msgs, "total_norm": str(total.item()), "clipped": [str(v) for v in q.grad.tolist()]}
    out = {"shapes": [list(s) for s in shapes], "grads": [g.reshape(-1).tolist() for g in base],
           "norm": cases, "value": value_cases, "nonfinite": nonfinite}
    if dtypes != (torch.float32,) * 3:
        out["dtypes"] = [str(dt) for dt in dtypes]
    return out


# ---- an end-to-end training loop ------------------------------------------------------------------------

class TutorialNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(1, 20)
        self.predict = torch.nn.Linear(20, 1)

    def forward(self, x):
        return self.predict(torch.relu(self.hidden(x)))


def tutorial_data(seed):
    torch.manual_seed(seed)
    x = torch.unsqueeze(torch.linspace(-1, 1, 1000), dim=1)
    y = x.pow(2) + 0.1 * torch.normal(torch.zeros(*x.size()))
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=32, shuffle=True)
    return loader


def training_cases():
    """The tutorial's data and 1-20-1 net, trained with a scheduler, clipping and an EMA copy."""
    loss_fn = torch.nn.MSELoss()
    # One-cycle SGD stepped per batch, gradient norm clipping, EMA of the weights.
    loader = tutorial_data(1)
    net = TutorialNet()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    sched = L.OneCycleLR(opt, max_lr=0.1, epochs=3, steps_per_epoch=len(loader))
    ema = swa_utils.AveragedModel(net, avg_fn=lambda a, m, n: 0.95 * a + (1 - 0.95) * m)
    one = {"losses": [], "norms": [], "lrs": [], "momenta": []}
    for epoch in range(3):
        for bx, by in loader:
            loss = loss_fn(net(bx), by)
            opt.zero_grad()
            loss.backward()
            norm = torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            ema.update_parameters(net)
            one["losses"].append(loss.item())
            one["norms"].append(norm.item())
            one["lrs"].append(opt.param_groups[0]["lr"])
            one["momenta"].append(opt.param_groups[0]["momentum"])
    one["ema"] = {k: v.reshape(-1).tolist() for k, v in ema.module.state_dict().items()}

    # Adam with ReduceLROnPlateau on the epoch's mean loss, gradient value clipping.
    loader = tutorial_data(2)
    net = TutorialNet()
    opt = torch.optim.Adam(net.parameters(), lr=0.05)
    sched = L.ReduceLROnPlateau(opt, patience=0, factor=0.5, threshold=0.05)
    two = {"losses": [], "epoch_lrs": []}
    for epoch in range(5):
        total, count = 0.0, 0
        for bx, by in loader:
            loss = loss_fn(net(bx), by)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_value_(net.parameters(), 0.05)
            opt.step()
            two["losses"].append(loss.item())
            total += loss.item()
            count += 1
        sched.step(total / count)
        two["epoch_lrs"].append(opt.param_groups[0]["lr"])
    return {"one_cycle_clip_ema": one, "plateau_clip_value": two}


def write_float64():
    out = os.path.join(os.path.dirname(OUT), "averaging_clipping_float64.json")
    data = {
        "generator": "tests/golden/gen_sched.py",
        "torch": torch.__version__,
        "averaging": averaging_cases(torch.float64),
        "clipping": clip_cases((torch.float64,) * 3),
        "clipping_mixed": clip_cases((torch.float32, torch.float64, torch.float32)),
    }
    with open(out, "w") as f:
        json.dump(data, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {out}")


def main():
    write_float64()
    if sys.argv[1:] == ["float64"]:
        return
    check_cyclic_port()
    data = {
        "generator": "tests/golden/gen_sched.py",
        "torch": torch.__version__,
        "schedulers": scheduler_cases(),
        "averaging": averaging_cases(),
        "clipping": clip_cases(),
        "training": training_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(data, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT}: {len(data['schedulers'])} scheduler cases")


if __name__ == "__main__":
    main()
