"""Runs the classic optimizer comparison in PyTorch and writes every step's loss.

Usage: /usr/bin/python3 tests/golden/gen_compare.py > tests/Descent.Tests/Golden/compare.json
The run is the tutorial's: manual_seed(1), y = x^2 + 0.1 N(0,1) on 1000 points, DataLoader(batch 32,
shuffle), four 1-20-1 ReLU nets, SGD / Momentum / RMSprop / Adam, MSELoss, 12 epochs.
bench/torch_tutorial.py times the same run() several times in one process.
"""
import json, time
import torch
import torch.utils.data as Data
import torch.nn.functional as F

NAMES = ["SGD", "Momentum", "RMSprop", "Adam"]

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(1, 20)
        self.predict = torch.nn.Linear(20, 1)
    def forward(self, x):
        return self.predict(F.relu(self.hidden(x)))

def run():
    """The whole comparison from the seed on; returns every step's loss per optimizer and the loop's wall time in ms."""
    torch.manual_seed(1)
    x = torch.unsqueeze(torch.linspace(-1, 1, 1000), dim=1)
    y = x.pow(2) + 0.1 * torch.normal(torch.zeros(*x.size()))
    loader = Data.DataLoader(dataset=Data.TensorDataset(x, y), batch_size=32, shuffle=True)
    nets = [Net() for _ in range(4)]
    opts = [
        torch.optim.SGD(nets[0].parameters(), lr=0.01),
        torch.optim.SGD(nets[1].parameters(), lr=0.01, momentum=0.8),
        torch.optim.RMSprop(nets[2].parameters(), lr=0.01, alpha=0.9),
        torch.optim.Adam(nets[3].parameters(), lr=0.01, betas=(0.9, 0.99)),
    ]
    loss_func = torch.nn.MSELoss()
    losses = [[], [], [], []]
    t0 = time.perf_counter()
    for epoch in range(12):
        for bx, by in loader:
            for net, opt, his in zip(nets, opts, losses):
                loss = loss_func(net(bx), by)
                opt.zero_grad()
                loss.backward()
                opt.step()
                his.append(loss.item())
    return losses, (time.perf_counter() - t0) * 1000

if __name__ == "__main__":
    losses, train_ms = run()
    print(json.dumps({"optimizers": [{"name": n, "losses": l} for n, l in zip(NAMES, losses)],
                      "train_ms": train_ms}))
