"""Runs a Descent benchmark and the same workload in PyTorch, one after the other, and prints both with ratios.

Usage (from the repository root, after `dotnet build -c Release src/Descent.Cli`):
  /usr/bin/python3 bench/side_by_side.py gemm --threads 1
  /usr/bin/python3 bench/side_by_side.py gemm --threads 2
  /usr/bin/python3 bench/side_by_side.py optim --threads 1 [--n 10000000] [--tensors K] [--seconds S] [--only A,B] [--repeat R]
  /usr/bin/python3 bench/side_by_side.py tutorial [--repeat N] [--fresh K]
  /usr/bin/python3 bench/side_by_side.py fashion-mnist --model mlp|cnn|lstm [--threads N] [--torch-threads 1,2] [--seeds 0,1,2] [--epochs E]
(fashion-mnist trains the same network on the same data, seed by seed, Descent then PyTorch at each of its thread
counts; it reports the mean epoch time, test accuracy and peak memory, and the speedup against PyTorch's best.)
(optim --repeat R runs both benchmarks R times, alternating, and keeps each figure's best: on a shared machine the
best run is the least disturbed one.)
Needs: apt-get install python3-torch libopenblas0-pthread
OpenBLAS 0.3.21 does not recognise some current Intel CPUs and falls back to its generic "Prescott" kernels, five
times slower than its AVX-512 ones; on an Intel AVX-512 machine with OPENBLAS_CORETYPE unset this script sets it to
SkylakeX for PyTorch, so that the comparison is against OpenBLAS at its best, and says so.
"""
import json, os, subprocess, sys

def openblas_at_its_best():
    if "OPENBLAS_CORETYPE" in os.environ:
        return
    try:
        cpuinfo = open("/proc/cpuinfo").read()
    except OSError:
        return
    if "GenuineIntel" in cpuinfo and " avx512f" in cpuinfo:
        os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"
        print("PyTorch's OpenBLAS runs with OPENBLAS_CORETYPE=SkylakeX (Intel AVX-512 machine)")

openblas_at_its_best()

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DESCENT = ["dotnet", os.path.join(ROOT, "src/Descent.Cli/bin/Release/net10.0/Descent.Cli.dll")]

def last_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])

def gemm(threads):
    ours = last_json(DESCENT + ["bench", "gemm", "--threads", str(threads), "--json"])["results"]
    theirs = last_json([sys.executable, os.path.join(ROOT, "bench/torch_gemm.py"), "--threads", str(threads)])["results"]
    print(f"float32 GEMM, {threads} thread(s): GFLOP/s")
    print(f"{'m':>5} {'n':>5} {'k':>5} {'Descent':>9} {'PyTorch':>9} {'ratio':>6}")
    for o, t in zip(ours, theirs):
        print(f"{o['m']:>5} {o['n']:>5} {o['k']:>5} {o['gflops']:>9.1f} {t['gflops']:>9.1f} {o['gflops'] / t['gflops']:>6.2f}")

def option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default

def ms(x):
    """Milliseconds with three significant digits at least (a tiny network's step takes microseconds)."""
    return f"{x:8.2f}" if x >= 1 else f"{x:8.4f}" if x >= 0.001 else f"{x:8.2e}"

def best_of(runs, key):
    """Per optimizer, the run with the smallest ms_per_step (unavailable entries kept as they are)."""
    best = {}
    for run in runs:
        for r in run["results"]:
            b = best.get(r["optimizer"])
            if b is None or (r.get(key) is not None and (b.get(key) is None or r[key] < b[key])):
                best[r["optimizer"]] = r
    return best

def optim(threads):
    common = ["--threads", str(threads), "--n", option("--n", "10000000"), "--tensors", option("--tensors", "1"),
              "--seconds", option("--seconds", "1.0")]
    if "--only" in sys.argv:
        common += ["--only", option("--only", "")]
    ours_runs, theirs_runs = [], []
    for _ in range(int(option("--repeat", "1"))):
        ours_runs.append(last_json(DESCENT + ["bench", "optim", "--json"] + common))
        theirs_runs.append(last_json([sys.executable, os.path.join(ROOT, "bench/torch_optim.py")] + common))
    ours, theirs = best_of(ours_runs, "ms_per_step"), best_of(theirs_runs, "ms_per_step")
    first = ours_runs[0]
    bw = max(r["bandwidth_gb_per_s"] for r in ours_runs)
    two = max(r["bandwidth_2_streams_gb_per_s"] for r in ours_runs)
    seven = max(r["bandwidth_7_streams_gb_per_s"] for r in ours_runs)
    print(f"Optimizer step, {first['n']:,} float32 params in {first['tensors']} tensor(s), {threads} thread(s): "
          f"ms/step, best of {len(ours_runs)} run(s)")
    print(f"in-place bandwidth {bw:.1f} GB/s (x+=s*y {two:.1f}, a,b,c+=s*g {seven:.1f}); floor = bytes/param x params / {bw:.1f} GB/s")
    print(f"{'optimizer':>26} {'B/p':>4} {'floor':>8} {'Descent':>8} {'GB/s':>6} {'/floor':>6} {'PyTorch':>8} {'variant':>14} {'speedup':>7}")
    for name, o in ours.items():
        floor = o["bytes_per_param"] * first["n"] / (bw * 1e9) * 1e3
        t = theirs.get(name, {})
        torch_ms = ms(t["ms_per_step"]) if t.get("available") else f"{'n/a':>8}"
        variant = t.get("best_variant") if t.get("available") else "not in torch"
        speedup = f"{t['ms_per_step'] / o['ms_per_step']:7.2f}" if t.get("available") else f"{'':>7}"
        print(f"{name:>26} {o['bytes_per_param']:>4} {ms(floor)} {ms(o['ms_per_step'])} {o['gb_per_s']:6.1f} "
              f"{o['ms_per_step'] / floor:6.2f} {torch_ms} {variant:>14} {speedup}")

def tutorial(threads):
    """The tutorial's loop, K fresh processes each side (alternating), each timing N runs: the first run of a fresh
    process includes compiling Descent's code (PyTorch's has no such step); later runs are the loop alone."""
    repeat, fresh = option("--repeat", "10"), int(option("--fresh", "3"))
    ours, theirs = [], []
    for _ in range(fresh):
        ours.append(last_json(DESCENT + ["bench", "tutorial", "--repeat", repeat, "--json"]))
        theirs.append(last_json([sys.executable, os.path.join(ROOT, "bench/torch_tutorial.py"), "--repeat", repeat,
                                 "--threads", str(threads)]))
    steps = ours[0]["steps"]
    o_first, t_first = min(r["first_ms"] for r in ours), min(r["first_ms"] for r in theirs)
    o_best, t_best = min(r["best_ms"] for r in ours), min(r["best_ms"] for r in theirs)
    print(f"The tutorial's training loop, {steps} steps: ms (best of {fresh} fresh processes, {repeat} runs each; PyTorch {threads} thread(s))")
    print(f"{'':>34} {'Descent':>9} {'PyTorch':>9} {'speedup':>8}")
    print(f"{'first run in a fresh process':>34} {o_first:9.2f} {t_first:9.2f} {t_first / o_first:8.1f}")
    print(f"{'later runs (best)':>34} {o_best:9.2f} {t_best:9.2f} {t_best / o_best:8.1f}")
    print(f"{'per step, later runs (µs)':>34} {o_best * 1e3 / steps:9.2f} {t_best * 1e3 / steps:9.2f}")

def fashion_mnist(threads):
    model, epochs = option("--model", "mlp"), option("--epochs", "1")
    seeds = option("--seeds", "0").split(",")
    torch_threads = option("--torch-threads", str(threads)).split(",")
    ours, theirs = [], {t: [] for t in torch_threads}
    for seed in seeds:
        ours.append(last_json(DESCENT + ["train", "fashion-mnist", "--model", model, "--epochs", epochs, "--threads", str(threads),
                                         "--seed", seed, "--json"]))
        for t in torch_threads:
            theirs[t].append(last_json([sys.executable, os.path.join(ROOT, "bench/torch_fashion_mnist.py"), "--model", model,
                                        "--epochs", epochs, "--threads", t, "--seed", seed]))

    def summary(runs):
        seconds = [e["seconds"] for r in runs for e in r["epochs"]]
        accuracy = [r["epochs"][-1]["test_accuracy"] for r in runs]
        return sum(seconds) / len(seconds), sum(accuracy) / len(accuracy), max(r["peak_memory_mb"] for r in runs)

    o = summary(ours)
    best_t = min(torch_threads, key=lambda t: summary(theirs[t])[0])
    print(f"Fashion-MNIST {model}, {epochs} epoch(s), seeds {','.join(seeds)}: mean epoch seconds, mean final test accuracy, peak MB")
    print(f"{'':>22} {'seconds':>8} {'accuracy':>9} {'peak MB':>8}")
    print(f"{f'Descent, {threads} thread(s)':>22} {o[0]:8.2f} {o[1]:9.4f} {o[2]:8.0f}")
    for t in torch_threads:
        p = summary(theirs[t])
        print(f"{f'PyTorch, {t} thread(s)':>22} {p[0]:8.2f} {p[1]:9.4f} {p[2]:8.0f}")
    print(f"speedup against PyTorch's best ({best_t} thread(s)): {summary(theirs[best_t])[0] / o[0]:.2f}x")

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("gemm", "optim", "tutorial", "fashion-mnist"):
        sys.exit(__doc__)
    threads = int(option("--threads", os.cpu_count() if sys.argv[1] != "tutorial" else 1))
    {"gemm": gemm, "optim": optim, "tutorial": tutorial, "fashion-mnist": fashion_mnist}[sys.argv[1]](threads)
