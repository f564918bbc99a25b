"""Normalisation layers, Embedding and SparseAdam on sparse embedding gradients, from PyTorch.

Usage: /usr/bin/python3 tests/golden/gen_norm.py tests/Descent.Tests/Golden > tests/Descent.Tests/Golden/norm.json
(the directory argument also receives norm_net.pt, a whole module saved with torch.save, and its outputs in the JSON)
Every case stores its inputs and parameters, so the C# tests need no random numbers (but the init cases, which
compare seeded default initialisation). Gradients are taken through sum(output * upstream) with a fixed upstream.
"""
import json
import os
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

from golden_json import enc

torch.manual_seed(0)


def upstream_like(out):
    n = out.numel()
    w = torch.linspace(0.5, 1.5, max(n, 1), dtype=out.dtype)[:n]
    return w.reshape(out.shape)


def grad_or_none(t):
    return None if t is None or t.grad is None else enc(t.grad)


def set_affine(m, c, dtype):
    with torch.no_grad():
        if getattr(m, "weight", None) is not None:
            m.weight.copy_(torch.linspace(0.5, 2.0, c, dtype=dtype).reshape(m.weight.shape))
        if getattr(m, "bias", None) is not None:
            m.bias.copy_(torch.linspace(-1.0, 1.0, c, dtype=dtype).reshape(m.bias.shape))


# BatchNorm: a few training steps (outputs, gradients, running statistics), then eval mode.
batchnorm = []
for name, cls, shape, kw, dtype in [
    ("bn1d_2d", nn.BatchNorm1d, (4, 3), {}, torch.float32),
    ("bn1d_3d", nn.BatchNorm1d, (3, 2, 5), {}, torch.float32),
    ("bn1d_cma", nn.BatchNorm1d, (4, 3), {"momentum": None}, torch.float32),
    ("bn1d_noaffine", nn.BatchNorm1d, (5, 2), {"affine": False, "eps": 1e-3}, torch.float32),
    ("bn1d_notrack", nn.BatchNorm1d, (4, 3), {"track_running_stats": False}, torch.float32),
    ("bn2d", nn.BatchNorm2d, (2, 3, 4, 5), {}, torch.float32),
    ("bn2d_cma_f64", nn.BatchNorm2d, (3, 2, 3, 3), {"momentum": None, "eps": 1e-4}, torch.float64),
    ("bn2d_mom", nn.BatchNorm2d, (2, 4, 3, 2), {"momentum": 0.3}, torch.float64),
]:
    c = shape[1]
    m = cls(c, dtype=dtype, **kw)
    set_affine(m, c, dtype)
    params = {k: enc(v) for k, v in m.named_parameters()}
    steps = []
    for s in range(3):
        x = (torch.randn(*shape, dtype=dtype) * (1 + s) + s).requires_grad_(True)
        m.zero_grad()
        out = m(x)
        up = upstream_like(out)
        (out * up).sum().backward()
        steps.append({"input": enc(x), "output": enc(out), "grad_input": enc(x.grad),
                      "grad_weight": grad_or_none(m.weight), "grad_bias": grad_or_none(m.bias),
                      "buffers": {k: enc(v) for k, v in m.named_buffers()}})
    m.eval()
    xe = torch.randn(*shape, dtype=dtype).requires_grad_(True)
    m.zero_grad()
    oe = m(xe)
    (oe * upstream_like(oe)).sum().backward()
    batchnorm.append({"name": name, "cls": cls.__name__, "num_features": c, "eps": m.eps, "momentum": m.momentum,
                      "affine": m.affine, "track_running_stats": m.track_running_stats, "dtype": str(dtype)[6:],
                      "params": params, "steps": steps, "repr": repr(m),
                      "state_keys": list(m.state_dict().keys()),
                      "eval": {"input": enc(xe), "output": enc(oe), "grad_input": enc(xe.grad),
                               "grad_weight": grad_or_none(m.weight)}})

layernorm = []
for name, shape, nshape, kw, dtype in [
    ("ln_last", (3, 4), [4], {}, torch.float32),
    ("ln_two", (2, 3, 4), [3, 4], {"eps": 1e-3}, torch.float32),
    ("ln_noaffine", (2, 5), [5], {"elementwise_affine": False}, torch.float32),
    ("ln_f64", (2, 2, 3), [3], {}, torch.float64),
]:
    m = nn.LayerNorm(nshape, dtype=dtype, **kw)
    with torch.no_grad():
        if m.weight is not None:
            m.weight.copy_(torch.linspace(0.5, 2.0, m.weight.numel(), dtype=dtype).reshape(m.weight.shape))
            m.bias.copy_(torch.linspace(-1.0, 1.0, m.bias.numel(), dtype=dtype).reshape(m.bias.shape))
    x = (torch.randn(*shape, dtype=dtype) * 2 + 1).requires_grad_(True)
    out = m(x)
    (out * upstream_like(out)).sum().backward()
    layernorm.append({"name": name, "normalized_shape": nshape, "eps": m.eps, "elementwise_affine": m.elementwise_affine,
                      "params": {k: enc(v) for k, v in m.named_parameters()}, "input": enc(x), "output": enc(out),
                      "grad_input": enc(x.grad), "grad_weight": grad_or_none(m.weight), "grad_bias": grad_or_none(m.bias),
                      "repr": repr(m), "state_keys": list(m.state_dict().keys())})

groupnorm = []
for name, shape, groups, kw, dtype in [
    ("gn_2g", (2, 4, 3), 2, {}, torch.float32),
    ("gn_4d", (2, 6, 2, 2), 3, {"eps": 1e-3}, torch.float32),
    ("gn_noaffine", (2, 4, 4), 4, {"affine": False}, torch.float32),
    ("gn_f64", (2, 4, 5), 1, {}, torch.float64),
]:
    c = shape[1]
    m = nn.GroupNorm(groups, c, dtype=dtype, **kw)
    set_affine(m, c, dtype)
    x = (torch.randn(*shape, dtype=dtype) * 2 + 1).requires_grad_(True)
    out = m(x)
    (out * upstream_like(out)).sum().backward()
    groupnorm.append({"name": name, "num_groups": groups, "num_channels": c, "eps": m.eps, "affine": m.affine,
                      "params": {k: enc(v) for k, v in m.named_parameters()}, "input": enc(x), "output": enc(out),
                      "grad_input": enc(x.grad), "grad_weight": grad_or_none(m.weight), "grad_bias": grad_or_none(m.bias),
                      "repr": repr(m), "state_keys": list(m.state_dict().keys())})

embedding = []
for name, n_emb, dim, idx, kw in [
    ("plain", 6, 3, [[0, 2, 5], [2, 2, 1]], {}),
    ("padding", 5, 2, [1, 3, 3, 0, 1], {"padding_idx": 3}),
    ("padding_negative", 5, 2, [[4, 0], [1, 4]], {"padding_idx": -1}),
    ("scale_freq", 4, 3, [0, 1, 1, 1, 3, 0], {"scale_grad_by_freq": True}),
    ("scale_freq_padding", 4, 2, [2, 1, 2, 2, 0], {"scale_grad_by_freq": True, "padding_idx": 1}),
    ("max_norm", 5, 3, [0, 2, 2, 4], {"max_norm": 1.0}),
    ("max_norm_p1", 5, 3, [[1, 3], [3, 0]], {"max_norm": 1.5, "norm_type": 1.0}),
]:
    m = nn.Embedding(n_emb, dim, **kw)
    with torch.no_grad():
        m.weight.copy_(torch.randn(n_emb, dim) * 1.5)
        if m.padding_idx is not None:
            m.weight[m.padding_idx].fill_(0.25)
    w0 = m.weight.detach().clone()
    i = torch.tensor(idx)
    out = m(i)
    (out * upstream_like(out)).sum().backward()
    embedding.append({"name": name, "num_embeddings": n_emb, "embedding_dim": dim, "padding_idx": kw.get("padding_idx"),
                      "max_norm": kw.get("max_norm"), "norm_type": kw.get("norm_type", 2.0),
                      "scale_grad_by_freq": kw.get("scale_grad_by_freq", False),
                      "weight": enc(w0), "indices": enc(i), "output": enc(out), "grad_weight": enc(m.weight.grad),
                      "weight_after": enc(m.weight), "repr": repr(m)})

# SparseAdam on a sparse embedding: a few steps on different index batches.
m = nn.Embedding(7, 3, sparse=True, padding_idx=6)
with torch.no_grad():
    m.weight.copy_(torch.randn(7, 3))
w0 = m.weight.detach().clone()
opt = torch.optim.SparseAdam(m.parameters(), lr=0.05)
batches = [[0, 2, 2, 6], [1, 2, 5], [0, 0, 3, 6], [4, 1]]
sparse_steps = []
for b in batches:
    opt.zero_grad()
    out = m(torch.tensor(b))
    (out * upstream_like(out)).sum().backward()
    g = m.weight.grad.coalesce()
    opt.step()
    sparse_steps.append({"indices": b, "grad_rows": g.indices()[0].tolist(), "grad_values": enc(g.values()),
                         "weight": enc(m.weight)})
sparse_adam = {"num_embeddings": 7, "embedding_dim": 3, "padding_idx": 6, "lr": 0.05, "weight": enc(w0), "steps": sparse_steps}

# SGD on a sparse embedding: the same numbers as dense.
m = nn.Embedding(5, 2, sparse=True)
with torch.no_grad():
    m.weight.copy_(torch.randn(5, 2))
w0 = m.weight.detach().clone()
opt = torch.optim.SGD(m.parameters(), lr=0.1)
for b in [[0, 1, 1], [3, 0]]:
    opt.zero_grad()
    out = m(torch.tensor(b))
    (out * upstream_like(out)).sum().backward()
    opt.step()
sparse_sgd = {"weight": enc(w0), "batches": [[0, 1, 1], [3, 0]], "lr": 0.1, "weight_after": enc(m.weight)}

init = []
for seed, n_emb, dim, pad in [(0, 5, 3, None), (3, 6, 4, 2), (7, 4, 2, -1)]:
    torch.manual_seed(seed)
    m = nn.Embedding(n_emb, dim, padding_idx=pad)
    init.append({"seed": seed, "num_embeddings": n_emb, "embedding_dim": dim, "padding_idx": pad, "weight": enc(m.weight)})

# A whole module with every new class, trained a step so the running statistics are not the initial ones.
torch.manual_seed(5)
net = nn.Sequential(nn.BatchNorm1d(3, momentum=None), nn.LayerNorm(3), nn.GroupNorm(1, 3, eps=1e-3), nn.BatchNorm2d(2, affine=False))
net[0](torch.randn(6, 3) * 2 + 1)
emb = nn.Embedding(5, 3, padding_idx=-2, max_norm=2.0, norm_type=3.0, scale_grad_by_freq=True)
xs = torch.randn(4, 3)
net.eval()
saved = {"x": enc(xs), "y": enc(net[2](net[1](net[0](xs)))), "emb_weight": enc(emb.weight), "net_repr": repr(net), "emb_repr": repr(emb)}
if len(sys.argv) > 1:
    torch.save(nn.Sequential(*net, emb), os.path.join(sys.argv[1], "norm_net.pt"))

print(json.dumps({"saved": saved, "batchnorm": batchnorm, "layernorm": layernorm, "groupnorm": groupnorm, "embedding": embedding,
                  "sparse_adam": sparse_adam, "sparse_sgd": sparse_sgd, "init": init}, indent=1))
