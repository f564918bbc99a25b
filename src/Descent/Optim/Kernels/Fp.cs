namespace Descent.Optim.Kernels;

/// <summary>
/// Float32 helpers that reproduce how PyTorch's CPU kernels round: a Python float scalar meets a float32 tensor
/// as a float32 value, and lerp uses the two-sided formula of ATen's <c>lerp</c>.
/// </summary>
public static class Fp
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

    /// <summary>The Euclidean norm of a span as PyTorch's float32 reduction returns it (accumulated wider, rounded once).</summary>
    public static float Norm(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (var v in x) s += (double)v * v;
        return (float)Math.Sqrt(s);
    }

    /// <summary>A float32 dot product, accumulated in double and rounded once.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return (float)s;
    }
}
