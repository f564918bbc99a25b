"""Forward values and gradients of nn's activations and losses, and printed forms of modules, from PyTorch.

Usage: /usr/bin/python3 tests/golden/gen_nn.py > tests/Descent.Tests/Golden/nn.json
Every case stores its own inputs, so the C# tests need no random numbers. Gradients are taken through
sum(output * upstream) with a fixed upstream tensor (a plain sum would make softmax's gradient vanish).
"""
import json
import torch
import torch.nn as nn

from golden_json import enc

torch.manual_seed(0)


def upstream_like(out):
    # Deterministic, non-uniform weights in [0.5, 1.5].
    n = out.numel()
    w = torch.linspace(0.5, 1.5, max(n, 1), dtype=out.dtype)[:n]
    return w.reshape(out.shape)


def run(fn, inputs, grad_of):
    out = fn(*inputs)
    up = upstream_like(out)
    (out * up).sum().backward()
    return out, up, {k: enc(v.grad) if v.grad is not None else None for k, v in grad_of.items()}


activations = []


def activation(name, module, x):
    x = x.clone().requires_grad_(True)
    out, up, grads = run(module, [x], {"input": x})
    activations.append({"name": name, "repr": repr(module), "input": enc(x), "upstream": enc(up),
                        "output": enc(out), "grad_input": grads["input"]})


wide = torch.tensor([[-30.0, -5.0, -1.0, -0.5, 0.0], [0.25, 1.0, 3.0, 15.0, 25.0]])
rand3 = torch.randn(2, 3, 4) * 3
activation("ReLU", nn.ReLU(), wide)
activation("Sigmoid", nn.Sigmoid(), wide)
activation("Tanh", nn.Tanh(), wide)
activation("Softplus", nn.Softplus(), wide)
activation("Softplus(beta=2, threshold=5)", nn.Softplus(beta=2, threshold=5), wide)
activation("Softmax(dim=1)", nn.Softmax(dim=1), wide)
activation("Softmax(dim=0)", nn.Softmax(dim=0), wide)
activation("Softmax(dim=1) 3-D", nn.Softmax(dim=1), rand3)
activation("LogSoftmax(dim=1)", nn.LogSoftmax(dim=1), wide)
activation("LogSoftmax(dim=-1) 3-D", nn.LogSoftmax(dim=-1), rand3)
activation("LogSoftmax(dim=0) 3-D", nn.LogSoftmax(dim=0), rand3)
activation("Softmax(dim=1) large", nn.Softmax(dim=1), torch.tensor([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]]))
activation("LogSoftmax(dim=1) large", nn.LogSoftmax(dim=1), torch.tensor([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]]))
activation("Softmax(dim=0) float64", nn.Softmax(dim=0), torch.tensor([0.5, -1.25, 2.0], dtype=torch.float64))
activation("Flatten", nn.Flatten(), rand3)
activation("Flatten(start_dim=0, end_dim=1)", nn.Flatten(0, 1), rand3)
activation("Identity", nn.Identity(), wide)

losses = []


def loss_case(name, module, x, target, grad_target=False):
    x = x.clone().requires_grad_(True)
    target = target.clone()
    if grad_target:
        target.requires_grad_(True)
    out, up, grads = run(module, [x, target], {"input": x, "target": target} if grad_target else {"input": x})
    kw = {"reduction": module.reduction}
    for attr in ("ignore_index", "label_smoothing"):
        if hasattr(module, attr):
            kw[attr] = getattr(module, attr)
    for attr in ("weight", "pos_weight"):
        if getattr(module, attr, None) is not None:
            kw[attr] = enc(getattr(module, attr))
    losses.append({"name": name, "loss": type(module).__name__, "kwargs": kw, "input": enc(x), "target": enc(target),
                   "upstream": enc(up), "output": enc(out), "grad_input": grads["input"],
                   "grad_target": grads.get("target")})


reductions = ["mean", "sum", "none"]
reg_x = torch.randn(3, 4)
reg_y = torch.randn(3, 4)
logits = torch.randn(4, 5) * 2
classes = torch.tensor([1, 0, 4, 2])
classes_ignored = torch.tensor([1, -100, 4, 2])
class_weight = torch.tensor([0.5, 1.0, 2.0, 1.5, 0.25])
logits3 = torch.randn(2, 3, 4)
classes3 = torch.tensor([[0, 2, 1, 1], [2, 2, 0, 1]])
probs = torch.softmax(torch.randn(4, 5), dim=1)
p_in = torch.tensor([[0.0, 0.1, 0.5], [0.9, 1.0, 0.3]])
p_tg = torch.tensor([[0.0, 1.0, 0.25], [1.0, 0.0, 0.7]])
bin_logits = torch.tensor([[-120.0, -3.0, -0.5], [0.0, 2.5, 90.0]])
bin_weight = torch.tensor([1.0, 0.5, 2.0])
pos_weight = torch.tensor([3.0, 1.0, 0.5])

for r in reductions:
    loss_case(f"MSELoss {r}", nn.MSELoss(reduction=r), reg_x, reg_y)
    loss_case(f"L1Loss {r}", nn.L1Loss(reduction=r), reg_x, reg_y)
    loss_case(f"CrossEntropyLoss {r}", nn.CrossEntropyLoss(reduction=r), logits, classes)
    loss_case(f"CrossEntropyLoss weight {r}", nn.CrossEntropyLoss(weight=class_weight, reduction=r), logits, classes)
    loss_case(f"CrossEntropyLoss ignore_index {r}", nn.CrossEntropyLoss(reduction=r), logits, classes_ignored)
    loss_case(f"CrossEntropyLoss ignore_index=0 weight {r}", nn.CrossEntropyLoss(weight=class_weight, ignore_index=0, reduction=r), logits, classes)
    loss_case(f"CrossEntropyLoss label_smoothing {r}", nn.CrossEntropyLoss(reduction=r, label_smoothing=0.1), logits, classes_ignored)
    loss_case(f"CrossEntropyLoss label_smoothing weight {r}", nn.CrossEntropyLoss(weight=class_weight, reduction=r, label_smoothing=0.2), logits, classes_ignored)
    loss_case(f"CrossEntropyLoss probabilities {r}", nn.CrossEntropyLoss(reduction=r), logits, probs)
    loss_case(f"CrossEntropyLoss probabilities weight smoothing {r}", nn.CrossEntropyLoss(weight=class_weight, reduction=r, label_smoothing=0.3), logits, probs)
    loss_case(f"CrossEntropyLoss 3-D {r}", nn.CrossEntropyLoss(reduction=r), logits3, classes3)
    loss_case(f"CrossEntropyLoss 1-D {r}", nn.CrossEntropyLoss(reduction=r), logits[0], classes[2])
    loss_case(f"NLLLoss {r}", nn.NLLLoss(reduction=r), torch.log_softmax(logits, 1), classes)
    loss_case(f"NLLLoss weight ignore {r}", nn.NLLLoss(weight=class_weight, reduction=r), torch.log_softmax(logits, 1), classes_ignored)
    loss_case(f"NLLLoss 3-D weight {r}", nn.NLLLoss(weight=class_weight[:3], reduction=r), logits3, classes3)
    loss_case(f"BCELoss {r}", nn.BCELoss(reduction=r), p_in, p_tg, grad_target=True)
    loss_case(f"BCELoss weight {r}", nn.BCELoss(weight=bin_weight, reduction=r), p_in, p_tg)
    loss_case(f"BCEWithLogitsLoss {r}", nn.BCEWithLogitsLoss(reduction=r), bin_logits, p_tg, grad_target=True)
    loss_case(f"BCEWithLogitsLoss weight pos_weight {r}", nn.BCEWithLogitsLoss(weight=bin_weight, pos_weight=pos_weight, reduction=r),
              bin_logits, p_tg, grad_target=True)


class Net(nn.Module):
    def __init__(self, n_feature=1, n_hidden=20, n_output=1):
        super().__init__()
        self.hidden = nn.Linear(n_feature, n_hidden)
        self.predict = nn.Linear(n_hidden, n_output)


reprs = {
    "Net": repr(Net()),
    "Net(2, 10, 2)": repr(Net(2, 10, 2)),
    "Sequential": repr(nn.Sequential(nn.Linear(1, 10), nn.ReLU(), nn.Linear(10, 1))),
    "Sequential nested": repr(nn.Sequential(nn.Linear(1, 10), nn.Sequential(nn.ReLU(), nn.Flatten()), nn.Identity(),
                                            nn.Dropout(), nn.Softplus(), nn.Softmax(dim=1), nn.LogSoftmax(dim=-1),
                                            nn.Linear(3, 2, bias=False), nn.Sigmoid(), nn.Tanh(), nn.ReLU(inplace=True))),
    "Sequential empty": repr(nn.Sequential()),
    "Dropout(p=0.2, inplace=True)": repr(nn.Dropout(0.2, inplace=True)),
    "Softplus(beta=0.5, threshold=10)": repr(nn.Softplus(beta=0.5, threshold=10)),
    "Softmax()": repr(nn.Softmax()),
    "Flatten(0, 2)": repr(nn.Flatten(0, 2)),
    "MSELoss": repr(nn.MSELoss()),
    "CrossEntropyLoss": repr(nn.CrossEntropyLoss(weight=torch.ones(3))),
    "BCEWithLogitsLoss": repr(nn.BCEWithLogitsLoss()),
}

print(json.dumps({"torch": torch.__version__, "activations": activations, "losses": losses, "reprs": reprs}))
