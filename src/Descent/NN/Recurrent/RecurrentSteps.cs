using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// One time step of each recurrent cell, from differentiable tensor ops only (so autograd, double backward and
/// gradcheck need nothing new). <c>xp</c> is the input projection x·W_ihᵀ + b_ih, computed by the caller (for a
/// whole sequence at once in the layers); the hidden projection of all gates is one fused product with W_hh.
/// The arithmetic follows PyTorch's CPU cells, so float32 results agree to rounding.
/// </summary>
internal static class RecurrentSteps
{
    public static Tensor Rnn(Tensor xp, Tensor h, Tensor wHh, Tensor? bHh, bool relu)
    {
        var a = xp.Add(Functional.Linear(h, wHh, bHh));
        return relu ? a.Relu() : a.Tanh();
    }

    // Gates i, f, g, o; c' = f·c + i·g, h' = o·tanh(c').
    public static (Tensor H, Tensor C) Lstm(Tensor xp, Tensor h, Tensor c, Tensor wHh, Tensor? bHh)
    {
        var cell = Tensor.LstmCell(xp.Add(Functional.Linear(h, wHh, bHh)), c);
        return (cell.H, cell.C);
    }

    // Gates r, z, n; n = tanh(x_n + r·(W_hn·h + b_hn)), h' = n + z·(h − n) = (1 − z)·n + z·h.
    public static Tensor Gru(Tensor xp, Tensor h, Tensor wHh, Tensor? bHh)
    {
        var gh = Functional.Linear(h, wHh, bHh);
        int d = gh.Dim - 1, n = h.shape[^1];
        var r = xp.Narrow(d, 0, n).Add(gh.Narrow(d, 0, n)).Sigmoid();
        var z = xp.Narrow(d, n, n).Add(gh.Narrow(d, n, n)).Sigmoid();
        var nn = xp.Narrow(d, 2 * n, n).Add(r.Mul(gh.Narrow(d, 2 * n, n))).Tanh();
        return h.Sub(nn).Mul(z).Add(nn);
    }
}
