"""What PyTorch prints for an optimizer, its state dict and a parameter group, for OptimizerPrintTests.

Usage: /usr/bin/python3 tests/golden/gen_optim_print.py > tests/Descent.Tests/Golden/optim_print.json

Each case builds an optimizer with PyTorch 1.13 and records print(optimizer), print(optimizer.param_groups[0]) and
print(optimizer.state_dict()). Descent follows current PyTorch's group keys, which 1.13 lacks in part (fused,
decoupled_weight_decay, capturable, ...), and current PyTorch's defaults (SGD's lr=1e-3, which 1.13 requires), so
before printing each group is rebuilt as current PyTorch builds it: 'params', then the options the group itself
gave, then every default in CURRENT's order, the 1.13 value where 1.13 has the key, else current PyTorch's default.
Adafactor and Muon, which 1.13 lacks, are stand-ins with current PyTorch's signature (they are printed, not stepped).
The Python type of every value is what the constructors were given or default to: weight_decay=0 prints as 0.
"""
import json

import torch
from torch.optim import Optimizer

# Current PyTorch's defaults, in its order; values only for the keys 1.13 lacks or has a different default for.
CURRENT = {
    "SGD": ["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach", "differentiable", "fused"],
    "Adam": ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "foreach", "capturable", "differentiable",
             "fused", "decoupled_weight_decay"],
    "AdamW": ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "foreach", "capturable", "differentiable",
              "fused", "decoupled_weight_decay"],
    "Adadelta": ["lr", "rho", "eps", "weight_decay", "maximize", "capturable", "foreach", "differentiable"],
    "Adagrad": ["lr", "lr_decay", "eps", "weight_decay", "initial_accumulator_value", "foreach", "maximize",
                "differentiable", "fused"],
    "Adamax": ["lr", "betas", "eps", "weight_decay", "foreach", "maximize", "differentiable", "capturable"],
    "ASGD": ["lr", "lambd", "alpha", "t0", "weight_decay", "foreach", "maximize", "differentiable", "capturable"],
    "NAdam": ["lr", "betas", "eps", "weight_decay", "momentum_decay", "decoupled_weight_decay", "maximize", "foreach",
              "capturable", "differentiable"],
    "RAdam": ["lr", "betas", "eps", "weight_decay", "maximize", "foreach", "capturable", "decoupled_weight_decay",
              "differentiable"],
    "RMSprop": ["lr", "momentum", "alpha", "eps", "centered", "weight_decay", "capturable", "foreach", "maximize",
                "differentiable"],
    "Rprop": ["lr", "etas", "step_sizes", "foreach", "maximize", "differentiable", "capturable"],
    "LBFGS": ["lr", "max_iter", "max_eval", "tolerance_grad", "tolerance_change", "history_size", "line_search_fn"],
    "SparseAdam": ["lr", "betas", "eps", "maximize"],
}
EXTRA = {"foreach": None, "capturable": False, "differentiable": False, "fused": None, "maximize": False,
         "decoupled_weight_decay": False}
EXTRA_FOR = {"AdamW": {"decoupled_weight_decay": True}}
# Defaults 1.13 has under another value: its Adam family defaults fused to False, current PyTorch to None.
CHANGED = {"fused": None}


class Adafactor(Optimizer):
    """Current torch.optim.Adafactor's constructor (1.13 has none)."""

    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0, *,
                 foreach=None, maximize=False):
        super().__init__(params, dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d, weight_decay=weight_decay,
                                      foreach=foreach, maximize=maximize))


class Muon(Optimizer):
    """torch.optim.Muon's constructor as Descent ports it (1.13 has none)."""

    def __init__(self, params, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=(3.4445, -4.775, 2.0315), eps=1e-7, ns_steps=5, adjust_lr_fn=None, use_addmm=False):
        super().__init__(params, dict(lr=lr, weight_decay=weight_decay, momentum=momentum, nesterov=nesterov,
                                      ns_coefficients=ns_coefficients, eps=eps, ns_steps=ns_steps,
                                      adjust_lr_fn=adjust_lr_fn, use_addmm=use_addmm))


CLASSES = {"Adafactor": Adafactor, "Muon": Muon}

PARAMS = [([2, 2], [0.5, -1.25, 2.0, 0.125]), ([3], [1.0, -2.0, 0.25])]
GRADS = [[0.25, -0.5, 1.0, 2.0], [-1.0, 0.5, 0.125]]


def current_groups(opt, name, given):
    keys = CURRENT.get(name)
    if keys is None:
        return
    extra = dict(EXTRA, **EXTRA_FOR.get(name, {}))
    for group, own in zip(opt.param_groups, given):
        missing = set(group) - set(keys) - {"params", "initial_lr"}
        assert not missing, (name, missing)
        rebuilt = {"params": group["params"]}
        for k in own:
            rebuilt[k] = group[k]
        for k in keys:
            if k not in rebuilt:
                rebuilt[k] = CHANGED[k] if k in CHANGED else group[k] if k in group else extra[k]
        if "initial_lr" in group:
            rebuilt["initial_lr"] = group["initial_lr"]
        group.clear()
        group.update(rebuilt)


def case(name, optimizer, kwargs=None, groups=None, steps=0, scheduler=None):
    kwargs = kwargs or {}
    groups = groups or [{"params": [0]}]
    params = [torch.tensor(data).reshape(shape).requires_grad_() for shape, data in PARAMS]
    torch_groups = [dict(g, params=[params[i] for i in g["params"]]) for g in groups]
    cls = CLASSES.get(optimizer) or getattr(torch.optim, optimizer)
    make_kwargs = dict(kwargs)
    if optimizer == "SGD" and "lr" not in make_kwargs:
        make_kwargs["lr"] = 1e-3  # current PyTorch's default; 1.13 requires it
    opt = cls(torch_groups, **make_kwargs)
    sched = None
    if scheduler is not None:
        sched = getattr(torch.optim.lr_scheduler, scheduler["name"])(opt, **scheduler["kwargs"])
    for _ in range(steps):
        for p, g in zip(params, GRADS):
            p.grad = torch.tensor(g).reshape(p.shape)
        opt.step()
        if sched is not None:
            sched.step()
    current_groups(opt, optimizer, [[k for k in g if k != "params"] for g in groups])
    if optimizer == "SGD":
        # Current SGD keeps no state without momentum; 1.13 keeps momentum_buffer None.
        for g in opt.param_groups:
            if g["momentum"] == 0:
                for p in g["params"]:
                    opt.state.pop(p, None)
    return {
        "name": name, "optimizer": optimizer, "kwargs": kwargs, "groups": groups, "steps": steps,
        "scheduler": scheduler,
        "print": repr(opt),
        "param_group": repr(opt.param_groups[0]),
        "state_dict": repr(opt.state_dict()),
    }


cases = [
    case("SGD", "SGD"),
    case("SGD given values", "SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 1e-4, "nesterov": True}),
    case("SGD whole values given as ints", "SGD", {"lr": 0.5, "momentum": 0, "weight_decay": 5}),
    case("SGD two groups after a step", "SGD", {"lr": 0.1, "momentum": 0.9},
         [{"params": [0]}, {"params": [1], "weight_decay": 0.01, "lr": 0.05}], steps=1),
    case("Adam", "Adam"),
    case("Adam after two steps", "Adam", {"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.1, "amsgrad": True},
         [{"params": [0, 1]}], steps=2),
    case("AdamW", "AdamW"),
    case("Adadelta", "Adadelta"),
    case("Adagrad", "Adagrad"),
    case("Adamax", "Adamax"),
    case("ASGD", "ASGD"),
    case("NAdam", "NAdam"),
    case("RAdam", "RAdam"),
    case("RMSprop", "RMSprop"),
    case("Rprop", "Rprop"),
    case("LBFGS", "LBFGS"),
    case("LBFGS strong_wolfe", "LBFGS", {"line_search_fn": "strong_wolfe", "history_size": 10}),
    case("SparseAdam", "SparseAdam"),
    case("Adafactor", "Adafactor"),
    case("Muon", "Muon"),
    case("SGD with StepLR", "SGD", {"lr": 0.1}, steps=1, scheduler={"name": "StepLR", "kwargs": {"step_size": 1, "gamma": 0.5}}),
]

print(json.dumps({"torch": torch.__version__, "params": PARAMS, "grads": GRADS, "cases": cases}, indent=1))
