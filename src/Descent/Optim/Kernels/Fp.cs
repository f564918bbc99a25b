using System.Numerics;

namespace Descent.Optim.Kernels;

/// <summary>
/// Helpers that reproduce how PyTorch's CPU kernels round, in float32 and float64: a Python float scalar meets a
/// tensor as a value of the tensor's dtype, and lerp uses the two-sided formula of ATen's <c>lerp</c>.
/// </summary>
internal static class Fp
{
    /// <summary>ATen's lerp: s + w·(e − s) when |w| &lt; 0.5, else e − (e − s)·(1 − w), as one fused multiply-add.</summary>
    public static T Lerp<T>(T start, T end, T weight) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        T.Abs(weight) < Half<T>()
            ? T.FusedMultiplyAdd(weight, end - start, start)
            : T.FusedMultiplyAdd(weight - T.One, end - start, end);

    /// <summary>0.5 in <typeparamref name="T"/>: the point where <see cref="Lerp{T}"/> changes sides.</summary>
    public static T Half<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.CreateTruncating(0.5);

    /// <summary>A Python float (a double) as a scalar meeting a tensor of <typeparamref name="T"/>: rounded to it.</summary>
    public static T Of<T>(double value) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.CreateTruncating(value);

    /// <summary>Rounds a float32 to bfloat16 (round to nearest even, as <c>c10::BFloat16</c>) and back.</summary>
    public static float Bf16(float f)
    {
        if (float.IsNaN(f)) return float.NaN;
        uint bits = BitConverter.SingleToUInt32Bits(f);
        bits += 0x7FFFu + ((bits >> 16) & 1u);
        return BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000u);
    }

    /// <summary>
    /// The Euclidean norm of a span as PyTorch's reduction in its dtype returns it: a float32 norm accumulated wider
    /// and rounded once, but +∞ where PyTorch's float32 sum of squares overflows (<see cref="NormFromSquares{T}"/>);
    /// a float64 norm accumulated in double.
    /// </summary>
    public static T Norm<T>(ReadOnlySpan<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double s = 0;
        foreach (var v in x)
        {
            double d = double.CreateTruncating(v);
            s += d * d;
        }
        return NormFromSquares<T>(s);
    }

    /// <summary>
    /// √s for a sum of squares <paramref name="s"/> accumulated in double, as a norm of dtype <typeparamref name="T"/>:
    /// PyTorch accumulates a float32 norm in float32, so once the sum passes float.MaxValue its norm is +∞ (‖[1e20]‖
    /// is ∞), not the finite √s. The partial sums only grow, so the final sum tells.
    /// </summary>
    public static T NormFromSquares<T>(double s) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) && s > float.MaxValue ? T.PositiveInfinity : T.CreateTruncating(Math.Sqrt(s));

    /// <summary>A dot product: a float32 one accumulated in double and rounded once, a float64 one in double.</summary>
    public static T Dot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += double.CreateTruncating(a[i]) * double.CreateTruncating(b[i]);
        return T.CreateTruncating(s);
    }

    /// <summary>Python's <c>max(a, b)</c>: <paramref name="a"/> unless <paramref name="b"/> &gt; <paramref name="a"/>, so a NaN <paramref name="b"/> gives <paramref name="a"/>.</summary>
    public static double PyMax(double a, double b) => b > a ? b : a;
}
