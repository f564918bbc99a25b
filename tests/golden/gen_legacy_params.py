"""Writes params_legacy.pt + params_legacy.json: a list of nn.Parameters saved in PyTorch's legacy format.

`torch.save(list(lin.parameters()), f, _use_new_zipfile_serialization=False)` pickles each parameter through
torch._utils._rebuild_parameter around a rebuilt tensor; Descent must load it as PyTorch does (two tensors that
require grad). Run with PyTorch 1.13: /usr/bin/python3 tests/golden/gen_legacy_params.py
"""
import json
import os

import torch

out = os.path.join(os.path.dirname(__file__), "..", "Descent.Tests", "Golden", "checkpoints")
torch.manual_seed(7)
lin = torch.nn.Linear(3, 2)
path = os.path.join(out, "params_legacy.pt")
torch.save(list(lin.parameters()), path, _use_new_zipfile_serialization=False)
loaded = torch.load(path)
with open(os.path.join(out, "params_legacy.json"), "w") as f:
    json.dump({
        "torch": torch.__version__,
        "params": [{"shape": list(p.shape), "requires_grad": p.requires_grad, "values": p.detach().flatten().tolist()}
                   for p in loaded],
    }, f, indent=1)
print("wrote", path)
