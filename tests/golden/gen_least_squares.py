"""The float64 L-BFGS least-squares example (examples/LeastSquares) run by PyTorch.

Usage: /usr/bin/python3 tests/golden/gen_least_squares.py   (PyTorch 1.13; writes tests/Descent.Tests/Golden/least_squares.json)

The design matrix and targets are built from the same formulas as the example, with Python's math functions (the
C library's, as .NET's Math), so both sides start from the same bits. L-BFGS with the strong-Wolfe line search
takes a few outer steps from w = 0; the file records the loss each step returns, the final coefficients and the
exact least-squares solution from torch.linalg.lstsq.

Output: {"torch", "losses": [...], "w": [...], "lstsq": [...], "final_loss"}.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Descent.Tests", "Golden", "least_squares.json")
N, STEPS = 30, 6


def problem():
    ts = [-1 + 2 * i / (N - 1) for i in range(N)]
    a = [[1.0, t, t * t, math.sin(3 * t)] for t in ts]
    y = [0.5 - 1.2 * t + 0.8 * t * t + 0.3 * math.sin(3 * t) + 0.05 * math.cos(11 * t) for t in ts]
    return torch.tensor(a, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)


def main():
    a, y = problem()
    w = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w], lr=1, max_iter=4, history_size=10, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = F.mse_loss(a @ w, y)
        loss.backward()
        return loss

    losses = [opt.step(closure).item() for _ in range(STEPS)]
    with torch.no_grad():
        final = F.mse_loss(a @ w, y).item()
    exact = torch.linalg.lstsq(a, y.unsqueeze(1)).solution.squeeze(1)
    out = {"torch": torch.__version__, "losses": losses, "w": w.detach().tolist(), "lstsq": exact.tolist(),
           "final_loss": final}
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
