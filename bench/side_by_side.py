"""Runs a Descent benchmark and the same workload in PyTorch, one after the other, and prints both with ratios.

Usage (from the repository root, after `dotnet build -c Release src/Descent.Cli`):
  /usr/bin/python3 bench/side_by_side.py gemm --threads 1
  /usr/bin/python3 bench/side_by_side.py gemm --threads 2
Needs: apt-get install python3-torch libopenblas0-pthread
"""
import json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DESCENT = ["dotnet", os.path.join(ROOT, "src/Descent.Cli/bin/Release/net10.0/descent.dll")]

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

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("gemm",):
        sys.exit(__doc__)
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else os.cpu_count()
    {"gemm": gemm}[sys.argv[1]](threads)
