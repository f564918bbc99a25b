"""Convolution, pooling, further activations and losses, and a LeNet-5, from PyTorch.

Usage: /usr/bin/python3 tests/golden/gen_layers.py > tests/Descent.Tests/Golden/layers.json
Every case stores its inputs and parameters, so the C# tests need no random numbers; gradients are taken through
sum(output * upstream) with a fixed upstream tensor. Error cases store PyTorch's message for bad arguments.
"""
import copy
import json
import warnings
import torch
import torch.nn as nn
import torch.nn.functional as F

from golden_json import enc

warnings.simplefilter("ignore")
torch.manual_seed(0)


def upstream_like(out):
    n = out.numel()
    w = torch.linspace(0.5, 1.5, max(n, 1), dtype=out.dtype)[:n]
    return w.reshape(out.shape)


def grads(out, tensors):
    up = upstream_like(out)
    (out * up).sum().backward()
    return up, {k: (enc(v.grad) if v.grad is not None else None) for k, v in tensors.items()}


# --- convolutions: (name, dims, batch or None, cin, cout, size, kernel, stride, padding, dilation, groups, bias)
conv_table = [
    ("2d basic", 2, 2, 3, 4, (7, 6), (3, 3), 1, 0, 1, 1, True),
    ("2d stride 2 pad 1", 2, 2, 3, 4, (7, 8), (3, 3), 2, 1, 1, 1, True),
    ("2d stride (2,1) pad (0,2)", 2, 1, 2, 3, (6, 5), (3, 2), (2, 1), (0, 2), 1, 1, True),
    ("2d dilation 2", 2, 2, 2, 3, (9, 8), (3, 3), 1, 1, 2, 1, True),
    ("2d groups 2", 2, 2, 4, 6, (6, 6), (3, 3), 1, 1, 1, 2, True),
    ("2d depthwise", 2, 1, 3, 6, (5, 5), (3, 3), 1, 0, 1, 3, False),
    ("2d same odd", 2, 2, 2, 3, (6, 5), (3, 3), 1, "same", 1, 1, True),
    ("2d same even kernel", 2, 1, 2, 2, (5, 6), (4, 2), 1, "same", 1, 1, True),
    ("2d same dilated", 2, 1, 2, 2, (7, 7), (3, 3), 1, "same", (2, 1), 1, True),
    ("2d valid", 2, 2, 2, 3, (5, 5), (2, 3), 1, "valid", 1, 1, True),
    ("2d unbatched", 2, None, 3, 2, (6, 6), (3, 3), 1, 1, 1, 1, True),
    ("2d no bias 1x1", 2, 3, 4, 5, (4, 3), (1, 1), 1, 0, 1, 1, False),
    ("2d big", 2, 4, 8, 16, (12, 12), (5, 5), 1, 2, 1, 1, True),
    ("1d basic", 1, 2, 3, 4, 10, 3, 1, 0, 1, 1, True),
    ("1d stride 2 pad 2", 1, 2, 2, 3, 11, 4, 2, 2, 1, 1, True),
    ("1d dilation 3 groups 2", 1, 1, 4, 2, 12, 3, 1, 1, 3, 2, True),
    ("1d same even", 1, 2, 2, 2, 9, 4, 1, "same", 1, 1, False),
    ("1d unbatched valid", 1, None, 2, 3, 8, 3, 1, "valid", 1, 1, True),
]

convs = []
for (name, dims, batch, cin, cout, size, kernel, stride, padding, dilation, groups, bias) in conv_table:
    shape = ([batch] if batch is not None else []) + [cin] + (list(size) if dims == 2 else [size])
    x = torch.randn(*shape).requires_grad_(True)
    m = (nn.Conv2d if dims == 2 else nn.Conv1d)(cin, cout, kernel, stride=stride, padding=padding, dilation=dilation,
                                                groups=groups, bias=bias)
    out = m(x)
    up, g = grads(out, {"input": x, "weight": m.weight, **({"bias": m.bias} if bias else {})})
    # The same gradients in float64: float32 gradients that sum many products are checked against these, within
    # PyTorch's own float32 error (its summation order is not part of the contract).
    m64 = copy.deepcopy(m).double()
    x64 = x.detach().double().requires_grad_(True)
    (m64(x64) * up.double()).sum().backward()
    g64 = {"input": enc(x64.grad), "weight": enc(m64.weight.grad), "bias": enc(m64.bias.grad) if bias else None}
    convs.append({"name": name, "dims": dims, "repr": repr(m), "stride": stride, "padding": padding, "dilation": dilation,
                  "groups": groups, "input": enc(x), "weight": enc(m.weight), "bias": enc(m.bias) if bias else None,
                  "output": enc(out), "upstream": enc(up), "grad_input": g["input"], "grad_weight": g["weight"],
                  "grad_bias": g.get("bias"), "grad_input_f64": g64["input"], "grad_weight_f64": g64["weight"],
                  "grad_bias_f64": g64.get("bias")})

# Output planes of 256 positions or more take the weight gradient as dot products: one such case, drawn from its own
# generator state so the cases after it keep their inputs.
_rng = torch.get_rng_state()
torch.manual_seed(14)
x = torch.randn(3, 2, 20, 18).requires_grad_(True)
m = nn.Conv2d(2, 3, 3, padding=1)
out = m(x)
up, g = grads(out, {"input": x, "weight": m.weight, "bias": m.bias})
m64 = copy.deepcopy(m).double()
x64 = x.detach().double().requires_grad_(True)
(m64(x64) * up.double()).sum().backward()
convs.append({"name": "2d long rows", "dims": 2, "repr": repr(m), "stride": 1, "padding": 1, "dilation": 1, "groups": 1,
              "input": enc(x), "weight": enc(m.weight), "bias": enc(m.bias), "output": enc(out), "upstream": enc(up),
              "grad_input": g["input"], "grad_weight": g["weight"], "grad_bias": g["bias"], "grad_input_f64": enc(x64.grad),
              "grad_weight_f64": enc(m64.weight.grad), "grad_bias_f64": enc(m64.bias.grad)})
torch.set_rng_state(_rng)

# --- pooling: (name, kind, input shape, kwargs)
pool_table = [
    ("max2d k2", "max2d", [2, 3, 6, 6], dict(kernel_size=2)),
    ("max2d k3 s2 p1", "max2d", [1, 2, 7, 7], dict(kernel_size=3, stride=2, padding=1)),
    ("max2d k3 s2 ceil", "max2d", [2, 2, 8, 7], dict(kernel_size=3, stride=2, ceil_mode=True)),
    ("max2d k(2,3) s(1,2) d2", "max2d", [1, 2, 7, 9], dict(kernel_size=(2, 3), stride=(1, 2), dilation=2)),
    ("max2d unbatched pad ceil", "max2d", [3, 5, 5], dict(kernel_size=2, padding=1, ceil_mode=True)),
    ("max1d k3 s2 p1", "max1d", [2, 3, 10], dict(kernel_size=3, stride=2, padding=1)),
    ("max1d ceil dilation 2", "max1d", [1, 2, 11], dict(kernel_size=2, stride=3, dilation=2, ceil_mode=True)),
    ("max1d unbatched", "max1d", [3, 8], dict(kernel_size=2)),
    ("avg2d k2", "avg2d", [2, 3, 6, 6], dict(kernel_size=2)),
    ("avg2d k3 s2 p1", "avg2d", [1, 2, 7, 7], dict(kernel_size=3, stride=2, padding=1)),
    ("avg2d k3 s2 p1 no pad count", "avg2d", [1, 2, 7, 7], dict(kernel_size=3, stride=2, padding=1, count_include_pad=False)),
    ("avg2d ceil", "avg2d", [2, 2, 8, 7], dict(kernel_size=3, stride=2, ceil_mode=True)),
    ("avg2d ceil pad no count", "avg2d", [1, 2, 6, 7], dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)),
    ("avg2d divisor override", "avg2d", [1, 2, 6, 6], dict(kernel_size=(2, 3), padding=1, divisor_override=5)),
    ("avg2d unbatched", "avg2d", [3, 5, 4], dict(kernel_size=2, stride=1)),
    ("avg1d k3 s2 p1", "avg1d", [2, 3, 10], dict(kernel_size=3, stride=2, padding=1)),
    ("avg1d ceil no count", "avg1d", [1, 2, 11], dict(kernel_size=4, stride=3, padding=2, ceil_mode=True, count_include_pad=False)),
    ("avg1d unbatched", "avg1d", [3, 8], dict(kernel_size=2)),
    ("adaptive (3,3)", "adaptive2d", [2, 3, 7, 8], dict(output_size=(3, 3))),
    ("adaptive (1,1)", "adaptive2d", [2, 3, 5, 5], dict(output_size=1)),
    ("adaptive (4,5) unbatched", "adaptive2d", [2, 6, 9], dict(output_size=(4, 5))),
    ("adaptive upsampling", "adaptive2d", [1, 1, 3, 2], dict(output_size=(5, 4))),
]
module_of = {"max2d": nn.MaxPool2d, "max1d": nn.MaxPool1d, "avg2d": nn.AvgPool2d, "avg1d": nn.AvgPool1d,
             "adaptive2d": nn.AdaptiveAvgPool2d}
pools = []
for (name, kind, shape, kwargs) in pool_table:
    x = torch.randn(*shape).requires_grad_(True)
    m = module_of[kind](**kwargs)
    out = m(x)
    up, g = grads(out, {"input": x})
    case = {"name": name, "kind": kind, "repr": repr(m), "kwargs": kwargs, "input": enc(x), "output": enc(out),
            "upstream": enc(up), "grad_input": g["input"]}
    if kind.startswith("max"):
        kw = dict(kwargs, return_indices=True)
        _, idx = (F.max_pool2d if kind == "max2d" else F.max_pool1d)(x, **kw)
        case["indices"] = enc(idx)
    pools.append(case)

# --- activations and losses
wide = torch.tensor([[-30.0, -5.0, -2.5, -1.0, -0.5, -0.1], [0.2, 0.7, 1.0 + 1e-3, 2.5, 4.0, 25.0]])
activations = []
for name, m in [("GELU", nn.GELU()), ("GELU tanh", nn.GELU(approximate="tanh")), ("SiLU", nn.SiLU()), ("Mish", nn.Mish()),
                ("LeakyReLU", nn.LeakyReLU()), ("LeakyReLU 0.2", nn.LeakyReLU(0.2)), ("ELU", nn.ELU()), ("ELU 0.5", nn.ELU(alpha=0.5)),
                ("Hardtanh", nn.Hardtanh()), ("Hardtanh(-2,3)", nn.Hardtanh(-2.0, 3.0)), ("Hardswish", nn.Hardswish()),
                ("PReLU", nn.PReLU())]:
    x = wide.clone().requires_grad_(True)
    out = m(x)
    tensors = {"input": x}
    if isinstance(m, nn.PReLU):
        tensors["weight"] = m.weight
    up, g = grads(out, tensors)
    activations.append({"name": name, "repr": repr(m), "input": enc(x), "output": enc(out), "upstream": enc(up),
                        "grad_input": g["input"], "grad_weight": g.get("weight")})
# PReLU with one weight per channel.
m = nn.PReLU(3, init=0.1)
with torch.no_grad():
    m.weight.copy_(torch.tensor([0.1, -0.3, 0.7]))
x = torch.randn(2, 3, 4).requires_grad_(True)
out = m(x)
up, g = grads(out, {"input": x, "weight": m.weight})
activations.append({"name": "PReLU channels", "repr": repr(m), "input": enc(x), "output": enc(out), "upstream": enc(up),
                    "grad_input": g["input"], "grad_weight": g["weight"], "weight": enc(m.weight)})

losses = []
pred = torch.randn(3, 4) * 2
targ = torch.randn(3, 4)
logp = torch.log_softmax(torch.randn(3, 5), dim=1)
probs = torch.softmax(torch.randn(3, 5), dim=1)
probs[0, 1] = 0.0
for name, m, a, b in [
        ("SmoothL1Loss", nn.SmoothL1Loss(), pred, targ), ("SmoothL1Loss beta 0.5 sum", nn.SmoothL1Loss(reduction="sum", beta=0.5), pred, targ),
        ("SmoothL1Loss beta 0 none", nn.SmoothL1Loss(reduction="none", beta=0.0), pred, targ),
        ("HuberLoss", nn.HuberLoss(), pred, targ), ("HuberLoss delta 2 none", nn.HuberLoss(reduction="none", delta=2.0), pred, targ),
        ("KLDivLoss mean", nn.KLDivLoss(), logp, probs), ("KLDivLoss batchmean", nn.KLDivLoss(reduction="batchmean"), logp, probs),
        ("KLDivLoss sum log_target", nn.KLDivLoss(reduction="sum", log_target=True), logp, torch.log_softmax(torch.randn(3, 5), 1)),
        ("KLDivLoss none", nn.KLDivLoss(reduction="none"), logp, probs)]:
    x = a.clone().requires_grad_(True)
    t = b.clone().requires_grad_(True)
    out = m(x, t)
    up, g = grads(out, {"input": x, "target": t})
    losses.append({"name": name, "repr": repr(m), "input": enc(x), "target": enc(t), "output": enc(out), "upstream": enc(up),
                   "grad_input": g["input"], "grad_target": g["target"]})
# Label smoothing on cross entropy, with class weights and an ignored index.
logits = torch.randn(4, 5)
classes = torch.tensor([1, 0, 4, 2])
for name, kwargs in [("CE smoothing 0.1", dict(label_smoothing=0.1)),
                     ("CE smoothing 0.2 weight ignore", dict(label_smoothing=0.2, weight=torch.tensor([1.0, 2.0, 0.5, 1.5, 1.0]), ignore_index=4)),
                     ("CE smoothing 0.3 sum", dict(label_smoothing=0.3, reduction="sum"))]:
    x = logits.clone().requires_grad_(True)
    out = F.cross_entropy(x, classes, **kwargs)
    up, g = grads(out, {"input": x})
    losses.append({"name": name, "kwargs": {k: (v.tolist() if torch.is_tensor(v) else v) for k, v in kwargs.items()},
                   "input": enc(x), "target": enc(classes), "output": enc(out), "upstream": enc(up), "grad_input": g["input"]})

# --- default initialisation for a seed
init = []
for name, make in [("Conv2d(3, 4, 3)", lambda: nn.Conv2d(3, 4, 3)), ("Conv2d(4, 6, (3, 2), groups=2)", lambda: nn.Conv2d(4, 6, (3, 2), groups=2)),
                   ("Conv1d(2, 3, 5)", lambda: nn.Conv1d(2, 3, 5)), ("Conv2d(2, 3, 3, bias=False)", lambda: nn.Conv2d(2, 3, 3, bias=False))]:
    torch.manual_seed(0)
    m = make()
    init.append({"name": name, "repr": repr(m), "weight": enc(m.weight), "bias": enc(m.bias) if m.bias is not None else None})


# --- LeNet-5 on a batch
class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.pool2 = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(16 * 4 * 4, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool1(F.relu(self.conv1(x)))
        x = self.pool2(F.relu(self.conv2(x)))
        x = self.flatten(x)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


torch.manual_seed(0)
net = LeNet()
images = torch.randn(8, 1, 28, 28)
labels = torch.tensor([3, 1, 4, 1, 5, 9, 2, 6])
logits = net(images)
loss = F.cross_entropy(logits, labels)
loss.backward()
lenet = {"state_dict": {k: enc(v) for k, v in net.state_dict().items()}, "images": enc(images), "labels": enc(labels),
         "logits": enc(logits), "loss": loss.item(), "grads": {k: enc(p.grad) for k, p in net.named_parameters()}}


# --- errors
def message(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return str(e)
    raise AssertionError("no error")


x4 = torch.randn(1, 3, 8, 8)
x3 = torch.randn(1, 3, 8)
w4 = torch.randn(6, 3, 3, 3)
errors = [
    ("conv2d_module", dict(in_channels=3, out_channels=4, kernel_size=3, groups=0), message(lambda: nn.Conv2d(3, 4, 3, groups=0))),
    ("conv2d_module", dict(in_channels=3, out_channels=4, kernel_size=3, groups=2), message(lambda: nn.Conv2d(3, 4, 3, groups=2))),
    ("conv2d_module", dict(in_channels=4, out_channels=3, kernel_size=3, groups=2), message(lambda: nn.Conv2d(4, 3, 3, groups=2))),
    ("conv2d_module", dict(in_channels=3, out_channels=4, kernel_size=3, stride=2, padding="same"),
     message(lambda: nn.Conv2d(3, 4, 3, stride=2, padding="same"))),
    ("conv1d_module", dict(in_channels=3, out_channels=4, kernel_size=3, stride=2, padding="same"),
     message(lambda: nn.Conv1d(3, 4, 3, stride=2, padding="same"))),
    ("conv2d", dict(input=[2, 3], weight=[6, 3, 3, 3]), message(lambda: F.conv2d(torch.randn(2, 3), w4))),
    ("conv2d", dict(input=[1, 4, 8, 8], weight=[6, 3, 3, 3]), message(lambda: F.conv2d(torch.randn(1, 4, 8, 8), w4))),
    ("conv2d", dict(input=[1, 3, 2, 2], weight=[6, 3, 3, 3]), message(lambda: F.conv2d(torch.randn(1, 3, 2, 2), w4))),
    ("conv2d", dict(input=[1, 3, 8, 8], weight=[6, 3, 3, 3], bias=[5]), message(lambda: F.conv2d(x4, w4, torch.randn(5)))),
    ("conv2d", dict(input=[1, 3, 8, 8], weight=[6, 3, 3, 3], stride=0), message(lambda: F.conv2d(x4, w4, stride=0))),
    ("conv2d", dict(input=[1, 3, 8, 8], weight=[6, 3, 3, 3], padding=-1), message(lambda: F.conv2d(x4, w4, padding=-1))),
    ("conv2d", dict(input=[1, 3, 8, 8], weight=[6, 3, 3, 3], stride=2, padding="same"), message(lambda: F.conv2d(x4, w4, stride=2, padding="same"))),
    ("conv2d", dict(input=[1, 6, 8, 8], weight=[5, 3, 3, 3], groups=2), message(lambda: F.conv2d(torch.randn(1, 6, 8, 8), torch.randn(5, 3, 3, 3), groups=2))),
    ("conv1d", dict(input=[1, 3, 8, 8], weight=[6, 3, 3]), message(lambda: F.conv1d(x4, torch.randn(6, 3, 3)))),
    ("conv1d", dict(input=[1, 3, 2], weight=[6, 3, 3]), message(lambda: F.conv1d(torch.randn(1, 3, 2), torch.randn(6, 3, 3)))),
    ("max_pool2d", dict(input=[1, 3, 8, 8], kernel_size=2, padding=2), message(lambda: F.max_pool2d(x4, 2, padding=2))),
    ("max_pool2d", dict(input=[1, 3, 2, 2], kernel_size=3), message(lambda: F.max_pool2d(torch.randn(1, 3, 2, 2), 3))),
    ("max_pool2d", dict(input=[1, 3, 8, 8], kernel_size=2, stride=0), message(lambda: F.max_pool2d(x4, 2, stride=0))),
    ("max_pool2d", dict(input=[1, 3, 8, 8], kernel_size=2, dilation=0), message(lambda: F.max_pool2d(x4, 2, dilation=0))),
    ("max_pool2d", dict(input=[3, 8], kernel_size=2), message(lambda: F.max_pool2d(torch.randn(3, 8), 2))),
    ("max_pool1d", dict(input=[1, 3, 8], kernel_size=2, padding=2), message(lambda: F.max_pool1d(x3, 2, padding=2))),
    ("max_pool1d", dict(input=[8], kernel_size=2), message(lambda: F.max_pool1d(torch.randn(8), 2))),
    ("avg_pool2d", dict(input=[1, 3, 8, 8], kernel_size=2, padding=2), message(lambda: F.avg_pool2d(x4, 2, padding=2))),
    ("avg_pool2d", dict(input=[1, 3, 8, 8], kernel_size=2, divisor_override=0), message(lambda: F.avg_pool2d(x4, 2, divisor_override=0))),
    ("avg_pool2d", dict(input=[1, 3, 2, 2], kernel_size=3), message(lambda: F.avg_pool2d(torch.randn(1, 3, 2, 2), 3))),
    ("avg_pool1d", dict(input=[1, 3, 8], kernel_size=2, padding=2), message(lambda: F.avg_pool1d(x3, 2, padding=2))),
    ("adaptive_avg_pool2d", dict(input=[3, 8], output_size=2), message(lambda: F.adaptive_avg_pool2d(torch.randn(3, 8), 2))),
]
errors = [{"op": op, "args": args, "message": msg} for op, args, msg in errors]

# Max pooling's rule on special values: ties (the first in scan order wins), NaN (wins; of two, the last), windows
# of -inf (their first element), for the 2x2 stride-2 window and for a padded 3x3 one.
nan, inf = float("nan"), float("inf")
special = torch.tensor([[[[1, 1, 2, 5, nan, 0],
                          [1, 0, 5, 2, 0, nan],
                          [-inf, -inf, 3, nan, 7, 7],
                          [-inf, -inf, nan, 3, 7, 7],
                          [0, 2, 2, 0, -1, -1],
                          [2, 0, 0, 2, -1, -2]]]])
max_special = []
for kw in (dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1)):
    y, idx = F.max_pool2d(special, return_indices=True, **kw)
    max_special.append({"kwargs": kw, "output": enc(y), "indices": enc(idx)})

json.dump({"convs": convs, "pools": pools, "activations": activations, "losses": losses, "init": init, "lenet": lenet,
           "errors": errors, "max_pool_special": {"input": enc(special), "cases": max_special}}, __import__("sys").stdout)

# A whole CNN saved by torch.save(net), for the whole-module loader (written beside the checkpoints' fixtures).
torch.manual_seed(1)
cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.GELU(), nn.MaxPool2d(2), nn.Conv2d(4, 4, 3, padding="same", groups=2, bias=False),
                    nn.PReLU(4), nn.AvgPool2d(2, ceil_mode=True), nn.AdaptiveAvgPool2d((2, 2)), nn.Flatten(), nn.Linear(16, 3), nn.SiLU())
cnn.eval()
torch.save(cnn, "tests/Descent.Tests/Golden/checkpoints/modules/cnn.pt")
x = torch.randn(2, 1, 9, 9)
with open("tests/Descent.Tests/Golden/checkpoints/modules/cnn.json", "w") as f:
    json.dump({"repr": repr(cnn), "input": enc(x), "output": enc(cnn(x))}, f)
