namespace Descent.Optim.Kernels;

/// <summary>
/// Float32 helpers that reproduce how PyTorch's CPU kernels round: a Python float scalar meets a float32 tensor
/// as a float32 value, and lerp uses the two-sided formula of ATen's <c>lerp</c>.
/// </summary>
internal static class Fp
{
    /// <summary>ATen's lerp: s + w·(e − s) when |w| &lt; 0.5, else e − (e − s)·(1 − w), as one fused multiply-add.</summary>
    public static float Lerp(float start, float end, float weight) =>
        MathF.Abs(weight) < 0.5f
            ? MathF.FusedMultiplyAdd(weight, end - start, start)
            : MathF.FusedMultiplyAdd(weight - 1f, end - start, end);

    /// <summary>Rounds a float32 to bfloat16 (round to nearest even, as <c>c10::BFloat16</c>) and back.</summary>
    public static float Bf16(float f)
    {
        if (float.IsNaN(f)) return float.NaN;
        uint bits = BitConverter.SingleToUInt32Bits(f);
        bits += 0x7FFFu + ((bits >> 16) & 1u);
        return BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000u);
    }

    /// <summary>
    /// The Euclidean norm of a span as PyTorch's float32 reduction returns it: accumulated wider and rounded once, but
    /// +∞ where PyTorch's float32 sum of squares overflows (<see cref="NormFromSquares"/>).
    /// </summary>
    public static float Norm(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (var v in x) s += (double)v * v;
        return NormFromSquares(s);
    }

    /// <summary>
    /// √s for a sum of squares <paramref name="s"/> accumulated in double, as a float32 norm: PyTorch accumulates a
    /// float32 norm in float32, so once the sum passes float.MaxValue its norm is +∞ (‖[1e20]‖ is ∞), not the
    /// finite √s. The partial sums only grow, so the final sum tells.
    /// </summary>
    public static float NormFromSquares(double s) => s > float.MaxValue ? float.PositiveInfinity : (float)Math.Sqrt(s);

    /// <summary>A float32 dot product, accumulated in double and rounded once.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return (float)s;
    }

    /// <summary>Python's <c>max(a, b)</c>: <paramref name="a"/> unless <paramref name="b"/> &gt; <paramref name="a"/>, so a NaN <paramref name="b"/> gives <paramref name="a"/>.</summary>
    public static double PyMax(double a, double b) => b > a ? b : a;
}
