"""The Fashion-MNIST benchmark in PyTorch: the same program as `descent train fashion-mnist`.

--model mlp (784-256-128-10, ReLU; the default), cnn (LeNet-5: conv 1->6 5x5, max-pool 2, conv 6->16 5x5, max-pool 2,
256-120-84-10) or lstm (LSTM 28->64 over the 28 rows, last step -> linear 64-10); Adam(lr 1e-3), CrossEntropyLoss,
batch 128, shuffle, manual_seed(--seed, default 0); IDX files from --data (default /usr/share/datasets/fashion-mnist,
Debian's dataset-fashion-mnist). Prints one JSON line:
{"model", "epochs": [{"seconds", "test_accuracy", "mean_loss"}...], "threads", "seed", "peak_memory_mb"}.
Usage: /usr/bin/python3 bench/torch_fashion_mnist.py [--model NAME] [--epochs N] [--threads N] [--seed N] [--data DIR] [--limit N]
"""
import argparse, gzip, json, os, resource, time
import numpy as np
import os, sys
# torch.set_num_threads does not reach OpenBLAS's own pthreads: pin both pools before torch loads.
_threads = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else str(os.cpu_count())
os.environ.setdefault("OPENBLAS_NUM_THREADS", _threads)
os.environ.setdefault("OMP_NUM_THREADS", _threads)
import torch
import torch.nn as nn
import torch.utils.data as Data


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    rank = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


def find(folder, name):
    for candidate in (name, name + ".gz"):
        if os.path.exists(os.path.join(folder, candidate)):
            return os.path.join(folder, candidate)
    raise SystemExit(f"{name} not found in {folder}: apt-get install dataset-fashion-mnist")


def load(folder, images, labels):
    x = torch.from_numpy(idx(find(folder, images)).copy()).float().div(255).reshape(-1, 784)
    y = torch.from_numpy(idx(find(folder, labels)).astype(np.int64))
    return x, y


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.pool2 = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(16 * 4 * 4, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = x.view(-1, 1, 28, 28)
        x = self.pool1(torch.relu(self.conv1(x)))
        x = self.pool2(torch.relu(self.conv2(x)))
        x = x.flatten(1)
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(28, 64, batch_first=True)
        self.out = nn.Linear(64, 10)

    def forward(self, x):
        seq, _ = self.rnn(x.view(-1, 28, 28))
        return self.out(seq[:, -1, :])


def network(name):
    if name == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    return LeNet5() if name == "cnn" else LstmClassifier()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["mlp", "cnn", "lstm"], default="mlp")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    x, y = load(args.data, "train-images-idx3-ubyte", "train-labels-idx1-ubyte")
    if args.limit is not None:
        x, y = x[:args.limit].contiguous(), y[:args.limit].contiguous()
    tx, ty = load(args.data, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    torch.manual_seed(args.seed)
    net = network(args.model)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    loader = Data.DataLoader(Data.TensorDataset(x, y), batch_size=128, shuffle=True)
    epochs = []
    for _ in range(args.epochs):
        net.train()
        t0, total, batches = time.perf_counter(), 0.0, 0
        for bx, by in loader:
            loss = loss_fn(net(bx), by)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        seconds = time.perf_counter() - t0
        net.eval()
        with torch.no_grad():
            acc = sum((net(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum().item() for i in range(0, len(ty), 1000)) / len(ty)
        epochs.append({"seconds": seconds, "test_accuracy": acc, "mean_loss": total / batches})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"model": args.model, "epochs": epochs, "threads": args.threads, "seed": args.seed, "peak_memory_mb": peak}))


if __name__ == "__main__":
    main()
