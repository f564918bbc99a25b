"""Writes the differentiable-step vectors: an optimizer made with differentiable=True steps a non-leaf parameter,
and a loss of the stepped parameter is differentiated back through the steps.

Usage: /usr/bin/python3 tests/golden/gen_differentiable.py   (PyTorch 1.13; writes tests/Descent.Tests/Golden/differentiable.json)

Each case: a leaf w (requires grad) and a leaf u (requires grad); p = w.clone() (a non-leaf, which an optimizer
made with differentiable=True accepts); at step k, p.grad = G[k] + u * c[k] (a gradient that itself depends on u);
after the steps, loss = sum(p * a) + 0.5 * sum(p * p); loss.backward(). Recorded: p after the steps, w.grad, u.grad.
Three steps by default (eight for RAdam's rectified cases, which need rho_t > 5), but one where the next step would
modify a tensor saved for the gradient, so that backward through two steps fails in PyTorch ("modified by an inplace
operation"): amsgrad (exp_avg_sq, saved by torch.maximum), RMSprop centered (grad_avg, saved by addcmul), Adamax
(exp_avg and exp_inf, saved by addcdiv_) and Rprop (step_size, saved by clamp_ and addcmul_).

The steps are current PyTorch's single-tensor functions with differentiable=True, ported onto 1.13 tensors (the
pattern of gen_optim.py; 1.13 has differentiable only for SGD, Adam and RMSprop): `_single_tensor_sgd` and
`_single_tensor_rmsprop` (1.13's are the same but for RMSprop's centred grad_avg, which current PyTorch updates with
lerp_; the script checks the other configurations against 1.13's classes bit for bit); Adam's `_single_tensor_adam`,
whose differentiable path is the capturable one (bias corrections from a float32 step tensor), with current PyTorch's
`exp_avg.lerp_(grad, 1 - beta1)` (1.13: mul_/add_); AdamW is Adam(decoupled_weight_decay=True), as in current
PyTorch; Adagrad, Adadelta, Adamax (the infinity norm as amax over a stacked pair), NAdam (decoupled weight decay,
and its differentiable form, which scales grad and exp_avg by float32 tensors made from mu_product), RAdam (decoupled
weight decay), ASGD and Rprop (sign-based, so no gradient reaches u) from their current `_single_tensor_*` functions.
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



def _grad(param, maximize, weight_decay):
    grad = param.grad if not maximize else -param.grad
    return grad if weight_decay == 0 else grad.add(param, alpha=weight_decay)


def rmsprop_step(params, state, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False,
                 maximize=False):
    for param in params:
        s = state.setdefault(param, {"step": torch.tensor(0.0), "square_avg": torch.zeros_like(param),
                                     "momentum_buffer": torch.zeros_like(param), "grad_avg": torch.zeros_like(param)})
        grad = param.grad if not maximize else -param.grad
        square_avg = s["square_avg"]
        s["step"] += 1
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
        if centered:
            grad_avg = s["grad_avg"]
            grad_avg.lerp_(grad, 1 - alpha)
            avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
        else:
            avg = square_avg.sqrt()
        avg = avg.add(eps)
        if momentum > 0:
            buf = s["momentum_buffer"]
            buf.mul_(momentum).addcdiv_(grad, avg)
            param.add_(buf, alpha=-lr)
        else:
            param.addcdiv_(grad, avg, value=-lr)


def adagrad_step(params, state, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10,
                 maximize=False):
    for param in params:
        s = state.setdefault(param, {"step": torch.tensor(0.0),
                                     "sum": torch.full_like(param, initial_accumulator_value)})
        state_sum, step_t = s["sum"], s["step"]
        step_t += 1
        step = step_t.item()
        grad = _grad(param, maximize, weight_decay)
        clr = lr / (1 + (step - 1) * lr_decay)
        state_sum.addcmul_(grad, grad, value=1)
        std = state_sum.sqrt() + eps
        param.addcdiv_(grad, std, value=-clr)


def adadelta_step(params, state, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False):
    for param in params:
        s = state.setdefault(param, {"step": torch.tensor(0.0), "square_avg": torch.zeros_like(param),
                                     "acc_delta": torch.zeros_like(param)})
        square_avg, acc_delta = s["square_avg"], s["acc_delta"]
        s["step"] += 1
        grad = _grad(param, maximize, weight_decay)
        square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
        std = square_avg.add(eps).sqrt_()
        delta = acc_delta.add(eps).sqrt_()
        delta = delta.clone()
        delta.div_(std).mul_(grad)
        acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
        param.add_(delta, alpha=-lr)


def adamax_step(params, state, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, maximize=False):
    beta1, beta2 = betas
    for param in params:
        s = state.setdefault(param, {"step": torch.tensor(0.0), "exp_avg": torch.zeros_like(param),
                                     "exp_inf": torch.zeros_like(param)})
        grad = param.grad if not maximize else -param.grad
        exp_avg, exp_inf, step_t = s["exp_avg"], s["exp_inf"], s["step"]
        step_t += 1
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        exp_avg.lerp_(grad, 1 - beta1)
        norm_buf = torch.cat([exp_inf.mul_(beta2).unsqueeze(0), grad.abs().add_(eps).unsqueeze_(0)], 0)
        exp_inf.copy_(torch.amax(norm_buf, 0, keepdim=False))
        bias_correction = 1 - beta1 ** step_t.item()
        clr = lr / bias_correction
        param.addcdiv_(exp_avg, exp_inf, value=-clr)


def nadam_step(params, state, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, momentum_decay=4e-3,
               decoupled_weight_decay=False, maximize=False):
    beta1, beta2 = betas
    for param in params:
        s = state.setdefault(param, {"step": torch.tensor(0.0), "mu_product": torch.tensor(1.0),
                                     "exp_avg": torch.zeros_like(param), "exp_avg_sq": torch.zeros_like(param)})
        grad = param.grad if not maximize else -param.grad
        exp_avg, exp_avg_sq, mu_product, step_t = s["exp_avg"], s["exp_avg_sq"], s["mu_product"], s["step"]
        step_t += 1
        step = step_t.item()
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            if decoupled_weight_decay:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(param, alpha=weight_decay)
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product *= mu
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt()
        denom = denom.add(eps)
        mu_product_next = mu_product * mu_next
        grad = grad * (-lr * (1.0 - mu) / (1.0 - mu_product))
        exp_avg = exp_avg * (-lr * mu_next / (1.0 - mu_product_next))
        param.addcdiv_(grad, denom)
        param.addcdiv_(exp_avg, denom)


def radam_step(params, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled_weight_decay=False,
               maximize=False):
    beta1, beta2 = betas
    for param in params:
        s = state.setdefault(param, {"step": torch.tensor(0.0), "exp_avg": torch.zeros_like(param),
                                     "exp_avg_sq": torch.zeros_like(param)})
        grad = param.grad if not maximize else -param.grad
        exp_avg, exp_avg_sq, step_t = s["exp_avg"], s["exp_avg_sq"], s["step"]
        step_t += 1
        step = step_t.item()
        if weight_decay != 0:
            if decoupled_weight_decay:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(param, alpha=weight_decay)
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        bias_corrected_exp_avg = exp_avg / bias_correction1
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            adaptive_lr = (bias_correction2 ** 0.5) / exp_avg_sq.sqrt().add(eps)
            param.add_(bias_corrected_exp_avg * lr * adaptive_lr * rect, alpha=-1.0)
        else:
            param.add_(bias_corrected_exp_avg * lr, alpha=-1.0)


def asgd_step(params, state, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0.0, maximize=False):
    for param in params:
        s = state.setdefault(param, {"step": torch.tensor(0.0), "eta": torch.tensor(lr), "mu": torch.tensor(1.0),
                                     "ax": torch.zeros_like(param)})
        grad = param.grad if not maximize else -param.grad
        mu, ax, eta, step_t = s["mu"], s["ax"], s["eta"], s["step"]
        step_t += 1
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        eta_value = eta.item()
        param.mul_(1 - lambd * eta_value)
        param.add_(grad, alpha=-eta_value)
        if mu.item() != 1:
            ax.add_(param.sub(ax).mul_(mu))
        else:
            ax.copy_(param)
        step = step_t.item()
        eta.copy_(torch.as_tensor(lr / ((1 + lambd * lr * step) ** alpha)))
        mu.copy_(torch.as_tensor(1 / max(1, step - t0)))


def rprop_step(params, state, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), maximize=False):
    etaminus, etaplus = etas
    step_size_min, step_size_max = step_sizes
    for param in params:
        s = state.setdefault(param, {"step": torch.tensor(0.0), "prev": torch.zeros_like(param),
                                     "step_size": torch.full_like(param.grad, lr)})
        grad = param.grad if not maximize else -param.grad
        prev, step_size = s["prev"], s["step_size"]
        s["step"] += 1
        sign = grad.mul(prev.clone()).sign()
        sign[sign.gt(0)] = etaplus
        sign[sign.lt(0)] = etaminus
        sign[sign.eq(0)] = 1
        step_size.mul_(sign).clamp_(step_size_min, step_size_max)
        grad = grad.clone(memory_format=torch.preserve_format)
        grad[sign.eq(etaminus)] = 0
        param.addcmul_(grad.sign(), step_size, value=-1)
        prev.copy_(grad)


STEPPERS = {"SGD": sgd_step, "Adam": adam_step, "AdamW": adam_step, "RMSprop": rmsprop_step, "Adagrad": adagrad_step,
            "Adadelta": adadelta_step, "Adamax": adamax_step, "NAdam": nadam_step, "RAdam": radam_step,
            "ASGD": asgd_step, "Rprop": rprop_step}
# 1.13's own differentiable classes run the same update for these configurations (checked bit for bit).
CHECKED_AGAINST_1_13 = {"SGD": lambda o: True, "RMSprop": lambda o: not o.get("centered")}

CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "maximize": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.02, "betas": [0.8, 0.99], "weight_decay": 0.1, "amsgrad": True}, 1),
    ("Adam", {"lr": 0.01, "maximize": True, "eps": 1e-3}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.2, "amsgrad": True}, 1),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "centered": True, "maximize": True}, 1),
    ("RMSprop", {"lr": 0.02, "centered": True, "momentum": 0.5, "eps": 1e-3}, 1),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.5, "weight_decay": 0.1, "initial_accumulator_value": 0.2}),
    ("Adagrad", {"lr": 0.05, "eps": 1e-3, "maximize": True}),
    ("Adadelta", {"lr": 1.0}),
    ("Adadelta", {"lr": 0.5, "rho": 0.8, "weight_decay": 0.1, "maximize": True}),
    ("Adadelta", {"eps": 1e-3}),
    ("Adamax", {"lr": 0.01}, 1),
    ("Adamax", {"lr": 0.02, "betas": [0.8, 0.9], "weight_decay": 0.1, "maximize": True}, 1),
    ("NAdam", {"lr": 0.01}),
    ("NAdam", {"lr": 0.02, "weight_decay": 0.1, "momentum_decay": 0.1}),
    ("NAdam", {"lr": 0.02, "betas": [0.8, 0.9], "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
    ("RAdam", {"lr": 0.01}),
    ("RAdam", {"lr": 0.02, "betas": [0.8, 0.9], "weight_decay": 0.1}, 8),
    ("RAdam", {"lr": 0.02, "betas": [0.9, 0.9], "eps": 1e-3, "weight_decay": 0.1, "decoupled_weight_decay": True,
               "maximize": True}, 8),
    ("ASGD", {"lr": 0.1}),
    ("ASGD", {"lr": 0.1, "lambd": 0.01, "alpha": 0.5, "t0": 0, "weight_decay": 0.1, "maximize": True}),
    ("Rprop", {"lr": 0.01}, 1),
    ("Rprop", {"lr": 0.05, "etas": [0.3, 1.5], "step_sizes": [1e-3, 0.06], "maximize": True}, 1),
]
COEFFS = [0.5, -0.25, 0.75, -0.5, 0.25, 1.0, -0.75, 0.6]


def values(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def run(name, options, dtype, steps=STEPS):
    torch.manual_seed(0)
    n = 7
    w = (torch.rand(n, dtype=torch.float64) * 2 - 1).to(dtype).requires_grad_()
    u = (torch.rand(n, dtype=torch.float64) * 2 - 1).to(dtype).requires_grad_()
    grads = [(torch.rand(n, dtype=torch.float64) * 2 - 1).to(dtype) for _ in range(max(steps, STEPS))]
    coeffs = COEFFS[:len(grads)]
    a = torch.linspace(-1, 1, n, dtype=dtype)
    p = w.clone()
    kw = {k: tuple(v) if isinstance(v, list) else v for k, v in options.items()}
    state = {}
    step_kw = dict(kw)
    if name in ("Adam", "AdamW"):
        step_kw = {"decoupled_weight_decay": name == "AdamW", "weight_decay": 1e-2 if name == "AdamW" else 0.0, **kw}
    with torch.enable_grad():
        for k in range(steps):
            p.grad = grads[k] + u * coeffs[k]
            STEPPERS[name]([p], state, **step_kw)
    loss = (p * a).sum() + 0.5 * (p * p).sum()
    loss.backward()
    if name in CHECKED_AGAINST_1_13 and CHECKED_AGAINST_1_13[name](options):
        w2 = w.detach().clone().requires_grad_()
        u2 = u.detach().clone().requires_grad_()
        p2 = w2.clone()
        opt = getattr(torch.optim, name)([p2], differentiable=True, **kw)
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
    cases = [run(c[0], c[1], dtype, *c[2:]) for dtype in (torch.float32, torch.float64) for c in CASES]
    with open(OUT, "w") as f:
        json.dump({"cases": cases}, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
