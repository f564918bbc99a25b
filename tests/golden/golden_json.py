"""What the golden scripts share: a tensor as the JSON the tests read (tests/Descent.Tests/Support/GoldenJson)."""


def num(v):
    # JSON has no infinities or NaN: those are written as the strings "inf", "-inf" and "nan".
    return v if v == v and abs(v) != float("inf") else str(v)


def enc(t):
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
            "data": [num(v) for v in t.detach().reshape(-1).tolist()]}
