"""Writes the checkpoint fixtures: files made by torch.save in PyTorch 1.13, with JSON of what they must give.

Usage: /usr/bin/python3 tests/golden/gen_checkpoints.py tests/Descent.Tests/Golden/checkpoints
Writes, into that folder:
  optim_{adam,sgd,rmsprop}.pt + .json: torch.save(opt.state_dict()) after K steps on two parameter groups; the JSON
      has the optimizer's constructor arguments, the parameters after K steps, the next M gradients, and the
      parameters after each continued step (PyTorch's trajectory).
  net_state.pt, net_state_legacy.pt + net_state.json: the tutorial Net's state_dict (zip and legacy formats),
      its values, and an input with PyTorch's output for it.
  misc.pt, misc_p4.pt, plain_p0.pt + misc.json: nested containers of every supported kind, with protocol 2
      (torch.save's default), protocol 4 (FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL) and protocol 0.
The .pt files are also re-read here by a tiny hand-rolled zip check, so the layout assumptions are visible.
"""
import collections, json, os, sys, zipfile
import torch
import torch.nn.functional as F

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
K, M = 3, 4

def values(t):
    return t.detach().reshape(-1).tolist()

def write_json(name, obj):
    with open(os.path.join(out, name), "w") as f:
        json.dump(obj, f, indent=1)

OPTIMIZERS = {
    "adam": (torch.optim.Adam, dict(lr=0.01, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.01, amsgrad=True), dict(lr=0.005)),
    "sgd": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.001, nesterov=False), dict(lr=0.02)),
    "rmsprop": (torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, eps=1e-8, momentum=0.5, centered=True), dict(lr=0.003)),
}
SHAPES = [[3, 2], [4], [2, 2]]  # params 0 and 1 in group 0, param 2 in group 1

for name, (cls, kwargs, group1) in OPTIMIZERS.items():
    torch.manual_seed(7)
    params = [torch.randn(*s, requires_grad=True) for s in SHAPES]
    opt = cls([{"params": params[:2]}, {"params": params[2:], **group1}], **kwargs)
    for _ in range(K):
        for p in params:
            p.grad = torch.randn_like(p)
        opt.step()
    torch.save(opt.state_dict(), os.path.join(out, f"optim_{name}.pt"))
    start = [values(p) for p in params]
    grads, trajectory = [], []
    for _ in range(M):
        g = [torch.randn_like(p) for p in params]
        for p, gi in zip(params, g):
            p.grad = gi
        opt.step()
        grads.append([values(gi) for gi in g])
        trajectory.append([values(p) for p in params])
    kw = {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs.items()}
    write_json(f"optim_{name}.json", {"optimizer": name, "kwargs": kw, "group1": group1, "shapes": SHAPES,
                                      "params": start, "grads": grads, "trajectory": trajectory})

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(1, 20)
        self.predict = torch.nn.Linear(20, 1)
    def forward(self, x):
        return self.predict(F.relu(self.hidden(x)))

torch.manual_seed(3)
net = Net()
torch.save(net.state_dict(), os.path.join(out, "net_state.pt"))
torch.save(net.state_dict(), os.path.join(out, "net_state_legacy.pt"), _use_new_zipfile_serialization=False)
x = torch.linspace(-1, 1, 5).unsqueeze(1)
write_json("net_state.json", {"state": {k: {"shape": list(v.shape), "values": values(v)} for k, v in net.state_dict().items()},
                              "x": values(x), "y": values(net(x))})

base = torch.arange(6.0)
misc = collections.OrderedDict()
misc["int"] = 1
misc["neg"] = -70000
misc["big"] = 2 ** 70
misc["float"] = 2.5
misc["none"] = None
misc["true"] = True
misc["str"] = "héllo"
misc["bytes"] = b"\x00\xffab"
misc["tuple"] = (1, 2.0, "x")
misc["list"] = [1, [2, 3], {"k": "v"}]
misc["intkeys"] = {0: "a", 7: "b"}
misc["long"] = torch.tensor([1, -2, 3], dtype=torch.int64)
misc["double"] = torch.tensor([[0.5, -1.25]], dtype=torch.float64)
misc["bool"] = torch.tensor([True, False, True])
misc["uint8"] = torch.tensor([1, 2, 255], dtype=torch.uint8)
misc["base"] = base
misc["view_t"] = base.reshape(2, 3).t()  # shares base's storage; strides (1, 3)
misc["view_slice"] = base[2:5]           # storage offset 2
misc["scalar"] = torch.tensor(3.5)
misc["empty"] = torch.zeros(0, 3)
misc["param"] = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
torch.save(misc, os.path.join(out, "misc.pt"))
torch.save(misc, os.path.join(out, "misc_p4.pt"), pickle_protocol=4)
plain = {"a": 1, "b": [1.5, "two", None, False], "c": (3,), "d": {"e": -4}}
torch.save(plain, os.path.join(out, "plain_p0.pt"), pickle_protocol=0)
write_json("misc.json", {"base": values(base), "uint8": [1, 2, 255], "big": str(2 ** 70)})

# Hand-rolled check of the layout the Descent writer copies: stored entries, 64-byte aligned data.
for f in sorted(os.listdir(out)):
    if f.endswith(".pt") and "legacy" not in f:
        with zipfile.ZipFile(os.path.join(out, f)) as z:
            for info in z.infolist():
                assert info.compress_type == zipfile.ZIP_STORED, (f, info.filename)
                with open(os.path.join(out, f), "rb") as raw:
                    raw.seek(info.header_offset + 26)
                    n, e = int.from_bytes(raw.read(2), "little"), int.from_bytes(raw.read(2), "little")
                    assert (info.header_offset + 30 + n + e) % 64 == 0, (f, info.filename)
print("wrote fixtures to", out)
