"""Bit-level PyTorch references: ops whose float32 rounding Descent reproduces exactly, not just within tolerance.

Usage: /usr/bin/python3 tests/golden/gen_bits.py > tests/Descent.Tests/Golden/bits.json
Float32 values are written as their exact decimal doubles, so they read back bit for bit.
"""
import json
import torch


def enc(t):
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""), "data": t.detach().reshape(-1).tolist()}


torch.set_num_threads(1)
out = {"torch": torch.__version__}

# Adam, default hyperparameters (lr 1e-3): step 1's step size lr / (1 - beta1) rounds differently from the double
# lr than from the float one; v <- beta2*v + (1-beta2)*g*g is ATen's addcmul_, one FMA per element.
# The first moment is compared after step 1 only: 1.13's mul_/add_ and current PyTorch's lerp_ differ later.
torch.manual_seed(0)
n = 1003  # not a multiple of a vector width
p = torch.nn.Parameter(torch.randn(n) * 0.05)
p0 = p.detach().clone()
opt = torch.optim.Adam([p], lr=1e-3)
steps = []
for k in range(3):
    g = torch.randn(n) * torch.logspace(-4, -1, n)
    p.grad = g.clone()
    opt.step()
    st = opt.state[p]
    steps.append({"grad": enc(g), "param": enc(p), "exp_avg": enc(st["exp_avg"]), "exp_avg_sq": enc(st["exp_avg_sq"])})
out["adam"] = {"param": enc(p0), "steps": steps}

print(json.dumps(out))
