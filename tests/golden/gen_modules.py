"""Writes the whole-module fixtures: files made by torch.save(model) in PyTorch 1.13, with JSON of what they must give.

Usage: /usr/bin/python3 tests/golden/gen_modules.py tests/Descent.Tests/Golden/checkpoints/modules
Writes, into that folder:
  mlp.pt, mlp_legacy.pt: torch.save(net) of a Sequential MLP (Linear, ReLU, Dropout, Linear, Tanh, Linear, Softmax),
      zip and legacy formats, saved in training mode.
  zoo.pt: torch.save of a Sequential holding every other allow-listed layer (Flatten, Linear without bias, Softplus,
      Sigmoid, Identity, LogSoftmax, a nested Sequential), saved in eval mode.
  losses.pt: torch.save of a dict of loss modules (with weight buffers, ignore_index, label_smoothing, reduction).
  custom_class.pt: torch.save of a user-defined nn.Module subclass (__main__.Net), which must be refused.
  conv.pt: torch.save of a Sequential holding a Conv2d, which Descent refused before it had Conv2d and now loads.
  modules.json: inputs and PyTorch's outputs for each (the MLP and zoo in eval mode, each loss on fixed inputs).
  recurrent.pt: torch.save of a Sequential holding RNN (tanh; relu with 2 layers and no bias), LSTM (bidirectional,
      batch_first), GRU (2 layers, bidirectional, dropout 0.3), RNNCell (relu), LSTMCell and a float64 GRUCell without
      bias, saved in eval mode; recurrent.json: each one's input, initial state where given, and PyTorch's outputs.
  lstm_proj.pt: torch.save of a Sequential holding an LSTM with proj_size=3, which Descent refuses.
"""
import collections, json, os, sys
import torch
import torch.nn as nn
from golden_json import enc

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

def values(t):
    return t.detach().reshape(-1).tolist()

torch.manual_seed(21)
mlp = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 3), nn.Softmax(dim=1))
torch.save(mlp, os.path.join(out, "mlp.pt"))
torch.save(mlp, os.path.join(out, "mlp_legacy.pt"), _use_new_zipfile_serialization=False)
x = torch.randn(5, 4)
mlp.eval()
y = mlp(x)

inner = nn.Sequential(nn.Linear(5, 4), nn.Sigmoid())
zoo = nn.Sequential(nn.Flatten(), nn.Linear(6, 5, bias=False), nn.Softplus(beta=2, threshold=10), inner, nn.Identity(), nn.LogSoftmax(dim=1))
zoo.eval()
torch.save(zoo, os.path.join(out, "zoo.pt"))
zx = torch.randn(3, 2, 3)
zy = zoo(zx)

losses = collections.OrderedDict()
losses["ce"] = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5]), label_smoothing=0.1)
losses["nll"] = nn.NLLLoss(ignore_index=1, reduction="sum")
losses["mse"] = nn.MSELoss(reduction="sum")
losses["l1"] = nn.L1Loss()
losses["bce"] = nn.BCELoss(weight=torch.tensor([0.5, 1.0, 2.0]))
losses["bcel"] = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([3.0, 1.0, 0.25]))
torch.save(losses, os.path.join(out, "losses.pt"))
logits = torch.randn(4, 3)
classes = torch.tensor([0, 2, 1, 2])
probs = torch.rand(4, 3) * 0.8 + 0.1
targets01 = (torch.rand(4, 3) > 0.5).float()
loss_values = {
    "ce": losses["ce"](logits, classes).item(),
    "nll": losses["nll"](torch.log_softmax(logits, 1), classes).item(),
    "mse": losses["mse"](logits, probs).item(),
    "l1": losses["l1"](logits, probs).item(),
    "bce": losses["bce"](probs, targets01).item(),
    "bcel": losses["bcel"](logits, targets01).item(),
}

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
    def forward(self, x):
        return self.fc(x)

torch.save(Net(), os.path.join(out, "custom_class.pt"))
torch.save(nn.Sequential(nn.Conv2d(1, 2, 3)), os.path.join(out, "conv.pt"))

with open(os.path.join(out, "modules.json"), "w") as f:
    json.dump({"mlp": {"x": values(x), "y": values(y), "shape": list(y.shape)},
               "zoo": {"x": values(zx), "y": values(zy), "shape": list(zy.shape)},
               "losses": {"logits": values(logits), "classes": classes.tolist(), "probs": values(probs),
                          "targets01": values(targets01), "values": loss_values}}, f, indent=1)

# Recurrent layers and cells, after everything above so its random numbers are unchanged.
torch.manual_seed(5)
recurrent = nn.Sequential(nn.RNN(3, 4), nn.RNN(3, 4, num_layers=2, nonlinearity="relu", bias=False),
                          nn.LSTM(3, 4, batch_first=True, bidirectional=True), nn.GRU(3, 4, num_layers=2, dropout=0.3, bidirectional=True),
                          nn.RNNCell(3, 4, nonlinearity="relu"), nn.LSTMCell(3, 4), nn.GRUCell(3, 4, bias=False).double())
recurrent.eval()
torch.save(recurrent, os.path.join(out, "recurrent.pt"))
cases = []
for i, m in enumerate(recurrent):
    dtype = next(m.parameters()).dtype
    case = {"index": i, "repr": repr(m)}
    if isinstance(m, nn.RNNBase):
        x = torch.randn(2, 5, 3) if m.batch_first else torch.randn(5, 2, 3)
        h0 = torch.randn(m.num_layers * (2 if m.bidirectional else 1), 2, 4) if i != 2 else None
        if isinstance(m, nn.LSTM):
            y, (h, c) = m(x)
            case.update(input=enc(x), output=enc(y), h_n=enc(h), c_n=enc(c))
        else:
            y, h = m(x, h0)
            case.update(input=enc(x), h0=enc(h0), output=enc(y), h_n=enc(h))
    else:
        x = torch.randn(2, 3, dtype=dtype)
        h0 = torch.randn(2, 4, dtype=dtype)
        if isinstance(m, nn.LSTMCell):
            c0 = torch.randn(2, 4)
            h, c = m(x, (h0, c0))
            case.update(input=enc(x), h0=enc(h0), c0=enc(c0), h=enc(h), c=enc(c))
        else:
            case.update(input=enc(x), h0=enc(h0), h=enc(m(x, h0)))
    cases.append(case)
with open(os.path.join(out, "recurrent.json"), "w") as f:
    json.dump({"repr": repr(recurrent), "modules": cases}, f)
torch.save(nn.Sequential(nn.LSTM(4, 6, proj_size=3)), os.path.join(out, "lstm_proj.pt"))
print("wrote", sorted(os.listdir(out)))
