"""Seed-dependent values from PyTorch: init functions, Linear and the tutorial Net, dropout masks, DataLoader order.

Usage: /usr/bin/python3 tests/golden/gen_seeded.py > tests/Descent.Tests/Golden/seeded.json
These need Descent's Generator to reproduce PyTorch's CPU generator bit for bit; the tests that read them
(SeededInitTests, SeededDropoutTests, SeededDataLoaderTests) run only once it does.
"""
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.data as Data


def enc(t):
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""), "data": t.detach().reshape(-1).tolist()}


class Net(nn.Module):
    def __init__(self, n_feature=1, n_hidden=20, n_output=1):
        super().__init__()
        self.hidden = nn.Linear(n_feature, n_hidden)
        self.predict = nn.Linear(n_hidden, n_output)

    def forward(self, x):
        return self.predict(F.relu(self.hidden(x)))


def params(m):
    return {k: enc(v) for k, v in m.named_parameters()}


out = {"torch": torch.__version__}
torch.manual_seed(1)
out["gate_rand_seed1"] = torch.rand(1).item()

inits = []


def init_case(name, shape, fn, seed=1, dtype=torch.float32):
    torch.manual_seed(seed)
    t = torch.empty(shape, dtype=dtype)
    fn(t)
    inits.append({"name": name, "seed": seed, "value": enc(t)})


init_case("uniform_(a=-2, b=3)", (3, 4), lambda t: nn.init.uniform_(t, -2, 3))
init_case("uniform_ float64", (5,), lambda t: nn.init.uniform_(t), dtype=torch.float64)
init_case("normal_(mean=1, std=2) short", (5,), lambda t: nn.init.normal_(t, 1, 2))
init_case("normal_(mean=1, std=2) long", (4, 5), lambda t: nn.init.normal_(t, 1, 2))
init_case("xavier_uniform_(gain=2)", (5, 7), lambda t: nn.init.xavier_uniform_(t, gain=2))
init_case("xavier_normal_", (4, 6), lambda t: nn.init.xavier_normal_(t))
init_case("kaiming_uniform_(mode=fan_out, nonlinearity=relu)", (6, 5),
          lambda t: nn.init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"))
init_case("kaiming_uniform_(a=sqrt5)", (20, 1), lambda t: nn.init.kaiming_uniform_(t, a=math.sqrt(5)))
init_case("kaiming_normal_(a=0.2)", (8, 3), lambda t: nn.init.kaiming_normal_(t, a=0.2))
init_case("kaiming_normal_(mode=fan_out, nonlinearity=tanh)", (3, 2, 2), lambda t: nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="tanh"))
out["init"] = inits

torch.manual_seed(1)
out["linear_1_20"] = params(nn.Linear(1, 20))
torch.manual_seed(1)
out["net_1_20_1"] = params(Net())
torch.manual_seed(1)
out["net_1_10_1"] = params(Net(1, 10, 1))
torch.manual_seed(1)
out["net_2_10_2"] = params(Net(2, 10, 2))

# The optimizer comparison: seed, data, then four nets; the first and last nets' parameters.
torch.manual_seed(1)
x = torch.unsqueeze(torch.linspace(-1, 1, 1000), dim=1)
y = x.pow(2) + 0.1 * torch.normal(torch.zeros(*x.size()))
nets = [Net() for _ in range(4)]
out["comparison"] = {"y_first": enc(y[:8]), "net0": params(nets[0]), "net3": params(nets[3])}

drop = {}
torch.manual_seed(1)
drop["F.dropout(ones(10), 0.5)"] = enc(F.dropout(torch.ones(10), 0.5))
drop["Dropout(0.2)(ones(4, 10))"] = enc(nn.Dropout(0.2)(torch.ones(4, 10)))
drop["F.dropout(ones(6, float64), 0.3)"] = enc(F.dropout(torch.ones(6, dtype=torch.float64), 0.3))
out["dropout"] = drop

loaders = {}
# The comparison's loader: 1000 points, batch 32, shuffled, 2 epochs; indices recovered through an arange field.
torch.manual_seed(1)
x = torch.unsqueeze(torch.linspace(-1, 1, 1000), dim=1)
y = x.pow(2) + 0.1 * torch.normal(torch.zeros(*x.size()))
loader = Data.DataLoader(Data.TensorDataset(torch.arange(1000), x, y), batch_size=32, shuffle=True)
loaders["comparison"] = [[b[0].tolist() for b in loader] for _ in range(2)]
# The batching demo: x = 1..10, y = 10..1, batch 5, shuffled, 3 epochs.
torch.manual_seed(1)
x = torch.linspace(1, 10, 10)
y = torch.linspace(10, 1, 10)
loader = Data.DataLoader(Data.TensorDataset(x, y), batch_size=5, shuffle=True)
loaders["batching_demo"] = [[[bx.tolist(), by.tolist()] for bx, by in loader] for _ in range(3)]
# An explicit generator: the loader draws from it, not from the default one.
g = torch.Generator().manual_seed(5)
loader = Data.DataLoader(Data.TensorDataset(torch.arange(10)), batch_size=4, shuffle=True, generator=g)
loaders["generator_5"] = [[b[0].tolist() for b in loader] for _ in range(2)]
# RandomSampler draws a spare permutation from that generator at the end of every epoch, with drop_last too.
g = torch.Generator().manual_seed(7)
loader = Data.DataLoader(Data.TensorDataset(torch.arange(10)), batch_size=4, shuffle=True, generator=g, drop_last=True)
loaders["generator_7_drop_last"] = [[b[0].tolist() for b in loader] for _ in range(3)]
g = torch.Generator().manual_seed(7)
loader = Data.DataLoader(Data.TensorDataset(torch.arange(12)), batch_size=4, shuffle=True, generator=g)
loaders["generator_7_even"] = [[b[0].tolist() for b in loader] for _ in range(3)]
out["dataloader"] = loaders

# The regression example: manual_seed(1), y = x^2 + 0.2 U(0, 1), Net(1, 10, 1), SGD lr 0.2, MSE, 200 full-batch steps.
torch.manual_seed(1)
x = torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1)
y = x.pow(2) + 0.2 * torch.rand(x.size())
net = Net(1, 10, 1)
opt = torch.optim.SGD(net.parameters(), lr=0.2)
loss_func = nn.MSELoss()
reg = []
for t in range(200):
    loss = loss_func(net(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    reg.append(loss.item())
out["regression_example_losses"] = reg

print(json.dumps(out))
