"""PyTorch's float32 matmul throughput for the shapes `descent bench gemm` measures.

Usage: /usr/bin/python3 bench/torch_gemm.py --threads N   (prints one JSON line like descent's)
Needs: apt-get install python3-torch libopenblas0-pthread
"""
import argparse, json, time
import os, sys
# torch.set_num_threads does not reach OpenBLAS's own pthreads: pin both pools before torch loads.
_threads = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else str(os.cpu_count())
os.environ.setdefault("OPENBLAS_NUM_THREADS", _threads)
os.environ.setdefault("OMP_NUM_THREADS", _threads)
import torch

SHAPES = [(128, 128, 128), (256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (2048, 2048, 2048),
          (128, 256, 784), (128, 128, 256), (128, 10, 128), (784, 256, 128), (256, 128, 128),
          (32, 20, 1), (32, 1, 20)]

def measure(m, n, k, seconds=0.25):
    a, b = torch.rand(m, k) - 0.5, torch.rand(k, n) - 0.5
    c = torch.empty(m, n)
    torch.mm(a, b, out=c)
    flops = 2.0 * m * n * k
    reps = max(1, int(min(100_000, 2e8 / max(flops, 1))))
    best, start = float("inf"), time.perf_counter()
    while True:
        t = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b, out=c)
        best = min(best, (time.perf_counter() - t) / reps)
        if time.perf_counter() - start >= seconds:
            break
    return flops / best / 1e9

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    print(json.dumps({"results": [{"m": m, "n": n, "k": k, "threads": args.threads, "gflops": measure(m, n, k)}
                                  for m, n, k in SHAPES]}))
