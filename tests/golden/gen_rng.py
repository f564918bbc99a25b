#!/usr/bin/python3
"""Golden vectors for Descent.Tensors.Generator.

Run with the system interpreter that has PyTorch 1.13:

    /usr/bin/python3 tests/golden/gen_rng.py

Writes tests/Descent.Tests/Golden/rng.json. Every case is a seed, a generator
kind ("default" = torch.manual_seed + global functions, "explicit" =
torch.Generator().manual_seed + generator=g) and a list of ops that are
replayed in order on one generator, each with PyTorch's output. Floats are
stored as their IEEE bit patterns (float32 -> uint32, float64 -> uint64) so
the comparison can be bit-exact.
"""
import base64
import hashlib
import json
import os
import struct
import warnings

import torch
import torch.nn.functional as F

SEEDS = [0, 1, 42, 2**40 + 3]
RANDN_SIZES = list(range(1, 41)) + [100, 1000, 1001]
DTYPES = {"float32": torch.float32, "float64": torch.float64}

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "Descent.Tests", "Golden", "rng.json"))

# randint(0, 2**33, dtype=float32) is deliberate: it exercises update_to().
warnings.filterwarnings("ignore", message="to - 1 is out of bounds")


def bits(t):
    """IEEE bit patterns of a float tensor, or the values of an int tensor."""
    t = t.contiguous().reshape(-1)
    if t.dtype == torch.float32:
        return [v & 0xFFFFFFFF for v in t.view(torch.int32).tolist()]
    if t.dtype == torch.float64:
        return [v & 0xFFFFFFFFFFFFFFFF for v in t.view(torch.int64).tolist()]
    return t.tolist()


def state_b64(gen):
    s = torch.get_rng_state() if gen is None else gen.get_state()
    return base64.b64encode(bytes(s.numpy())).decode("ascii")


class Case:
    def __init__(self, name, seed, kind):
        self.name, self.seed, self.kind = name, seed, kind
        self.ops = []
        if kind == "default":
            torch.manual_seed(seed)
            self.gen = None
        else:
            self.gen = torch.Generator()
            self.gen.manual_seed(seed)

    def kw(self):
        return {} if self.gen is None else {"generator": self.gen}

    def add(self, op, out, **args):
        entry = {"op": op}
        entry.update(args)
        entry["out"] = out
        self.ops.append(entry)

    def normal(self, dtype, n, mean=0.0, std=1.0):
        t = torch.empty(n, dtype=DTYPES[dtype])
        t.normal_(mean, std, **self.kw())
        self.add("normal", bits(t), dtype=dtype, n=n, mean=mean, std=std)

    def randn(self, dtype, n):
        t = torch.randn(n, dtype=DTYPES[dtype], **self.kw())
        self.add("normal", bits(t), dtype=dtype, n=n, mean=0.0, std=1.0)

    def normal_tensor_mean(self, n, std):
        # torch.normal(mean_tensor, std) == normal_(0, std) then add_(mean).
        mean = torch.arange(n, dtype=torch.float32) * 0.25 - 1.0
        t = torch.normal(mean, std, **self.kw())
        self.add("normal_tensor_mean", bits(t), dtype="float32", n=n,
                 std=std, meanBits=bits(mean))

    def rand(self, dtype, n):
        t = torch.rand(n, dtype=DTYPES[dtype], **self.kw())
        self.add("uniform", bits(t), dtype=dtype, n=n, low=0.0, high=1.0)

    def uniform(self, dtype, n, a, b):
        t = torch.empty(n, dtype=DTYPES[dtype])
        t.uniform_(a, b, **self.kw())
        self.add("uniform", bits(t), dtype=dtype, n=n, low=a, high=b)

    def randint(self, dtype, n, low, high):
        t = torch.randint(low, high, (n,), dtype=getattr(torch, dtype), **self.kw())
        self.add("randint", bits(t), dtype=dtype, n=n, low=low, high=high)

    def randperm(self, n):
        t = torch.randperm(n, **self.kw())
        self.add("randperm", bits(t), n=n)

    def random_int64(self):
        v = torch.empty((), dtype=torch.int64).random_(**self.kw()).item()
        self.add("random_int64", [v])

    def bernoulli(self, n, p):
        t = torch.empty(n).bernoulli_(p, **self.kw())
        self.add("bernoulli", bits(t), dtype="float32", n=n, p=p)

    def dropout(self, n, p):
        assert self.gen is None, "F.dropout only uses the default generator"
        t = F.dropout(torch.ones(n), p=p, training=True)
        self.add("dropout", bits(t), dtype="float32", n=n, p=p)

    def digest(self, op, dtype, n, **args):
        """Large fills are stored as the SHA-256 of their little-endian bytes."""
        t = torch.empty(n, dtype=DTYPES[dtype])
        if op == "normal":
            t.normal_(args["mean"], args["std"], **self.kw())
        else:
            t.uniform_(args["low"], args["high"], **self.kw())
        entry = {"op": op, "dtype": dtype, "n": n}
        entry.update(args)
        entry["sha256"] = hashlib.sha256(t.numpy().tobytes()).hexdigest()
        self.ops.append(entry)

    def state(self):
        self.add("state", state_b64(self.gen))

    def to_json(self):
        return {"name": self.name, "seed": self.seed, "kind": self.kind, "ops": self.ops}


def main():
    cases = []
    for seed in SEEDS:
        for dtype in DTYPES:
            for n in RANDN_SIZES:
                c = Case(f"randn_{dtype}_{n}_seed{seed}", seed, "default")
                c.randn(dtype, n)
                cases.append(c)

        for kind in ("default", "explicit"):
            c = Case(f"mixed_{kind}_seed{seed}", seed, kind)
            c.state()
            for dtype in DTYPES:
                c.rand(dtype, 7)
                c.rand(dtype, 33)
                c.uniform(dtype, 9, -0.3, 0.7)
                c.normal(dtype, 5, 2.0, 0.5)
                c.normal(dtype, 37, 2.0, 0.5)
                # A range and std that are not powers of two, so that the
                # fused x * range + from (GCC -ffp-contract=fast) is visible.
                c.uniform(dtype, 64, 0.1, 2.9)
                for _ in range(3):
                    c.normal(dtype, 15, 1.7, 0.3)
                c.normal(dtype, 48, 1.7, 0.3)
            c.randint("int64", 20, 0, 10)
            c.randint("int64", 9, -5, 5)
            c.randint("int64", 6, 0, 2**40)
            c.randint("int64", 4, -2**62, 2**62)
            c.randint("float32", 5, 0, 10)
            c.randint("float64", 5, 0, 10)
            c.randint("float32", 3, 0, 2**33)
            for n in (1, 5, 100, 1000):
                c.randperm(n)
            for _ in range(5):
                c.random_int64()
            c.bernoulli(50, 0.5)
            c.bernoulli(20, 0.9)
            c.normal_tensor_mean(21, 0.5)
            c.normal_tensor_mean(6, 2.0)
            c.state()
            cases.append(c)

        # Interleavings where the cached second Box-Muller sample matters.
        for kind in ("default", "explicit"):
            c = Case(f"interleave_{kind}_seed{seed}", seed, kind)
            c.randn("float32", 3)
            c.state()
            c.randn("float32", 20)
            c.state()
            c.rand("float32", 5)
            c.randn("float32", 1)
            c.randn("float64", 2)
            c.randn("float64", 1)
            c.state()
            c.randn("float32", 16)
            c.randn("float32", 15)
            c.randn("float64", 17)
            c.randperm(3)
            c.randn("float32", 1)
            c.state()
            cases.append(c)

        c = Case(f"dropout_seed{seed}", seed, "default")
        c.dropout(40, 0.5)
        c.dropout(25, 0.3)
        c.randn("float32", 2)
        c.dropout(30, 0.1)
        c.state()
        cases.append(c)

    # Large permutations (still the 32-bit random() % (n - i) algorithm?).
    c = Case("randperm_large_seed7", 7, "explicit")
    c.randperm(70000)
    c.state()
    cases.append(c)

    # Millions of AVX2 Box-Muller / uniform samples, as digests.
    c = Case("large_digests_seed5", 5, "explicit")
    c.digest("normal", "float32", 1_000_003, mean=0.0, std=1.0)
    c.digest("normal", "float32", 1_000_000, mean=1.7, std=0.3)
    c.digest("normal", "float64", 200_003, mean=1.7, std=0.3)
    c.digest("uniform", "float32", 1_000_000, low=0.1, high=2.9)
    c.digest("uniform", "float64", 200_000, low=0.1, high=2.9)
    c.state()
    cases.append(c)

    # Negative seeds are reinterpreted as uint64 (2**64 - 1 here).
    c = Case("negative_seed", -1, "explicit")
    c.randn("float32", 5)
    c.randn("float32", 17)
    c.state()
    cases.append(c)

    # Required spot check from the brief.
    torch.manual_seed(1)
    spot = torch.randn(2, 2)

    # A generator left mid-stream with a cached normal sample: the test
    # restores this exact PyTorch state and must continue identically.
    torch.manual_seed(123)
    torch.randn(5)
    torch.rand(700)
    restore_state = state_b64(None)
    cont = Case.__new__(Case)
    cont.name, cont.seed, cont.kind, cont.ops, cont.gen = "restore", 123, "default", [], None
    cont.randn("float32", 3)
    cont.randn("float32", 40)
    cont.rand("float64", 4)
    cont.random_int64()
    cont.state()

    # Legacy 5048-byte state: the cached sample is rebuilt as rho * sin(2 pi x).
    legacy = bytearray(base64.b64decode(restore_state)[:5048])
    struct.pack_into("<ddd", legacy, 5016, 0.1, 7.0, 1.5)  # normal_x, normal_y, normal_rho
    struct.pack_into("<i", legacy, 5040, 1)
    torch.set_rng_state(torch.tensor(list(legacy), dtype=torch.uint8))
    legacy_cont = Case.__new__(Case)
    legacy_cont.name, legacy_cont.seed, legacy_cont.kind, legacy_cont.ops, legacy_cont.gen = "legacy", 0, "default", [], None
    legacy_cont.randn("float64", 3)
    legacy_cont.randn("float32", 2)
    legacy_cont.state()

    fresh = torch.Generator()
    fresh_first = torch.randn(4, generator=fresh)

    data = {
        "torch": torch.__version__,
        "config": [l.strip() for l in torch.__config__.show().splitlines() if "CPU capability" in l],
        "spotRandn2x2Seed1": bits(spot),
        "freshGeneratorInitialSeed": torch.Generator().initial_seed(),
        "freshGeneratorRandn4": bits(fresh_first),
        "restore": {"state": restore_state, "ops": cont.ops},
        "legacyRestore": {"state": base64.b64encode(bytes(legacy)).decode("ascii"), "ops": legacy_cont.ops},
        "cases": [c.to_json() for c in cases],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print(f"wrote {OUT}: {os.path.getsize(OUT)} bytes, {len(cases)} cases")


if __name__ == "__main__":
    main()
