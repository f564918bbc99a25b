"""The classic tutorial's training loop in PyTorch, tests/golden/gen_compare.py's run(), timed several times in one
process (the same program as `descent bench tutorial`).

Usage: /usr/bin/python3 bench/torch_tutorial.py [--repeat N] [--threads N]
Prints one JSON line: {"steps", "runs_ms", "first_ms", "best_ms", "best_us_per_step"}.
"""
import json, os, sys
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "golden"))
import gen_compare  # noqa: E402

def option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default

if __name__ == "__main__":
    torch.set_num_threads(int(option("--threads", "1")))
    runs = [gen_compare.run()[1] for _ in range(int(option("--repeat", "10")))]
    best = min(runs[1:]) if len(runs) > 1 else runs[0]
    steps = 4 * 12 * 32
    print(json.dumps({"steps": steps, "runs_ms": runs, "first_ms": runs[0], "best_ms": best,
                      "best_us_per_step": best * 1000 / steps}))
