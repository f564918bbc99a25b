"""Writes the optimizer conformance vectors: replay specs with PyTorch's trajectory under "expected".

Usage: /usr/bin/python3 tests/golden/gen_optim.py           (PyTorch 1.13; writes tests/Descent.Tests/Golden/conformance/*.json)
       /usr/bin/python3 tests/golden/gen_optim.py float64   (rewrites only the float64 vectors, *.float64.*.json)

Each file is a spec in the format of docs/conformance.md plus "expected" ({"params", "lr", "loss"}), or, for a spec
PyTorch refuses while running, "expected_error" (its message). Diverging runs (*.diverge*, SGD.nonfinite_inputs) hold
NaN and infinities, written as Python's json writes them: NaN, Infinity, -Infinity.
The float64 vectors (*.float64.*.json, "dtype": "float64") repeat every optimizer case, rosenbrock, LBFGS, group and
scheduler case in float64, from their own random stream (the float32 vectors do not change when they are added);
their values are written at full double precision.
Where PyTorch 1.13 lacks what current PyTorch has, the trajectory comes from (see docs/optimizers.md):
  * Adam(decoupled_weight_decay=True): 1.13's AdamW with the same options (current PyTorch defines AdamW as exactly that);
  * NAdam (all options: current PyTorch also fixed mu_product_next), RAdam with maximize/decoupled_weight_decay,
    Adafactor and Muon: the ports below of current PyTorch's _single_tensor_* functions, run on 1.13 tensors.
"""
import json
import math
import os
import sys

import numpy as np
import torch
from torch.optim import Optimizer

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Descent.Tests", "Golden", "conformance")


# ----------------------------------------------------------------------------------------------------------------
# Ports of current PyTorch (torch/optim/{nadam,radam,_adafactor,_muon}.py, single-tensor paths) onto 1.13 tensors.

class PortNAdam(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
                 decoupled_weight_decay=False, maximize=False, foreach=None):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, momentum_decay=momentum_decay,
                                      decoupled_weight_decay=decoupled_weight_decay, maximize=maximize))

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
                    state["mu_product"] = torch.tensor(1.0)
                    state["exp_avg"] = torch.zeros_like(param)
                    state["exp_avg_sq"] = torch.zeros_like(param)
                grad = param.grad if not group["maximize"] else -param.grad
                exp_avg, exp_avg_sq, mu_product, step_t = state["exp_avg"], state["exp_avg_sq"], state["mu_product"], state["step"]
                step_t += 1
                step = step_t.item()
                bias_correction2 = 1 - beta2 ** step
                if wd != 0:
                    if group["decoupled_weight_decay"]:
                        param.mul_(1 - lr * wd)
                    else:
                        grad = grad.add(param, alpha=wd)
                mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * group["momentum_decay"])))
                mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * group["momentum_decay"])))
                mu_product *= mu
                exp_avg.lerp_(grad, 1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                denom = exp_avg_sq.div(bias_correction2).sqrt()
                mu_product_next = mu_product.item() * mu_next
                denom.add_(eps)
                param.addcdiv_(grad, denom, value=(-lr * (1.0 - mu) / (1.0 - mu_product.item())))
                param.addcdiv_(exp_avg, denom, value=(-lr * mu_next) / (1.0 - mu_product_next))


class PortRAdam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, decoupled_weight_decay=False,
                 maximize=False, foreach=None):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      decoupled_weight_decay=decoupled_weight_decay, maximize=maximize))

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
                grad = param.grad if not group["maximize"] else -param.grad
                exp_avg, exp_avg_sq, step_t = state["exp_avg"], state["exp_avg_sq"], state["step"]
                step_t += 1
                step = step_t.item()
                if wd != 0:
                    if group["decoupled_weight_decay"]:
                        param.mul_(1 - lr * wd)
                    else:
                        grad = grad.add(param, alpha=wd)
                exp_avg.lerp_(grad, 1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                bias_corrected_exp_avg = exp_avg / bias_correction1
                rho_inf = 2 / (1 - beta2) - 1
                rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
                if rho_t > 5.0:
                    rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                    adaptive = (bias_correction2 ** 0.5) / exp_avg_sq.sqrt().add_(eps)
                    param.add_(bias_corrected_exp_avg * lr * adaptive * rect, alpha=-1.0)
                else:
                    param.add_(bias_corrected_exp_avg * lr, alpha=-1.0)


class PortAdafactor(Optimizer):
    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0, maximize=False, foreach=None):
        super().__init__(params, dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d, weight_decay=weight_decay, maximize=maximize))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            eps1, eps2 = group["eps"]
            lr, wd, d, beta2_decay = group["lr"], group["weight_decay"], group["d"], group["beta2_decay"]
            for param in group["params"]:
                if param.grad is None:
                    continue
                state = self.state[param]
                if len(state) == 0:
                    state["step"] = torch.tensor(0.0)
                    if param.grad.dim() > 1:
                        row_shape = list(param.grad.shape)
                        row_shape[-1] = 1
                        state["row_var"] = param.grad.new_zeros(row_shape)
                        col_shape = list(param.grad.shape)
                        col_shape[-2] = 1
                        state["col_var"] = param.grad.new_zeros(col_shape)
                    else:
                        state["variance"] = torch.zeros_like(param.grad)
                grad = param.grad if not group["maximize"] else -param.grad
                step_t = state["step"]
                if eps1 is None:  # current PyTorch rebinds eps1 here: the group's first parameter's dtype decides
                    eps1 = torch.finfo(param.dtype).eps
                e1 = eps1
                step_t += 1
                step_float = step_t.item()
                one_minus_beta2_t = step_float ** beta2_decay
                rho_t = min(lr, 1 / (step_float ** 0.5))
                alpha = max(eps2, param.norm(2).item() / (param.numel() ** 0.5)) * rho_t
                if wd != 0:
                    param.mul_(1 - lr * wd)
                if grad.dim() > 1:
                    row_var, col_var = state["row_var"], state["col_var"]
                    row_mean = torch.linalg.vector_norm(grad, dim=-1, keepdim=True).square_().div_(grad.size(-1))
                    row_var.lerp_(row_mean, one_minus_beta2_t)
                    col_mean = torch.linalg.vector_norm(grad, dim=-2, keepdim=True).square_().div_(grad.size(-2))
                    col_var.lerp_(col_mean, one_minus_beta2_t)
                    var_estimate = row_var @ col_var
                    var_estimate.div_(row_var.mean(dim=-2, keepdim=True).clamp_(min=e1))
                else:
                    variance = state["variance"]
                    variance.lerp_(grad * grad, one_minus_beta2_t)
                    var_estimate = variance.clone()
                update = var_estimate.clamp_(min=e1 * e1).rsqrt_()
                update.mul_(grad)
                denom = max(1.0, update.norm(2).item() / ((update.numel() ** 0.5) * d))
                param.add_(update, alpha=-alpha / denom)


def _bf(x):
    # One bfloat16 op of current PyTorch's CPU kernels: computed in float32 (the op math type), rounded to bfloat16.
    return x.bfloat16().float()


def _zeropower_via_newtonschulz(grad, ns_coefficients, ns_steps, eps, use_addmm):
    # Current PyTorch runs this in bfloat16 with float32 accumulation. PyTorch 1.13's CPU bfloat16 matmul
    # accumulates differently, so the port spells each bfloat16 op out as float32 math rounded to bfloat16.
    a, b, c = ns_coefficients
    ortho_grad = _bf(grad)
    if grad.size(0) > grad.size(1):
        ortho_grad = ortho_grad.T
    ortho_grad = _bf(ortho_grad / torch.clamp(_bf(ortho_grad.norm()), min=_bf(torch.tensor(eps)).item()))
    if use_addmm:
        for _ in range(ns_steps):
            gram_matrix = _bf(ortho_grad @ ortho_grad.T)
            gram_update = _bf(torch.addmm(gram_matrix, gram_matrix, gram_matrix, beta=b, alpha=c))
            ortho_grad = _bf(torch.addmm(ortho_grad, gram_update, ortho_grad, beta=a))
    else:
        for _ in range(ns_steps):
            gram_matrix = _bf(ortho_grad @ ortho_grad.T)
            gram_update = _bf(_bf(b * gram_matrix) + _bf(_bf(c * gram_matrix) @ gram_matrix))
            ortho_grad = _bf(_bf(a * ortho_grad) + _bf(gram_update @ ortho_grad))
    if grad.size(0) > grad.size(1):
        ortho_grad = ortho_grad.T
    return ortho_grad


def _adjust_lr(lr, adjust_lr_fn, param_shape):
    A, B = param_shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        adjusted_ratio = math.sqrt(max(1, A / B))
    elif adjust_lr_fn == "match_rms_adamw":
        adjusted_ratio = 0.2 * math.sqrt(max(A, B))
    else:
        adjusted_ratio = 1.0
    return lr * adjusted_ratio


class PortMuon(Optimizer):
    def __init__(self, params, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=(3.4445, -4.7750, 2.0315), eps=1e-7, ns_steps=5, adjust_lr_fn=None, use_addmm=False):
        super().__init__(params, dict(lr=lr, weight_decay=weight_decay, momentum=momentum, nesterov=nesterov,
                                      ns_coefficients=ns_coefficients, eps=eps, ns_steps=ns_steps,
                                      adjust_lr_fn=adjust_lr_fn, use_addmm=use_addmm))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            lr, wd, momentum = group["lr"], group["weight_decay"], group["momentum"]
            for param in group["params"]:
                if param.grad is None:
                    continue
                grad = param.grad
                state = self.state[param]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = torch.zeros_like(grad)
                buf = state["momentum_buffer"]
                buf.lerp_(grad, 1 - momentum)
                update = grad.lerp(buf, momentum) if group["nesterov"] else buf
                update = _zeropower_via_newtonschulz(update, group["ns_coefficients"], group["ns_steps"], group["eps"], group["use_addmm"])
                update = update.contiguous()
                adjusted_lr = _adjust_lr(lr, group["adjust_lr_fn"], param.shape)
                param.mul_(1 - lr * wd)
                param.add_(update, alpha=-adjusted_lr)


# ----------------------------------------------------------------------------------------------------------------

def make_optimizer(name, groups, options):
    kw = {k: tuple(v) if isinstance(v, list) else v for k, v in options.items()}
    if name == "SGD":
        kw.setdefault("lr", 1e-3)  # 1.13's SGD has no default lr; current PyTorch's is 1e-3
    if name == "Adam" and kw.pop("decoupled_weight_decay", False):
        return torch.optim.AdamW(groups, **kw)  # current PyTorch: AdamW is Adam(decoupled_weight_decay=True)
    if name == "NAdam":
        return PortNAdam(groups, **kw)
    if name == "RAdam" and ("maximize" in kw or "decoupled_weight_decay" in kw):
        return PortRAdam(groups, **kw)
    if name == "Adafactor":
        return PortAdafactor(groups, **kw)
    if name == "Muon":
        return PortMuon(groups, **kw)
    return getattr(torch.optim, name)(groups, **kw)


def make_scheduler(spec, opt):
    kw = {k: tuple(v) if isinstance(v, list) and k not in ("milestones", "max_lr", "base_lr", "min_lr", "swa_lr") else v
          for k, v in spec.get("options", {}).items()}
    name = spec["name"]
    if name == "SWALR":
        return torch.optim.swa_utils.SWALR(opt, **kw)
    return getattr(torch.optim.lr_scheduler, name)(opt, **kw)


def f32list(t):
    # Shortest decimal that rounds back to the same float32: keeps the files small and exact.
    return [float(str(np.float32(v))) for v in t.detach().reshape(-1).tolist()]


# The dtype of the vectors being written (main sets float64 for the second pass) and its random stream.
DT = torch.float32


def vals(t):
    """A tensor's values as written in the current dtype's vectors: float32 in shortest form, float64 exactly."""
    return f32list(t) if DT == torch.float32 else [float(v) for v in t.detach().reshape(-1).tolist()]


def rosenbrock(ps):
    z = torch.cat([p.reshape(-1) for p in ps])
    return ((1 - z[:-1]) ** 2 + 100 * (z[1:] - z[:-1] ** 2) ** 2).sum()


def run(spec):
    dtype = torch.float64 if spec.get("dtype") == "float64" else torch.float32
    out = f32list if dtype == torch.float32 else (lambda t: [float(v) for v in t.detach().reshape(-1).tolist()])
    ps = [torch.tensor(p["values"], dtype=dtype).reshape(p["shape"]).requires_grad_() for p in spec["params"]]
    if "groups" in spec:
        groups = []
        for g in spec["groups"]:
            d = {k: tuple(v) if isinstance(v, list) else v for k, v in g.get("options", {}).items()}
            d["params"] = [ps[i] for i in g["params"]]
            groups.append(d)
    else:
        groups = [{"params": ps}]
    opt = make_optimizer(spec["optimizer"]["name"], groups, spec["optimizer"].get("options", {}))
    sched = make_scheduler(spec["scheduler"], opt) if "scheduler" in spec else None
    expected = {"params": [], "lr": []}
    objective = spec["objective"]
    if objective["name"] == "rosenbrock":
        expected["loss"] = []

    def closure():
        opt.zero_grad()
        loss = rosenbrock(ps)
        loss.backward()
        return loss

    for step in range(spec["steps"]):
        if objective["name"] == "rosenbrock":
            if isinstance(opt, torch.optim.LBFGS):
                loss = opt.step(closure)
            else:
                loss = closure()
                opt.step()
            expected["loss"].append(out(loss)[0])
        else:
            for p, g in zip(ps, objective["grads"][step]):
                p.grad = torch.tensor(g, dtype=dtype).reshape(p.shape)
                if isinstance(opt, torch.optim.SparseAdam):
                    p.grad = p.grad.to_sparse(1)  # all-zero rows are absent, as Descent reads them
            opt.step()
        if sched is not None:
            if isinstance(sched, torch.optim.lr_scheduler.ReduceLROnPlateau):
                sched.step(loss.item())
            else:
                sched.step()
        expected["params"].append([v for p in ps for v in out(p)])
        expected["lr"].append([g["lr"] for g in opt.param_groups])
    return expected


gen = torch.Generator().manual_seed(1234)
gen64 = torch.Generator().manual_seed(6464)


def generator():
    return gen if DT == torch.float32 else gen64


def rand(*shape, scale=1.0):
    return torch.randn(tuple(shape), generator=generator(), dtype=DT) * scale


def param_specs(shapes):
    return [{"shape": list(s), "values": vals(rand(*s))} for s in shapes]


def random_grads(params, steps, sparse_rows=False):
    out = []
    for _ in range(steps):
        step = []
        for p in params:
            g = rand(*p["shape"])
            if sparse_rows and len(p["shape"]) >= 1:
                keep = torch.rand((p["shape"][0],), generator=generator()) < 0.5
                keep[0] = True  # at least one row present
                g[~keep] = 0
            step.append(vals(g))
        out.append(step)
    return out


MIXED = [(), (5,), (3, 4)]
written = []


def write(fname, spec, nonfinite=False):
    if DT == torch.float64:
        name, rest = fname.split(".", 1)
        fname = f"{name}.float64.{rest}"
        spec = {"dtype": "float64", **spec}
    spec["expected"] = run(spec)
    if nonfinite:
        # A diverging run must really reach NaN or an infinity, or it shows nothing.
        e = spec["expected"]
        assert any(not math.isfinite(v) for v in [x for row in e["params"] for x in row] + e.get("loss", [])), fname
    with open(os.path.join(OUT, fname + ".json"), "w") as f:
        json.dump(spec, f, separators=(",", ":"), allow_nan=nonfinite)
    written.append(fname)


def error_case(fname, spec):
    """A spec PyTorch refuses while running: its message under "expected_error" instead of a trajectory."""
    try:
        run(spec)
    except RuntimeError as e:
        spec["expected_error"] = str(e)
    else:
        raise AssertionError(f"{fname}: PyTorch ran it")
    with open(os.path.join(OUT, fname + ".json"), "w") as f:
        json.dump(spec, f, separators=(",", ":"), allow_nan=False)
    written.append(fname)


def grads_case(name, options, label, shapes=MIXED, steps=20, groups=None, sparse=False, nonfinite=False):
    params = param_specs(shapes)
    spec = {"optimizer": {"name": name, "options": options}, "params": params, "steps": steps,
            "objective": {"name": "grads", "grads": random_grads(params, steps, sparse)}}
    if groups is not None:
        spec["groups"] = groups
    write(f"{name}.{label}", spec, nonfinite)


def rosen_case(name, options, label, steps=80, shapes=((2,), (2, 2)), start=None, nonfinite=False):
    values = start or [-1.2, 1.0, -0.8, 0.9, 1.1, 0.5]
    params, o = [], 0
    for s in shapes:
        n = int(np.prod(s)) if len(s) else 1
        params.append({"shape": list(s), "values": values[o:o + n]})
        o += n
    spec = {"optimizer": {"name": name, "options": options}, "params": params, "steps": steps, "objective": {"name": "rosenbrock"}}
    write(f"{name}.rosenbrock.{label}", spec, nonfinite)


CASES = {
    "SGD": ([({}, "default"), ({"lr": 0.05, "momentum": 0.9}, "momentum"), ({"lr": 0.05, "momentum": 0.9, "dampening": 0.5}, "dampening"),
             ({"lr": 0.05, "momentum": 0.9, "nesterov": True}, "nesterov"), ({"lr": 0.05, "weight_decay": 0.1}, "weight_decay"),
             ({"lr": 0.05, "maximize": True, "momentum": 0.5}, "maximize"), ({"lr": 0.05, "foreach": False}, "foreach_false")],
            [({"lr": 1e-3, "momentum": 0.9}, "momentum")]),
    "Adam": ([({}, "default"), ({"lr": 0.01, "amsgrad": True}, "amsgrad"), ({"lr": 0.01, "maximize": True}, "maximize"),
              ({"lr": 0.01, "weight_decay": 0.1}, "weight_decay"), ({"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}, "decoupled"),
              ({"lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-6}, "betas_eps"), ({"lr": 0.01, "foreach": False}, "foreach_false")],
             [({"lr": 0.02}, "default"), ({"lr": 0.02, "amsgrad": True}, "amsgrad")]),
    "AdamW": ([({}, "default"), ({"lr": 0.01, "amsgrad": True}, "amsgrad"), ({"lr": 0.01, "maximize": True}, "maximize"),
               ({"lr": 0.01, "weight_decay": 0.5}, "weight_decay")],
              [({"lr": 0.02}, "default")]),
    "Adadelta": ([({}, "default"), ({"rho": 0.5}, "rho"), ({"weight_decay": 0.1}, "weight_decay"), ({"maximize": True}, "maximize"),
                  ({"eps": 1e-3, "lr": 0.5}, "eps")],
                 [({"lr": 1.0}, "default")]),
    "Adagrad": ([({}, "default"), ({"lr_decay": 0.1}, "lr_decay"), ({"initial_accumulator_value": 0.5}, "initial_accumulator_value"),
                 ({"weight_decay": 0.1}, "weight_decay"), ({"maximize": True}, "maximize"), ({"eps": 1e-3}, "eps")],
                [({"lr": 0.1}, "default")]),
    "Adamax": ([({}, "default"), ({"weight_decay": 0.1}, "weight_decay"), ({"maximize": True}, "maximize"),
                ({"betas": [0.5, 0.9], "lr": 0.01}, "betas")],
               [({"lr": 0.02}, "default")]),
    "ASGD": ([({}, "default"), ({"t0": 5}, "t0"), ({"lambd": 0.1, "alpha": 0.5, "lr": 0.05}, "lambd_alpha"),
              ({"weight_decay": 0.1}, "weight_decay"), ({"maximize": True, "t0": 3}, "maximize")],
             [({"lr": 1e-3, "t0": 20}, "default")]),
    "NAdam": ([({}, "default"), ({"momentum_decay": 0.1}, "momentum_decay"), ({"weight_decay": 0.1}, "weight_decay"),
               ({"weight_decay": 0.1, "decoupled_weight_decay": True, "lr": 0.01}, "decoupled"), ({"maximize": True}, "maximize")],
              [({"lr": 0.02}, "default")]),
    "RAdam": ([({}, "default"), ({"weight_decay": 0.1}, "weight_decay"), ({"weight_decay": 0.1, "decoupled_weight_decay": True, "lr": 0.01}, "decoupled"),
               ({"maximize": True}, "maximize"), ({"betas": [0.9, 0.9], "lr": 0.01}, "betas")],
              [({"lr": 1e-3}, "default")]),
    "RMSprop": ([({}, "default"), ({"centered": True}, "centered"), ({"momentum": 0.9}, "momentum"),
                 ({"centered": True, "momentum": 0.5}, "centered_momentum"), ({"weight_decay": 0.1}, "weight_decay"),
                 ({"maximize": True}, "maximize"), ({"alpha": 0.5}, "alpha")],
                [({"lr": 1e-3}, "default"), ({"lr": 1e-3, "centered": True, "momentum": 0.5}, "centered_momentum")]),
    "Rprop": ([({}, "default"), ({"etas": [0.3, 1.5]}, "etas"), ({"step_sizes": [1e-3, 0.02]}, "step_sizes"), ({"maximize": True}, "maximize")],
              [({"lr": 1e-3}, "default")]),
    "Adafactor": ([({}, "default"), ({"weight_decay": 0.1}, "weight_decay"), ({"maximize": True}, "maximize"),
                   ({"eps": [1e-30, 1e-3]}, "eps"), ({"d": 2.0, "beta2_decay": -0.5, "lr": 0.05}, "d_beta2_decay")],
                  [({"lr": 0.01}, "default")]),
}


def sched_case(opt_name, opt_options, sched_name, sched_options, label, steps=60, rosen=False):
    """An optimizer driven by a scheduler stepped after every optimizer step (two groups with different lrs)."""
    if rosen:
        params = [{"shape": [2], "values": [-1.2, 1.0]}, {"shape": [2], "values": [-0.8, 0.9]}]
        objective = {"name": "rosenbrock"}
    else:
        params = param_specs([(5,), (3, 2)])
        objective = {"name": "grads", "grads": random_grads(params, steps)}
    groups = [{"params": [0], "options": {}}, {"params": [1], "options": {"lr": opt_options.get("lr", 0.01) * 0.5}}]
    spec = {"optimizer": {"name": opt_name, "options": opt_options}, "params": params, "groups": groups, "steps": steps,
            "objective": objective, "scheduler": {"name": sched_name, "options": sched_options}}
    write(f"{opt_name}.{sched_name}.{label}", spec)


SCHEDULER_CASES = [
    ("SGD", {"lr": 0.05, "momentum": 0.9}, "StepLR", {"step_size": 7, "gamma": 0.5}, "default", False),
    ("SGD", {"lr": 0.05}, "MultiStepLR", {"milestones": [5, 12, 30], "gamma": 0.3}, "default", False),
    ("Adam", {"lr": 0.01}, "ConstantLR", {"factor": 0.25, "total_iters": 9}, "default", False),
    ("Adam", {"lr": 0.01}, "LinearLR", {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 20}, "default", False),
    ("RMSprop", {"lr": 0.01}, "ExponentialLR", {"gamma": 0.95}, "default", False),
    ("SGD", {"lr": 0.05, "momentum": 0.5}, "PolynomialLR", {"total_iters": 40, "power": 2.0}, "default", False),
    ("Adam", {"lr": 0.02}, "CosineAnnealingLR", {"T_max": 25, "eta_min": 0.001}, "default", False),
    ("SGD", {"lr": 0.05, "momentum": 0.9}, "CosineAnnealingWarmRestarts", {"T_0": 7, "T_mult": 2, "eta_min": 0.002}, "default", False),
    ("SGD", {"lr": 0.05, "momentum": 0.9}, "CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 6, "mode": "triangular2"}, "triangular2", False),
    ("SGD", {"lr": 0.05, "momentum": 0.9}, "CyclicLR", {"base_lr": [0.01, 0.005], "max_lr": [0.1, 0.05], "step_size_up": 5, "step_size_down": 9, "mode": "exp_range", "gamma": 0.97}, "exp_range", False),
    ("Adam", {"lr": 0.01}, "OneCycleLR", {"max_lr": 0.05, "total_steps": 60}, "default", False),
    ("SGD", {"lr": 0.05, "momentum": 0.9}, "OneCycleLR", {"max_lr": [0.1, 0.05], "total_steps": 60, "anneal_strategy": "linear", "three_phase": True}, "three_phase", False),
    ("Adam", {"lr": 0.02}, "ReduceLROnPlateau", {"factor": 0.5, "patience": 2, "threshold": 0.01}, "default", True),
    ("SGD", {"lr": 1e-3, "momentum": 0.9}, "ReduceLROnPlateau", {"mode": "min", "factor": 0.3, "patience": 1, "cooldown": 2, "threshold_mode": "abs", "threshold": 0.5, "min_lr": [1e-4, 2e-4]}, "abs_cooldown", True),
    ("SGD", {"lr": 0.05}, "SWALR", {"swa_lr": 0.01, "anneal_epochs": 8, "anneal_strategy": "linear"}, "linear", False),
]


def main():
    global DT
    only64 = sys.argv[1:] == ["float64"]
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".json") and (not only64 or ".float64." in f):
            os.remove(os.path.join(OUT, f))
    if not only64:
        common_cases()
        float32_cases()
    DT = torch.float64
    common_cases()
    total = sum(os.path.getsize(os.path.join(OUT, f + ".json")) for f in written)
    print(f"wrote {len(written)} vectors, {total / 1e6:.2f} MB, to {os.path.normpath(OUT)}")


def common_cases():
    """Every optimizer and option, rosenbrock, LBFGS, groups and schedulers: in the current dtype."""
    for name, (grad_cases, rosen_cases) in CASES.items():
        for options, label in grad_cases:
            grads_case(name, options, label)
        for options, label in rosen_cases:
            rosen_case(name, options, label)

    # Adafactor on a 3-D tensor: factored over the last two dimensions, batched over the first.
    grads_case("Adafactor", {}, "batched3d", shapes=[(2, 3, 4), (4,)])

    # SparseAdam: row-sparse gradients (absent rows are all-zero rows).
    for options, label in [({}, "default"), ({"lr": 0.01, "maximize": True}, "maximize"), ({"lr": 0.01, "betas": [0.5, 0.9], "eps": 1e-4}, "betas_eps")]:
        grads_case("SparseAdam", options, label, shapes=[(6, 3), (5,)], sparse=True)

    # Muon: 2-D only; a wide and a tall matrix (the tall one is orthogonalized transposed).
    for options, label in [({}, "default"), ({"lr": 0.02, "nesterov": False}, "no_nesterov"),
                           ({"lr": 0.02, "adjust_lr_fn": "match_rms_adamw"}, "match_rms_adamw"),
                           ({"lr": 0.02, "use_addmm": True}, "use_addmm"), ({"lr": 0.02, "weight_decay": 0.0, "momentum": 0.5}, "momentum")]:
        grads_case("Muon", options, label, shapes=[(3, 4), (5, 2)])
    rosen_case("Muon", {"lr": 0.01}, "default", steps=50, shapes=((2, 3),))

    # LBFGS on rosenbrock: plain and strong Wolfe, short history, few iterations per step.
    # Rosenbrock's narrow valley amplifies last-bit differences (dot-product order) from iteration to iteration,
    # so these start near the valley floor and take short steps.
    near = [0.8, 0.65, 0.9, 0.8, 1.1, 1.2]
    rosen_case("LBFGS", {"lr": 0.1, "max_iter": 3}, "default", steps=10, start=near)
    rosen_case("LBFGS", {"line_search_fn": "strong_wolfe", "max_iter": 2}, "strong_wolfe", steps=10, start=near)
    rosen_case("LBFGS", {"history_size": 3, "max_iter": 2, "lr": 0.1}, "history", steps=20, start=near)
    rosen_case("LBFGS", {"line_search_fn": "strong_wolfe", "history_size": 4, "max_iter": 2}, "strong_wolfe_history", steps=10, start=near)

    # Several parameter groups with different options.
    grads_case("SGD", {"lr": 0.01}, "groups", groups=[{"params": [0, 2], "options": {"momentum": 0.9, "nesterov": True}},
                                                      {"params": [1], "options": {"lr": 0.1, "weight_decay": 0.01}}])
    grads_case("Adam", {"lr": 0.01}, "groups", groups=[{"params": [0], "options": {"amsgrad": True, "betas": [0.5, 0.9]}},
                                                       {"params": [1, 2], "options": {"lr": 0.05, "weight_decay": 0.1}}])
    grads_case("RMSprop", {"lr": 0.01}, "groups", groups=[{"params": [2], "options": {"centered": True}},
                                                          {"params": [0, 1], "options": {"momentum": 0.9, "alpha": 0.9}}])
    grads_case("Adagrad", {"lr": 0.1}, "groups", groups=[{"params": [0, 1], "options": {"lr_decay": 0.01}},
                                                         {"params": [2], "options": {"eps": 1e-3}}])
    grads_case("NAdam", {"lr": 0.01}, "groups", groups=[{"params": [0, 1], "options": {"decoupled_weight_decay": True, "weight_decay": 0.1}},
                                                        {"params": [2], "options": {"momentum_decay": 0.01}}])
    # Schedulers stepped after every optimizer step (ReduceLROnPlateau gets the rosenbrock loss).
    for case in SCHEDULER_CASES:
        sched_case(*case[:5], rosen=case[5])


def float32_cases():
    """Runs that diverge, non-finite inputs, and one PyTorch refuses (float32's range is what they probe)."""
    # Diverging runs: the trajectory reaches ±inf and NaN, and Descent must write and match it value for value.
    # lr stays within float32's range (PyTorch passes -lr as a float32 alpha; see SGD.overflow_lr below).
    nan, inf = float("nan"), float("inf")
    grads_case("SGD", {"lr": 3e38}, "diverge_lr", steps=6, nonfinite=True)
    grads_case("SGD", {"lr": 0.05, "momentum": nan}, "diverge_momentum_nan", steps=6, nonfinite=True)
    grads_case("Adam", {"lr": 3e37}, "diverge_lr", steps=16, nonfinite=True)
    rosen_case("SGD", {"lr": 0.01}, "diverge", steps=8, nonfinite=True)
    # Non-finite values in the spec itself: initial parameters and gradients.
    params = [{"shape": [3], "values": [inf, -inf, nan]}, {"shape": [2, 2], "values": [1.0, -2.0, 0.5, 4.0]}]
    grads = random_grads(params, 4)
    grads[0][1] = [nan, inf, -inf, 1.0]
    write("SGD.nonfinite_inputs", {"optimizer": {"name": "SGD", "options": {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01}},
                                   "params": params, "steps": 4, "objective": {"name": "grads", "grads": grads}}, nonfinite=True)
    # lr 1e308 does not diverge in PyTorch: it refuses the float32 alpha -lr at the first step.
    params = param_specs([(3,)])
    error_case("SGD.overflow_lr", {"optimizer": {"name": "SGD", "options": {"lr": 1e308}}, "params": params, "steps": 3,
                                   "objective": {"name": "grads", "grads": random_grads(params, 3)}})


if __name__ == "__main__":
    main()
