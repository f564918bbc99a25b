"""The classic tutorial's training loop in PyTorch, timed as tests/golden/gen_compare.py times it, several times in one
process (the same program as `descent bench tutorial`).

Usage: /usr/bin/python3 bench/torch_tutorial.py [--repeat N] [--threads N]
Prints one JSON line: {"steps", "runs_ms", "first_ms", "best_ms", "best_us_per_step"}.
"""
import json, sys, time
import torch
import torch.utils.data as Data
import torch.nn.functional as F

def option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(1, 20)
        self.predict = torch.nn.Linear(20, 1)
    def forward(self, x):
        return self.predict(F.relu(self.hidden(x)))

def run():
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
    return (time.perf_counter() - t0) * 1000

if __name__ == "__main__":
    torch.set_num_threads(int(option("--threads", "1")))
    runs = [run() for _ in range(int(option("--repeat", "10")))]
    best = min(runs[1:]) if len(runs) > 1 else runs[0]
    steps = 4 * 12 * 32
    print(json.dumps({"steps": steps, "runs_ms": runs, "first_ms": runs[0], "best_ms": best,
                      "best_us_per_step": best * 1000 / steps}))
