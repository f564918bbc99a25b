"""Writes the differentiable-step vectors: an optimizer made with differentiable=True steps a non-leaf parameter,
and a loss of the stepped parameter is differentiated back through the steps.

Usage: /usr/bin/python3 tests/golden/gen_differentiable.py   (PyTorch 1.13; writes tests/Descent.Tests/Golden/differentiable.json)

Each case: a leaf w (requires grad) and a leaf u (requires grad); p = w.clone() (a non-leaf, which an optimizer
made with differentiable=True accepts); at step k, p.grad = G[k] + u * c[k] (a gradient that itself depends on u);
after the steps, loss = sum(p * a) + 0.5 * sum(p * p); loss.backward(). Recorded: p after the steps, w.grad, u.grad.
Three steps, but one with amsgrad: PyTorch's amsgrad step saves exp_avg_sq for torch.maximum's backward and the next
step's exp_avg_sq.mul_ modifies it, so backward through two such steps fails in PyTorch ("modified by an inplace
operation") whenever the second moment requires grad.

The steps are current PyTorch's single-tensor functions with differentiable=True, ported onto 1.13 tensors (the
pattern of gen_optim.py): SGD's `_single_tensor_sgd` (1.13's is the same, and the script checks its port against
1.13's class), and Adam's `_single_tensor_adam`, whose differentiable path is the capturable one (bias corrections
from a float32 step tensor), with current PyTorch's `exp_avg.lerp_(grad, 1 - beta1)` (1.13: mul_/add_); AdamW is
Adam(decoupled_weight_decay=True), as in current PyTorch.
"""
import json
import os

import torch

OUT = os.path.join("tests", "Descent.Tests", "Golden", "differentiable.json")
STEPS = 3


def sgd_step(params, state, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False):
    for param in params:
        grad = param.grad if not maximize else -param.grad
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        if momentum != 0:
            buf = state.get(param)
            if buf is None:
                buf = torch.clone(grad).detach()
                state[param] = buf
            else:
                buf.mul_(momentum).add_(grad, alpha=1 - dampening)
            grad = grad.add(buf, alpha=momentum) if nesterov else buf
        param.add_(grad, alpha=-lr)


def adam_step(params, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False,
              decoupled_weight_decay=False):
    beta1, beta2 = betas
    for param in params:
        grad = param.grad if not maximize else -param.grad
        s = state.setdefault(param, {"step": torch.tensor(0.0), "exp_avg": torch.zeros_like(param),
                                     "exp_avg_sq": torch.zeros_like(param), "max_exp_avg_sq": torch.zeros_like(param)})
        step_t, exp_avg, exp_avg_sq = s["step"], s["exp_avg"], s["exp_avg_sq"]
        step_t += 1
        if weight_decay != 0:
            if decoupled_weight_decay:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(param, alpha=weight_decay)
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        step = step_t
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        step_size_neg = step_size.neg()
        bias_correction2_sqrt = bias_correction2.sqrt()
        if amsgrad:
            max_exp_avg_sq = s["max_exp_avg_sq"].clone()
            s["max_exp_avg_sq"].copy_(torch.maximum(max_exp_avg_sq, exp_avg_sq))
            denom = (s["max_exp_avg_sq"].sqrt() / (bias_correction2_sqrt * step_size_neg)).add_(eps / step_size_neg)
        else:
            denom = (exp_avg_sq.sqrt() / (bias_correction2_sqrt * step_size_neg)).add_(eps / step_size_neg)
        param.addcdiv_(exp_avg.clone(), denom)


CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "maximize": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.02, "betas": [0.8, 0.99], "weight_decay": 0.1, "amsgrad": True}),
    ("Adam", {"lr": 0.01, "maximize": True, "eps": 1e-3}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.2, "amsgrad": True}),
]


def values(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def run(name, options, dtype):
    torch.manual_seed(0)
    n = 7
    w = (torch.rand(n, dtype=torch.float64) * 2 - 1).to(dtype).requires_grad_()
    u = (torch.rand(n, dtype=torch.float64) * 2 - 1).to(dtype).requires_grad_()
    grads = [(torch.rand(n, dtype=torch.float64) * 2 - 1).to(dtype) for _ in range(STEPS)]
    coeffs = [0.5, -0.25, 0.75]
    a = torch.linspace(-1, 1, n, dtype=dtype)
    p = w.clone()
    kw = dict(options)
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    state = {}
    steps = 1 if options.get("amsgrad") else STEPS
    with torch.enable_grad():
        for k in range(steps):
            p.grad = grads[k] + u * coeffs[k]
            if name == "SGD":
                sgd_step([p], state, **kw)
            else:
                adam_step([p], state, decoupled_weight_decay=(name == "AdamW"), **{"weight_decay": 1e-2 if name == "AdamW" else 0.0, **kw})
    loss = (p * a).sum() + 0.5 * (p * p).sum()
    loss.backward()
    if name == "SGD":  # the port is 1.13's own differentiable SGD
        w2 = w.detach().clone().requires_grad_()
        u2 = u.detach().clone().requires_grad_()
        p2 = w2.clone()
        opt = torch.optim.SGD([p2], differentiable=True, **kw)
        for k in range(steps):
            p2.grad = grads[k] + u2 * coeffs[k]
            opt.step()
        ((p2 * a).sum() + 0.5 * (p2 * p2).sum()).backward()
        assert torch.equal(p2, p) and torch.equal(w2.grad, w.grad) and torch.equal(u2.grad, u.grad), (name, options)
    return {
        "optimizer": name, "options": options, "dtype": str(dtype).replace("torch.", ""), "steps": steps,
        "w": values(w), "u": values(u), "grads": [values(g) for g in grads], "coeffs": coeffs, "a": values(a),
        "p": values(p), "w_grad": values(w.grad), "u_grad": values(u.grad),
    }


def main():
    cases = [run(name, options, dtype) for dtype in (torch.float32, torch.float64) for name, options in CASES]
    with open(OUT, "w") as f:
        json.dump({"cases": cases}, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
