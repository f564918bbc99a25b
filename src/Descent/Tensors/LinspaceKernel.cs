using System.Numerics;

namespace Descent.Tensors;

/// <summary>
/// PyTorch's CPU linspace, reproduced exactly: step = (end - start) / (steps - 1); indices below the halfway
/// point count up from start, the rest down from end. Its vectorised loop takes blocks of 8 (AVX2 floats), each
/// block computed from its first index as base + i·step, with a scalar tail, so the rounding depends on the
/// blocking and is mirrored here.
/// </summary>
internal static class LinspaceKernel
{
    private const int Block = 8;

    public static void Fill<T>(Span<T> dst, T start, T end) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = dst.Length;
        T step = (end - start) / T.CreateTruncating(steps - 1);
        int halfway = steps / 2;
        // float's AVX2 vector holds 8 lanes, double's 4; the loop runs two vectors per iteration.
        int lanes = typeof(T) == typeof(float) ? Block : Block / 2;
        // The vector loop consumes two vectors per iteration; what is left goes through the scalar loop.
        int vectorEnd = steps / (2 * lanes) * (2 * lanes);
        int idx = 0;
        for (; idx < vectorEnd; idx += lanes)
        {
            T baseValue = idx < halfway ? start + step * T.CreateTruncating(idx) : end - step * T.CreateTruncating(steps - idx - 1);
            for (int i = 0; i < lanes; i++) dst[idx + i] = baseValue + T.CreateTruncating(i) * step;
        }
        for (; idx < steps; idx++)
            dst[idx] = idx < halfway ? start + step * T.CreateTruncating(idx) : end - step * T.CreateTruncating(steps - idx - 1);
    }
}
