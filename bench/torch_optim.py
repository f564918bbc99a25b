"""PyTorch's optimizer step time for the workloads `descent bench optim` measures (same labels, kwargs and sizes).

Usage: /usr/bin/python3 bench/torch_optim.py --n 10000000 [--tensors K] [--threads N] [--seconds S] [--only A,B]
Prints a table on stderr and one JSON line on stdout like descent's. Each workload runs with foreach=False and, where the
optimizer takes it, foreach=True; "PyTorch's best" is the faster of the two (PyTorch 1.13 has fused=True only for
Adam/AdamW on CUDA). Timing as descent's: 3 warm-up steps, then at least 10 steps and `--seconds`, best and median.
Needs: apt-get install python3-torch libopenblas0-pthread
"""
import argparse, gc, inspect, json, sys, time
import os, sys
# torch.set_num_threads does not reach OpenBLAS's own pthreads: pin both pools before torch loads.
_threads = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else str(os.cpu_count())
os.environ.setdefault("OPENBLAS_NUM_THREADS", _threads)
os.environ.setdefault("OMP_NUM_THREADS", _threads)
import torch

# label, class, kwargs, bytes per parameter (as src/Descent.Cli/Bench/OptimBench.cs), row-sparse gradient
WORKLOADS = [
    ("SGD", "SGD", {"lr": 0.01}, 12, False),
    ("SGD momentum", "SGD", {"lr": 0.01, "momentum": 0.9}, 20, False),
    ("SGD nesterov wd", "SGD", {"lr": 0.01, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-4}, 20, False),
    ("Adam", "Adam", {}, 28, False),
    ("Adam amsgrad", "Adam", {"amsgrad": True}, 36, False),
    ("AdamW", "AdamW", {}, 28, False),
    ("Adadelta", "Adadelta", {}, 28, False),
    ("Adagrad", "Adagrad", {}, 20, False),
    ("Adamax", "Adamax", {}, 28, False),
    ("ASGD", "ASGD", {}, 16, False),
    ("NAdam", "NAdam", {}, 28, False),
    ("RAdam", "RAdam", {}, 28, False),
    ("RMSprop", "RMSprop", {}, 20, False),
    ("RMSprop centered momentum", "RMSprop", {"centered": True, "momentum": 0.9}, 36, False),
    ("Rprop", "Rprop", {}, 28, False),
    ("SparseAdam", "SparseAdam", {}, 28, True),
    ("Adafactor", "Adafactor", {}, 20, False),
]


def row_length(n):
    for c in (1024, 1000, 512, 500, 256, 128, 100, 64, 32, 16, 10, 8, 4, 2):
        if n % c == 0:
            return c
    return 1


def make_params(n, tensors, row_sparse):
    ps, left = [], n
    for k in range(tensors):
        length = left if k == tensors - 1 else n // tensors
        left -= length
        shape = (length // row_length(length), row_length(length)) if row_sparse else (length,)
        p = (torch.rand(shape) * 2 - 1).requires_grad_()
        g = torch.rand(shape) * 2 - 1
        p.grad = g.to_sparse(1) if row_sparse else g  # SparseAdam takes row-sparse (hybrid COO) gradients only
        ps.append(p)
    return ps


def measure(cls, kwargs, n, tensors, row_sparse, seconds, min_steps=10):
    ps = make_params(n, tensors, row_sparse)
    opt = cls(ps, **kwargs)
    for _ in range(3):
        opt.step()
    times, start = [], time.perf_counter()
    while len(times) < min_steps or time.perf_counter() - start < seconds:
        t = time.perf_counter()
        opt.step()
        times.append((time.perf_counter() - t) * 1e3)
        if len(times) >= 10000:
            break
    del opt, ps
    gc.collect()
    times.sort()
    return times[0], times[len(times) // 2], len(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--tensors", type=int, default=1)
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--only", default=None)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    only = None if a.only is None else {s.strip().lower() for s in a.only.split(",")}
    results = []
    with torch.no_grad():
        for label, name, kwargs, nbytes, row_sparse in WORKLOADS:
            if only is not None and label.lower() not in only and name.lower() not in only:
                continue
            cls = getattr(torch.optim, name, None)
            if cls is None:
                print(f"{label:>26}: not in torch {torch.__version__}", file=sys.stderr)
                results.append({"optimizer": label, "class": name, "available": False})
                continue
            variants = [False, True] if "foreach" in inspect.signature(cls).parameters else [None]
            runs = {}
            for fe in variants:
                kw = dict(kwargs) if fe is None else dict(kwargs, foreach=fe)
                runs["default" if fe is None else f"foreach={fe}"] = measure(cls, kw, a.n, a.tensors, row_sparse, a.seconds)
            best_key = min(runs, key=lambda k: runs[k][0])
            best, median, steps = runs[best_key]
            r = {"optimizer": label, "class": name, "available": True, "ms_per_step": best, "median_ms": median,
                 "gb_per_s": nbytes * a.n / (best * 1e-3) / 1e9, "bytes_per_param": nbytes, "best_variant": best_key,
                 "variants": {k: {"ms_per_step": v[0], "median_ms": v[1], "steps": v[2]} for k, v in runs.items()}}
            results.append(r)
            detail = ", ".join(f"{k} {v[0]:.2f}" for k, v in runs.items())
            print(f"{label:>26}: {best:8.2f} ms/step ({r['gb_per_s']:5.1f} GB/s)  [{detail}]", file=sys.stderr)
    print(json.dumps({"n": a.n, "tensors": a.tensors, "threads": a.threads, "torch": torch.__version__, "results": results}))


if __name__ == "__main__":
    main()
