"""The CNN tutorial's network and training loop (examples/Cnn) run by PyTorch on a small fixed random batch.

Usage: /usr/bin/python3 tests/golden/gen_tutorials_cnn.py   (PyTorch 1.13; writes tests/Descent.Tests/Golden/tutorials_cnn.json)

torch.manual_seed(0), x = rand(20, 1, 28, 28), y = randint(0, 10, (20,)), then the tutorial's CNN (conv1 = Conv2d(1, 16,
5, 1, 2), ReLU, MaxPool2d(2); conv2 = Conv2d(16, 32, 5, 1, 2), ReLU, MaxPool2d(2); out = Linear(32 * 7 * 7, 10)),
Adam(lr=0.001), cross-entropy, a shuffling DataLoader of batch 5, two epochs. "losses" holds the 8 steps' losses;
"scores" the trained network's scores for the first 4 images.
"""
import json
import os

import torch
import torch.nn as nn
import torch.utils.data as Data

from golden_json import enc

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Descent.Tests", "Golden", "tutorials_cnn.json")


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(1, 16, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2))
        self.conv2 = nn.Sequential(nn.Conv2d(16, 32, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2))
        self.out = nn.Linear(32 * 7 * 7, 10)

    def forward(self, x):
        x = self.conv2(self.conv1(x))
        x = x.view(x.size(0), -1)
        return self.out(x), x


def train(n=20, batch=5, epochs=2, lr=0.001):
    torch.manual_seed(0)
    x = torch.rand(n, 1, 28, 28)
    y = torch.randint(0, 10, (n,))
    cnn = CNN()
    optimizer = torch.optim.Adam(cnn.parameters(), lr=lr)
    loss_func = nn.CrossEntropyLoss()
    loader = Data.DataLoader(Data.TensorDataset(x, y), batch_size=batch, shuffle=True)
    losses = []
    for epoch in range(epochs):
        for b_x, b_y in loader:
            loss = loss_func(cnn(b_x)[0], b_y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    with torch.no_grad():
        scores = cnn(x[:4])[0]
    return {"n": n, "batch": batch, "epochs": epochs, "lr": lr, "losses": losses, "scores": enc(scores)}


out = {"torch": torch.__version__, "training": train()}
with open(OUT, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
