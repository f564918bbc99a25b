"""Samplers, DataLoader workers and default_collate from PyTorch, for SamplerTests, WorkerTests and CollateTests.

Usage: /usr/bin/python3 tests/golden/gen_data.py > tests/Descent.Tests/Golden/data.json

Where 1.13 draws differently from current PyTorch, the case says so and records current PyTorch's draws.
Every case starts from torch.manual_seed(seed) (and, where it says so, a Generator seeded with generator_seed), runs
some epochs and records what came out, then torch.rand(2) from the default generator: that shows how many numbers
the epochs drew from it. The worker cases use real worker processes (num_workers > 0); their datasets draw
torch.rand in __getitem__, so the values show each worker's seed.
"""
import json

import torch
from torch.utils.data import (BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler,
                              SubsetRandomSampler, TensorDataset, WeightedRandomSampler)


def after():
    return torch.rand(2).tolist()


def sampler_case(name, make, epochs, seed=0, generator_seed=None):
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(generator_seed) if generator_seed is not None else None
    s = make(g)
    out = [list(s) for _ in range(epochs)]
    return {"name": name, "seed": seed, "generator_seed": generator_seed, "len": len(s), "epochs": out, "after": after()}


samplers = [
    sampler_case("sequential", lambda g: SequentialSampler(range(5)), 1),
    sampler_case("random", lambda g: RandomSampler(range(7)), 3, seed=1),
    sampler_case("random generator", lambda g: RandomSampler(range(7), generator=g), 3, seed=1, generator_seed=5),
    sampler_case("random num_samples above n", lambda g: RandomSampler(range(4), num_samples=10, generator=g), 2, generator_seed=3),
    sampler_case("random num_samples below n", lambda g: RandomSampler(range(6), num_samples=4), 2, seed=2),
    sampler_case("random replacement", lambda g: RandomSampler(range(9), replacement=True), 2, seed=4),
    sampler_case("random replacement 70 samples", lambda g: RandomSampler(range(100), replacement=True, num_samples=70, generator=g), 2,
                 generator_seed=11),
    sampler_case("random replacement 64 samples", lambda g: RandomSampler(range(5), replacement=True, num_samples=64), 1, seed=6),
    sampler_case("subset random", lambda g: SubsetRandomSampler([10, 3, 7, 22, 5]), 3, seed=7),
    sampler_case("subset random generator", lambda g: SubsetRandomSampler([4, 8, 15, 16, 23, 42], generator=g), 2, generator_seed=9),
    sampler_case("weighted", lambda g: WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.5], 12), 2, seed=8),
    sampler_case("weighted generator", lambda g: WeightedRandomSampler([1, 2, 3, 4], 7, generator=g), 2, generator_seed=13),
    # Current PyTorch's multinomial draws a single sample, even with replacement, the way it draws without
    # replacement (one exponential per weight, argmax); 1.13 did so only without replacement. So the current
    # WeightedRandomSampler(weights, 1) is 1.13's with replacement=False.
    sampler_case("weighted one sample", lambda g: WeightedRandomSampler([1.0, 1.1, 0.9, 1.2, 0.8], 1, replacement=False), 4, seed=10),
    sampler_case("weighted without replacement", lambda g: WeightedRandomSampler([0.2, 0.5, 0.3, 1.0, 0.05, 2.0, 0.7], 5, replacement=False),
                 3, seed=12),
    sampler_case("weighted all without replacement", lambda g: WeightedRandomSampler([3.0, 1e-3, 0.5, 0.5, 7.0], 5, replacement=False,
                                                                                     generator=g), 2, generator_seed=14),
    sampler_case("batch", lambda g: BatchSampler(RandomSampler(range(10), generator=g), 3, False), 2, generator_seed=15),
    sampler_case("batch drop_last", lambda g: BatchSampler(RandomSampler(range(10), generator=g), 3, True), 2, generator_seed=15),
    sampler_case("batch of weighted", lambda g: BatchSampler(WeightedRandomSampler([1.0, 0.5, 2.0], 8), 4, False), 2, seed=16),
]


class Noisy(Dataset):
    """Item i: (i, i + torch.rand(2)): the rand shows which generator the item was made with."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return torch.tensor(i), i + torch.rand(2)


def loader_case(name, n, epochs, seed=0, generator_seed=None, **kwargs):
    torch.manual_seed(seed)
    if generator_seed is not None:
        kwargs["generator"] = torch.Generator().manual_seed(generator_seed)
    if "sampler" in kwargs:
        kwargs["sampler"] = kwargs["sampler"](kwargs.get("generator"))
    if "batch_sampler" in kwargs:
        kwargs["batch_sampler"] = kwargs["batch_sampler"](kwargs.get("generator"))
    loader = DataLoader(Noisy(n), **kwargs)
    out = [[{"index": b[0].tolist(), "noise": b[1].reshape(-1).tolist()} for b in loader] for _ in range(epochs)]
    kw = {k: v for k, v in kwargs.items() if k in ("batch_size", "shuffle", "num_workers", "prefetch_factor", "drop_last")}
    return {"name": name, "n": n, "seed": seed, "generator_seed": generator_seed, "options": kw, "len": len(loader), "epochs": out,
            "after": after()}


loaders = [
    loader_case("serial shuffled", 10, 2, seed=1, batch_size=3, shuffle=True),
    loader_case("2 workers shuffled", 10, 2, seed=1, batch_size=3, shuffle=True, num_workers=2),
    loader_case("3 workers sequential prefetch 1", 11, 2, seed=2, batch_size=2, num_workers=3, prefetch_factor=1),
    loader_case("2 workers generator drop_last", 9, 3, seed=3, generator_seed=21, batch_size=2, shuffle=True, num_workers=2,
                drop_last=True),
    loader_case("4 workers sampler", 8, 2, seed=4, batch_size=3, num_workers=4,
                sampler=lambda g: WeightedRandomSampler([1, 1, 2, 2, 3, 3, 4, 4], 10)),
    loader_case("serial batch_sampler", 8, 2, seed=5, generator_seed=22,
                batch_sampler=lambda g: BatchSampler(SubsetRandomSampler([0, 2, 4, 6, 7], generator=g), 2, True)),
    loader_case("2 workers batch_sampler", 8, 2, seed=5, generator_seed=22, num_workers=2,
                batch_sampler=lambda g: BatchSampler(SubsetRandomSampler([0, 2, 4, 6, 7], generator=g), 2, True)),
]


def collated(v):
    if isinstance(v, torch.Tensor):
        return {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "data": v.reshape(-1).tolist()}
    if isinstance(v, dict):
        return {"dict": {k: collated(x) for k, x in v.items()}}
    return {"list": [collated(x) for x in v]}


class Tuples(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return torch.full((2,), i * 0.5), i, i * 0.25, i % 2 == 0


class Dicts(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return {"x": torch.arange(3) + i, "y": i * 1.5, "label": 7 - i}


torch.manual_seed(0)
collate = {
    "tuples": [collated(b) for b in DataLoader(Tuples(), batch_size=2)],
    "dicts": [collated(b) for b in DataLoader(Dicts(), batch_size=3)],
}


def message(make):
    try:
        make()
    except Exception as e:  # noqa: BLE001 - the text is what is recorded
        return str(e)
    raise AssertionError("no error")


ds = TensorDataset(torch.arange(4))
errors = {
    "sampler and shuffle": message(lambda: DataLoader(ds, sampler=SequentialSampler(ds), shuffle=True)),
    "batch_sampler and batch_size": message(lambda: DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(ds), 2, False), batch_size=2)),
    "batch_sampler and drop_last": message(lambda: DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(ds), 2, False), drop_last=True)),
    "negative num_workers": message(lambda: DataLoader(ds, num_workers=-1)),
    "batch_size 0": message(lambda: DataLoader(ds, batch_size=0)),
    "num_samples 0": message(lambda: RandomSampler(ds, num_samples=0)),
    "weighted num_samples 0": message(lambda: WeightedRandomSampler([1.0], 0)),
    "weighted too many without replacement": message(lambda: list(WeightedRandomSampler([1.0, 2.0], 3, replacement=False))),
    "weighted negative": message(lambda: list(WeightedRandomSampler([1.0, -2.0], 3))),
    "weighted nan": message(lambda: list(WeightedRandomSampler([1.0, float("nan")], 3))),
    "weighted inf": message(lambda: list(WeightedRandomSampler([1.0, float("inf")], 3))),
    "weighted zero": message(lambda: list(WeightedRandomSampler([0.0, 0.0], 3))),
    "weighted negative without replacement": message(lambda: list(WeightedRandomSampler([1.0, -2.0], 1, replacement=False))),
    "weighted zero without replacement": message(lambda: list(WeightedRandomSampler([0.0, 0.0], 1, replacement=False))),
}

print(json.dumps({"torch": torch.__version__, "samplers": samplers, "loaders": loaders, "collate": collate, "errors": errors}, indent=1))
