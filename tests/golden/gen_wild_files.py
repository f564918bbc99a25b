"""Writes the fixtures of files from PyTorch 2.x and other tools, with JSON of what they must give.

Usage: /usr/bin/python3 tests/golden/gen_wild_files.py tests/Descent.Tests/Golden/checkpoints/wild

PyTorch 2.x does not run here, so its files are built from the format's source with PyTorch 1.13: the pickle is
what torch.save pickles (the same opcodes in 1.13 and 2.x for these objects, with 2.x's optimizer keys added by
hand), and the zip is laid out as PyTorch 2.x's torch/serialization.py `_save` and
caffe2/serialize/inline_container.cc `PyTorchStreamWriter` write it: records data.pkl, .format_version ("1"),
.storage_alignment ("64"), byteorder ("little"), data/0, data/1, ... in numeric order, then version ("3\\n") and
.data/serialization_id (40 digits) at the end; every entry stored, its data 64-byte aligned by an "FB" extra field,
followed by a data descriptor; zip64 end records. See README.md in the output folder for each file.
"""
import collections, json, os, struct, sys, zipfile, zlib, io
import torch
import torch.nn as nn

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

def values(t):
    return t.detach().float().reshape(-1).tolist()

def write_json(name, obj):
    with open(os.path.join(out, name), "w") as f:
        json.dump(obj, f, indent=1)

def records_of(obj):
    """The records torch.save writes for obj: (name, bytes) for data.pkl and each storage, from PyTorch 1.13."""
    buf = io.BytesIO()
    torch.save(obj, buf)
    z = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    recs = {n.split("/", 1)[1]: z.read(n) for n in z.namelist()}
    storages = sorted((k for k in recs if k.startswith("data/")), key=lambda k: int(k[5:]))
    return recs["data.pkl"], [(k, recs[k]) for k in storages]

def miniz_zip(archive, records):
    """A zip as PyTorchStreamWriter (miniz) writes it: stored, 64-byte aligned data, data descriptors, zip64 end."""
    out_bytes, central = bytearray(), []
    for name, data in records:
        full = (archive + "/" + name).encode()
        start = len(out_bytes) + 30 + len(full) + 4
        pad = (64 - start % 64) % 64
        crc = zlib.crc32(data) & 0xFFFFFFFF
        offset = len(out_bytes)
        out_bytes += struct.pack("<IHHHHHIIIHH", 0x04034B50, 0, 0x0808, 0, 0, 0, 0, 0, 0, len(full), pad + 4)
        out_bytes += full + b"FB" + struct.pack("<H", pad) + b"Z" * pad + data
        out_bytes += struct.pack("<IIII", 0x08074B50, crc, len(data), len(data))
        central.append((full, crc, len(data), offset))
    cd_start = len(out_bytes)
    for full, crc, size, offset in central:
        out_bytes += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0, 0, 0x0808, 0, 0, 0, crc, size, size, len(full), 0, 0, 0, 0, 0, offset)
        out_bytes += full
    cd_size = len(out_bytes) - cd_start
    z64 = len(out_bytes)
    out_bytes += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 0x2D, 0x2D, 0, 0, len(central), len(central), cd_size, cd_start)
    out_bytes += struct.pack("<IIQI", 0x07064B50, 0, z64, 1)
    out_bytes += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), cd_size, cd_start, 0)
    return bytes(out_bytes)

SERIALIZATION_ID = b"0048217392018264713500000000000000000042"

def save_v2(obj, name):
    pkl, storages = records_of(obj)
    records = [("data.pkl", pkl), (".format_version", b"1"), (".storage_alignment", b"64"), ("byteorder", b"little")]
    records += storages + [("version", b"3\n"), (".data/serialization_id", SERIALIZATION_ID)]
    data = miniz_zip(os.path.splitext(name)[0], records)
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
    return data

def make_net():
    return nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 2))

# ---- A state dict, and a list of parameters rebuilt with _rebuild_parameter_with_state (empty state) ----------------
torch.manual_seed(5)
net = make_net()
save_v2(net.state_dict(), "v2_state.pt")
x = torch.randn(4, 3)
write_json("v2_state.json", {"state": {k: {"shape": list(v.shape), "values": values(v)} for k, v in net.state_dict().items()},
                             "x": values(x), "y": values(net(x))})

# PyTorch 2.x pickles a parameter that has Python state with _rebuild_parameter_with_state(data, requires_grad,
# hooks, state), state being its __dict__ or, for a class with __slots__, a (__dict__, slots) pair. 1.13 has no such
# function, so one of that name stands in while pickling (only its name is written).
def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    raise AssertionError("never called: only pickled by name")
_rebuild_parameter_with_state.__module__ = "torch._utils"
torch._utils._rebuild_parameter_with_state = _rebuild_parameter_with_state

class StatefulParameter(nn.Parameter):
    """Pickles as 2.x does for a parameter with (empty) Python state."""
    def __reduce_ex__(self, proto):
        state = self._state_for_pickle
        return (torch._utils._rebuild_parameter_with_state, (self.data, self.requires_grad, collections.OrderedDict(), state))

params = []
for i, (p, state) in enumerate(zip(net.parameters(), [{}, None, ({}, {}), (None, {})])):
    sp = StatefulParameter(p.detach().clone(), requires_grad=(i != 1))
    sp._state_for_pickle = state
    params.append(sp)
save_v2(params, "v2_params.pt")
write_json("v2_params.json", {"values": [values(p) for p in params], "requires_grad": [p.requires_grad for p in params]})

# ---- An Adam checkpoint with PyTorch 2.x's optimizer state dict, and how training continues from it ----------------
torch.manual_seed(11)
net = make_net()
opt = torch.optim.Adam(net.parameters(), lr=0.02, betas=(0.9, 0.99), weight_decay=0.01)
data_x, data_y = torch.randn(16, 3), torch.randn(16, 2)
K, M = 3, 5
for _ in range(K):
    opt.zero_grad()
    nn.functional.mse_loss(net(data_x), data_y).backward()
    opt.step()
sd = opt.state_dict()
# PyTorch 2.x's Adam groups: 1.13's keys with fused None (not False) and decoupled_weight_decay (2.7); the step stays
# a float32 scalar tensor. None of these change the update when false or None.
for g in sd["param_groups"]:
    g["fused"] = None
    g["decoupled_weight_decay"] = False
checkpoint = {"epoch": K, "model_state_dict": net.state_dict(), "optimizer_state_dict": sd, "loss": 0.5}
v2_adam = save_v2(checkpoint, "v2_adam.pt")
losses, trajectory = [], []
for _ in range(M):
    opt.zero_grad()
    loss = nn.functional.mse_loss(net(data_x), data_y)
    loss.backward()
    opt.step()
    losses.append(loss.item())
    trajectory.append([values(p) for p in net.parameters()])
write_json("v2_adam.json", {"epoch": K, "lr": 0.02, "betas": [0.9, 0.99], "weight_decay": 0.01, "x": values(data_x), "y": values(data_y),
                            "losses": losses, "trajectory": trajectory})

# ---- The same checkpoint as another tool re-packs it: every entry deflated ---------------------------------------
src = zipfile.ZipFile(io.BytesIO(v2_adam))
with zipfile.ZipFile(os.path.join(out, "v2_adam_deflated.pt"), "w", compression=zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        dst.writestr(info.filename, src.read(info.filename))

# ---- Half precision: a bfloat16 and a float16 state dict, and a safetensors file of BF16 and F16 tensors ----------
torch.manual_seed(13)
net = make_net()
bf16 = {k: v.to(torch.bfloat16) for k, v in net.state_dict().items()}
f16 = {k: v.to(torch.float16) for k, v in net.state_dict().items()}
torch.save(collections.OrderedDict(bf16), os.path.join(out, "bf16_state.pt"))
torch.save(collections.OrderedDict(f16), os.path.join(out, "f16_state.pt"))
x = torch.randn(4, 3)
def widened_outputs(state):
    m = make_net()
    m.load_state_dict({k: v.float() for k, v in state.items()})
    return values(m(x))
write_json("half_state.json", {"x": values(x),
                               "bf16": {"state": {k: values(v) for k, v in bf16.items()}, "y": widened_outputs(bf16)},
                               "f16": {"state": {k: values(v) for k, v in f16.items()}, "y": widened_outputs(f16)}})

def write_safetensors(path, tensors, metadata):
    """The safetensors layout (as the reference writer lays it out): header sorted by name, padded with spaces to 8."""
    names = sorted(tensors)
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    codes = {torch.bfloat16: "BF16", torch.float16: "F16", torch.float32: "F32"}
    for n in names:
        t = tensors[n].contiguous()
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype in (torch.bfloat16, torch.float16) else t.numpy().tobytes()
        header[n] = {"dtype": codes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))

mixed = {"0.weight": bf16["0.weight"], "0.bias": bf16["0.bias"], "2.weight": f16["2.weight"], "2.bias": net.state_dict()["2.bias"]}
write_safetensors(os.path.join(out, "bf16.safetensors"), mixed, {"format": "pt"})
write_json("bf16_safetensors.json", {"x": values(x), "state": {k: values(v) for k, v in mixed.items()},
                                     "dtypes": {k: str(v.dtype) for k, v in mixed.items()}, "y": widened_outputs(mixed)})
print("wrote", sorted(os.listdir(out)))
