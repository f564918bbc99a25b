"""Checks, with real PyTorch 1.13, the files Descent wrote, and records what PyTorch computed from them.

Usage: /usr/bin/python3 tests/golden/check_descent_files.py FOLDER [FIXTURES]
FOLDER holds Descent's files (written by DescentToPyTorchTests with DESCENT_WRITE_FIXTURES=FOLDER); FIXTURES is
tests/Descent.Tests/Golden/checkpoints (the PyTorch fixtures with the gradients). For each optimizer it builds the
PyTorch optimizer over Descent's saved parameters, calls load_state_dict(torch.load(...)), continues with gradients
2 and 3 of the fixture, and compares with PyTorch's own trajectory. It loads Descent's tutorial-net state into a
PyTorch Net, its general checkpoint (restoring the RNG with torch.set_rng_state), its safetensors file with a
small hand-rolled reader, and its whole-module file (torch.load gives the torch.nn classes, which predict Descent's
outputs; torch.save of the loaded module reproduces Descent's bytes). Writes FOLDER/check.json and exits non-zero on any mismatch.
"""
import json, os, struct, sys
import torch
import torch.nn.functional as F

folder = sys.argv[1]
fixtures = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "Descent.Tests", "Golden", "checkpoints")
result, ok = {}, True

CLASSES = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD, "rmsprop": torch.optim.RMSprop}
for name, cls in CLASSES.items():
    fx = json.load(open(os.path.join(fixtures, f"optim_{name}.json")))
    params = [t.clone().requires_grad_() for t in torch.load(os.path.join(folder, f"params_{name}.pt"))]
    kwargs = {k: (tuple(v) if isinstance(v, list) else v) for k, v in fx["kwargs"].items()}
    opt = cls([{"params": params[:2]}, {"params": params[2:], **fx["group1"]}], **kwargs)
    opt.load_state_dict(torch.load(os.path.join(folder, f"optim_{name}.pt")))
    traj = []
    for step in (2, 3):
        for p, g in zip(params, fx["grads"][step]):
            p.grad = torch.tensor(g).reshape(p.shape)
        opt.step()
        traj.append([p.detach().reshape(-1).tolist() for p in params])
    err = max(abs(a - b) for s in (0, 1) for pa, pb in zip(traj[s], fx["trajectory"][s + 2]) for a, b in zip(pa, pb))
    ok &= err <= 2e-5
    result[name] = {"loaded": True, "trajectory": traj, "max_abs_error": err}
    print(name, "max error vs PyTorch's own trajectory", err)

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(1, 20)
        self.predict = torch.nn.Linear(20, 1)
    def forward(self, x):
        return self.predict(F.relu(self.hidden(x)))

expected = json.load(open(os.path.join(folder, "net_expected.json")))
net = Net()
net.load_state_dict(torch.load(os.path.join(folder, "net.pt")))
y = net(torch.tensor(expected["x"]).reshape(-1, 1)).reshape(-1).tolist()
outputs_match = max(abs(a - b) for a, b in zip(y, expected["y"])) < 1e-6
ok &= outputs_match
result["net"] = {"outputs_match": outputs_match}

ck = torch.load(os.path.join(folder, "checkpoint.pt"))
net2, opt2 = Net(), None
net2.load_state_dict(ck["model_state_dict"])
opt2 = torch.optim.SGD(net2.parameters(), lr=0.1, momentum=0.9)
opt2.load_state_dict(ck["optimizer_state_dict"])
torch.set_rng_state(ck["rng_state"])
rand = torch.rand(3)
rng_matches = torch.equal(rand, torch.tensor(expected["rand_after_rng"], dtype=torch.float32))
ok &= rng_matches and ck["epoch"] == 4 and ck["scheduler_state_dict"]["last_epoch"] == 4
result["checkpoint"] = {"rng_matches": rng_matches, "epoch": ck["epoch"], "keys": sorted(ck.keys())}

def read_safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    fmt = {"F32": ("f", 4)}
    out = {}
    for k, v in header.items():
        code, size = fmt[v["dtype"]]
        b, e = v["data_offsets"]
        vals = struct.unpack("<%d%s" % ((e - b) // size, code), data[b:e])
        out[k] = torch.tensor(vals).reshape(v["shape"])
    return out, meta

st, meta = read_safetensors(os.path.join(folder, "net.safetensors"))
sd = net.state_dict()
st_matches = meta == {"format": "pt"} and st.keys() == sd.keys() and all(torch.equal(st[k], sd[k]) for k in sd)
ok &= st_matches
result["safetensors"] = {"matches": st_matches}

# A whole module (torch.save(model) as Descent writes it): torch.load must give the torch.nn classes and predict what
# Descent predicted; torch.save of what it loaded, to a file of the same name, is compared with Descent's bytes.
import tempfile
module = torch.load(os.path.join(folder, "module.pt"))
mexp = json.load(open(os.path.join(folder, "module_expected.json")))
classes = [type(m).__module__ + "." + type(m).__name__ for m in [module, *module]]
want_classes = ["torch.nn.modules.container.Sequential", "torch.nn.modules.linear.Linear", "torch.nn.modules.activation.ReLU",
                "torch.nn.modules.dropout.Dropout", "torch.nn.modules.linear.Linear", "torch.nn.modules.activation.Sigmoid",
                "torch.nn.modules.linear.Linear", "torch.nn.modules.activation.LogSoftmax"]
training = module.training
with tempfile.TemporaryDirectory() as tmp:
    torch.save(module, os.path.join(tmp, "module.pt"))
    resave_identical = open(os.path.join(tmp, "module.pt"), "rb").read() == open(os.path.join(folder, "module.pt"), "rb").read()
module.eval()
my = module(torch.tensor(mexp["x"]).reshape(mexp["x_shape"])).reshape(-1).tolist()
module_outputs_match = max(abs(a - b) for a, b in zip(my, mexp["y"])) < 1e-6
module_ok = classes == want_classes and module_outputs_match and training
ok &= module_ok
result["module"] = {"classes": classes, "training": training, "outputs": my, "outputs_match": module_outputs_match,
                    "torch_save_identical": resave_identical}
print("module: classes", classes == want_classes, "outputs", module_outputs_match, "torch.save identical", resave_identical)

json.dump(result, open(os.path.join(folder, "check.json"), "w"), indent=1)
print("all checks passed" if ok else "MISMATCH")
sys.exit(0 if ok else 1)
