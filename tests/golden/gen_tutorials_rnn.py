"""The two RNN tutorials (examples/RnnRegression and examples/RnnClassification) run by PyTorch.

Usage: /usr/bin/python3 tests/golden/gen_tutorials_rnn.py   (PyTorch 1.13; writes tests/Descent.Tests/Golden/tutorials_rnn.json)

"regression": the RNN regression tutorial as the example runs it: torch.manual_seed(1), RNN(1, 32, batch_first) with
Linear(32, 1) on every step, Adam(lr=0.02), MSE, 100 windows of 10 points over [k·pi, (k+1)·pi) (np.linspace with
endpoint=False, float32), x = sin(t), y = cos(t), the hidden state carried over detached. The tutorial takes
np.sin of the float32 times; here sin and cos are taken in float64 and rounded to float32, as the example does with
Math.Sin, so both sides start from the same bits. "losses" holds every step's loss.

"classification": the LSTM classifier of the RNN classification tutorial on a small fixed random batch instead of
Fashion-MNIST: torch.manual_seed(0), x = rand(32, 28, 28), y = randint(0, 10, (32,)), then the net (LSTM(28, 64,
batch_first) and Linear(64, 10) on the last step), Adam(lr=0.01), cross-entropy, a shuffling DataLoader of batch 8,
two epochs; "losses" holds the 8 steps' losses, "scores" the trained network's scores for the first 4 images.
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.utils.data as Data

from golden_json import enc

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Descent.Tests", "Golden", "tutorials_rnn.json")
TIME_STEP = 10


class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(input_size=1, hidden_size=32, num_layers=1, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x, h_state):
        r_out, h_state = self.rnn(x, h_state)
        outs = [self.out(r_out[:, t, :]) for t in range(r_out.size(1))]
        return torch.stack(outs, dim=1), h_state


def regression(steps=100):
    torch.manual_seed(1)
    rnn = Regressor()
    optimizer = torch.optim.Adam(rnn.parameters(), lr=0.02)
    loss_func = nn.MSELoss()
    h_state = None
    losses = []
    for step in range(steps):
        start, end = step * np.pi, (step + 1) * np.pi
        t = np.linspace(start, end, TIME_STEP, dtype=np.float32, endpoint=False)
        x_np = np.sin(t.astype(np.float64)).astype(np.float32)
        y_np = np.cos(t.astype(np.float64)).astype(np.float32)
        x = torch.from_numpy(x_np[np.newaxis, :, np.newaxis])
        y = torch.from_numpy(y_np[np.newaxis, :, np.newaxis])
        prediction, h_state = rnn(x, h_state)
        h_state = h_state.detach()
        loss = loss_func(prediction, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return {"steps": steps, "lr": 0.02, "losses": losses}


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(input_size=28, hidden_size=64, num_layers=1, batch_first=True)
        self.out = nn.Linear(64, 10)

    def forward(self, x):
        r_out, (h_n, h_c) = self.rnn(x, None)
        return self.out(r_out[:, -1, :])


def classification(n=32, batch=8, epochs=2, lr=0.01):
    torch.manual_seed(0)
    x = torch.rand(n, 28, 28)
    y = torch.randint(0, 10, (n,))
    net = Classifier()
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    loss_func = nn.CrossEntropyLoss()
    loader = Data.DataLoader(Data.TensorDataset(x, y), batch_size=batch, shuffle=True)
    losses = []
    for epoch in range(epochs):
        for b_x, b_y in loader:
            loss = loss_func(net(b_x.view(-1, 28, 28)), b_y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    with torch.no_grad():
        scores = net(x[:4])
    return {"n": n, "batch": batch, "epochs": epochs, "lr": lr, "losses": losses, "scores": enc(scores)}


out = {"torch": torch.__version__, "regression": regression(), "classification": classification()}
with open(OUT, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
