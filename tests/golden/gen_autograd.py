"""Higher-order gradients from PyTorch, in float64: a Hessian-vector product, a WGAN-GP gradient penalty, the
Hessian of a small MLP's loss, and the numbers of the two autograd examples (examples/HessianVectorProduct,
examples/OptimizerInBackward).

Usage: /usr/bin/python3 tests/golden/gen_autograd.py   (PyTorch 1.13; writes tests/Descent.Tests/Golden/autograd.json)

Every input is written out (drawn from a seeded torch.Generator here), so the tests need no random generator; the
functions are mirrored op for op in tests/Descent.Tests/Autograd/AutogradGoldenTests.cs and in the examples.

PyTorch 1.13 has no Tensor.register_post_accumulate_grad_hook (PyTorch 2.1 added it). The optimizer-in-backward
loop registers instead a post-hook on each parameter's AccumulateGrad node, the pre-2.1 way of running code right
after a parameter's gradient is accumulated: the same moment, so the same numbers.

Output: {"torch": version, "hvp": {...}, "wgan_gp": {...}, "mlp_hessian": {...}, "example_hvp": {...},
"example_optimizer_in_backward": {...}}; tensors as {"shape", "dtype", "data"} (data flattened, row-major).
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Descent.Tests", "Golden", "autograd.json")
D = torch.float64


def enc(t):
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""), "data": t.detach().reshape(-1).tolist()}


def randn(gen, *shape):
    return torch.randn(*shape, generator=gen, dtype=D)


# ----------------------------------------------------------------------------------------------------------------
# A Hessian-vector product: H(x)·v = ∇(∇f(x)·v), for a function of a vector through several ops.
def hvp_function(x, a, b):
    h = torch.tanh(a @ x + b)
    return torch.logsumexp(h, 0) + 0.5 * (x * x).sum() * torch.sigmoid(x[0]) + F.softplus(x).pow(2).sum()


def hvp_case(gen):
    x = randn(gen, 5).requires_grad_()
    a, b, v = randn(gen, 4, 5), randn(gen, 4), randn(gen, 5)
    f = hvp_function(x, a, b)
    (g,) = torch.autograd.grad(f, x, create_graph=True)
    (hv,) = torch.autograd.grad(g, x, v)
    return {"x": enc(x), "a": enc(a), "b": enc(b), "v": enc(v), "value": f.item(), "grad": enc(g), "hvp": enc(hv)}


# ----------------------------------------------------------------------------------------------------------------
# WGAN-GP: the critic's loss with the gradient penalty λ·E[(‖∇ₓD(x̂)‖₂ − 1)²] at interpolates x̂ = αx + (1 − α)x̃.
def critic(x, p):
    h = F.relu(F.linear(x, p["w1"], p["b1"]))
    h = torch.tanh(F.linear(h, p["w2"], p["b2"]))
    return F.linear(h, p["w3"], p["b3"])


def wgan_gp_case(gen):
    p = {"w1": randn(gen, 16, 2) * 0.7, "b1": randn(gen, 16) * 0.1, "w2": randn(gen, 16, 16) * 0.25,
         "b2": randn(gen, 16) * 0.1, "w3": randn(gen, 1, 16) * 0.25, "b3": randn(gen, 1) * 0.1}
    for t in p.values():
        t.requires_grad_()
    real, fake = randn(gen, 8, 2) + 1.0, randn(gen, 8, 2) - 0.5
    alpha = torch.rand(8, 1, generator=gen, dtype=D)
    lam = 10.0
    interp = (alpha * real + (1 - alpha) * fake).requires_grad_()
    d_interp = critic(interp, p)
    (grads,) = torch.autograd.grad(d_interp, interp, grad_outputs=torch.ones_like(d_interp), create_graph=True)
    gp = ((grads.norm(2, dim=1) - 1) ** 2).mean()
    loss = critic(fake, p).mean() - critic(real, p).mean() + lam * gp
    loss.backward()
    return {"params": {k: enc(v) for k, v in p.items()}, "real": enc(real), "fake": enc(fake), "alpha": enc(alpha),
            "lambda": lam, "input_grad": enc(grads), "gp": gp.item(), "loss": loss.item(),
            "param_grads": {k: enc(v.grad) for k, v in p.items()}}


# ----------------------------------------------------------------------------------------------------------------
# The full Hessian of a small MLP's mean squared error with respect to all its parameters (13 of them), one row per
# second backward pass over the retained graph of the gradient.
def mlp(x, w1, b1, w2, b2):
    return F.linear(torch.tanh(F.linear(x, w1, b1)), w2, b2)


def mlp_hessian_case(gen):
    x, y = randn(gen, 6, 2), randn(gen, 6, 1)
    params = [randn(gen, 3, 2).requires_grad_(), randn(gen, 3).requires_grad_(), randn(gen, 1, 3).requires_grad_(),
              randn(gen, 1).requires_grad_()]
    loss = F.mse_loss(mlp(x, *params), y)
    grads = torch.autograd.grad(loss, params, create_graph=True)
    flat = torch.cat([g.reshape(-1) for g in grads])
    rows = []
    for i in range(flat.numel()):
        row = torch.autograd.grad(flat[i], params, retain_graph=True)
        rows.append(torch.cat([r.reshape(-1) for r in row]))
    hessian = torch.stack(rows)
    return {"x": enc(x), "y": enc(y), "params": [enc(p) for p in params], "loss": loss.item(), "grad": enc(flat),
            "hessian": enc(hessian)}


# ----------------------------------------------------------------------------------------------------------------
# examples/HessianVectorProduct: H·v of a regression MLP's loss (1-8-1, tanh) with respect to its parameters, for
# parameters and v written as formulas the example repeats: value k of the flattened parameters is
# 0.5·sin(1.3·k + 0.2), of v cos(0.7·k); x = 21 points on [-2, 2], y = sin(x).
def example_hvp():
    sizes = [(8, 1), (8,), (1, 8), (1,)]
    flat = torch.tensor([0.5 * torch.sin(torch.tensor(1.3 * k + 0.2, dtype=D)).item() for k in range(25)], dtype=D)
    params, at = [], 0
    for s in sizes:
        n = int(torch.tensor(s).prod().item())
        params.append(flat[at:at + n].reshape(s).clone().requires_grad_())
        at += n
    v = [torch.cos(torch.tensor(0.7 * k, dtype=D)).item() for k in range(25)]
    vs, at = [], 0
    for s in sizes:
        n = int(torch.tensor(s).prod().item())
        vs.append(torch.tensor(v[at:at + n], dtype=D).reshape(s))
        at += n
    x = torch.linspace(-2, 2, 21, dtype=D).unsqueeze(1)
    y = torch.sin(x)
    loss = F.mse_loss(mlp(x, *params), y)
    grads = torch.autograd.grad(loss, params, create_graph=True)
    dot = sum((g * w).sum() for g, w in zip(grads, vs))
    hv = torch.autograd.grad(dot, params)
    return {"loss": loss.item(), "grad": [enc(g) for g in grads], "hvp": [enc(h) for h in hv]}


# ----------------------------------------------------------------------------------------------------------------
# examples/OptimizerInBackward: the regression tutorial's net (torch.manual_seed(1), float32, 1-20-1 with ReLU) fit to
# y = x² on 100 points with one Adam(lr=0.02) per parameter, each stepped (and its gradient cleared) as soon as the
# parameter's gradient is accumulated.
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(1, 20)
        self.predict = nn.Linear(20, 1)

    def forward(self, x):
        return self.predict(F.relu(self.hidden(x)))


def example_optimizer_in_backward(steps=60):
    torch.manual_seed(1)
    net = Net()
    x = torch.linspace(-1, 1, 100).unsqueeze(1)
    y = x.pow(2)
    optimizers = {p: torch.optim.Adam([p], lr=0.02) for p in net.parameters()}
    hooks = []
    for p in net.parameters():
        def step(grad_inputs, grad_outputs, p=p):
            optimizers[p].step()
            optimizers[p].zero_grad(set_to_none=True)
        # p's AccumulateGrad node; its post-hook runs once p.grad holds this pass's gradient.
        accumulate = p.expand_as(p).grad_fn.next_functions[0][0]
        accumulate.register_hook(step)
        hooks.append(accumulate)
    losses = []
    for _ in range(steps):
        loss = F.mse_loss(net(x), y)
        loss.backward()
        losses.append(loss.item())
    return {"steps": steps, "losses": losses, "params": {k: enc(v) for k, v in net.named_parameters()}}


def main():
    gen = torch.Generator().manual_seed(20240613)
    out = {"torch": torch.__version__, "hvp": hvp_case(gen), "wgan_gp": wgan_gp_case(gen), "mlp_hessian": mlp_hessian_case(gen),
           "example_hvp": example_hvp(), "example_optimizer_in_backward": example_optimizer_in_backward()}
    with open(OUT, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
