using System.Numerics;

namespace Descent.Kernels;

/// <summary>
/// Elementwise binary cross-entropy, on probabilities and on logits, with their gradients, in ATen's formulas.
/// All spans are dense and of the input's length; weights are already broadcast (empty span: no weight).
/// </summary>
internal static class BinaryLossKernels
{
    // binary_cross_entropy_backward divides by max((1 - x)·x, EPSILON).
    private const double Epsilon = 1e-12;

    /// <summary>ℓ = (t − 1)·max(log(1 − x), −100) − t·max(log x, −100), times the weight; false if some x is outside [0, 1].</summary>
    public static bool Bce<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, ReadOnlySpan<T> w, Span<T> loss) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T floor = T.CreateTruncating(-100);
        for (int i = 0; i < x.Length; i++)
        {
            T xi = x[i], ti = t[i];
            if (!(xi >= T.Zero && xi <= T.One)) return false;
            T l = (ti - T.One) * T.Max(T.Log(T.One - xi), floor) - ti * T.Max(T.Log(xi), floor);
            loss[i] = w.IsEmpty ? l : l * w[i];
        }
        return true;
    }

    /// <summary>∂x = g·(x − t) / max((1 − x)·x, ε), ∂t = g·(log(1 − x) − log x), each times the weight; g is per element or one value.</summary>
    public static void BceBackward<T>(ReadOnlySpan<T> g, T scale, ReadOnlySpan<T> x, ReadOnlySpan<T> t, ReadOnlySpan<T> w, Span<T> gx, Span<T> gt)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T eps = T.CreateTruncating(Epsilon);
        for (int i = 0; i < x.Length; i++)
        {
            T gi = (g.Length == 1 ? g[0] : g[i]) * scale;
            if (!w.IsEmpty) gi *= w[i];
            T xi = x[i];
            if (!gx.IsEmpty) gx[i] = gi * (xi - t[i]) / T.Max((T.One - xi) * xi, eps);
            if (!gt.IsEmpty) gt[i] = gi * (T.Log(T.One - xi) - T.Log(xi));
        }
    }

    /// <summary>
    /// ℓ = (1 − t)·x + (1 + (p − 1)·t)·(log(e^−m + e^(−x−m)) + m) with m = max(−x, 0), times the weight; without a
    /// positive weight p the factor is 1. This is ATen's overflow-free form of −[p·t·log σ(x) + (1 − t)·log(1 − σ(x))].
    /// </summary>
    public static void BceWithLogits<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, ReadOnlySpan<T> w, ReadOnlySpan<T> posWeight, Span<T> loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            T xi = x[i], ti = t[i];
            T m = T.Max(-xi, T.Zero);
            T softplusNeg = T.Log(T.Exp(-m) + T.Exp(-xi - m)) + m;
            T lw = posWeight.IsEmpty ? T.One : (posWeight[i] - T.One) * ti + T.One;
            T l = (T.One - ti) * xi + lw * softplusNeg;
            loss[i] = w.IsEmpty ? l : l * w[i];
        }
    }

    /// <summary>∂x = g·((p·t + 1 − t)·σ(x) − p·t), ∂t = g·(−x + (p − 1)·log(1 + e^−x)), each times the weight (p = 1 without one).</summary>
    public static void BceWithLogitsBackward<T>(ReadOnlySpan<T> g, T scale, ReadOnlySpan<T> x, ReadOnlySpan<T> t, ReadOnlySpan<T> w,
        ReadOnlySpan<T> posWeight, Span<T> gx, Span<T> gt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            T gi = (g.Length == 1 ? g[0] : g[i]) * scale;
            if (!w.IsEmpty) gi *= w[i];
            T xi = x[i], ti = t[i];
            T p = posWeight.IsEmpty ? T.One : posWeight[i];
            T sig = T.One / (T.One + T.Exp(-xi));
            if (!gx.IsEmpty) gx[i] = posWeight.IsEmpty ? gi * (sig - ti) : gi * ((p * ti + T.One - ti) * sig - p * ti);
            if (!gt.IsEmpty)
            {
                T m = T.Max(-xi, T.Zero);
                T softplusNeg = T.Log(T.Exp(-m) + T.Exp(-xi - m)) + m;
                gt[i] = gi * (-xi + (p - T.One) * softplusNeg);
            }
        }
    }
}
