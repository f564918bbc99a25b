"""The RNN regression tutorial (examples/RnnRegression) run by PyTorch.

Usage: /usr/bin/python3 tests/golden/gen_tutorials_rnn.py   (PyTorch 1.13; writes tests/Descent.Tests/Golden/tutorials_rnn.json)

"regression": the RNN regression tutorial as the example runs it: torch.manual_seed(1), RNN(1, 32, batch_first) with
Linear(32, 1) on every step, Adam(lr=0.02), MSE, 100 windows of 10 points over [k·pi, (k+1)·pi) (np.linspace with
endpoint=False, float32), x = sin(t), y = cos(t), the hidden state carried over detached. The tutorial takes
np.sin of the float32 times; here sin and cos are taken in float64 and rounded to float32, as the example does with
Math.Sin, so both sides start from the same bits. "losses" holds every step's loss.
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn

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


out = {"torch": torch.__version__, "regression": regression()}
with open(OUT, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
