namespace Descent.Tensors;

/// <summary>
/// The 16-element Box–Muller transforms of PyTorch's CPU <c>normal_fill</c>
/// (ATen/native/cpu/DistributionTemplates.h): the first 8 entries of a block
/// hold u1, the last 8 hold u2, and each pair becomes (r cos θ, r sin θ).
/// </summary>
internal static class BoxMuller
{
    /// <summary>Block length of <c>normal_fill_16</c>.</summary>
    public const int BlockSize = 16;

    private const int Half = BlockSize / 2;

    // _mm256_set1_ps(2.0f * c10::pi<double>): 2π rounded once to float.
    private const float TwoPiF = (float)(2.0 * Math.PI);

    /// <summary>
    /// <c>normal_fill_16_AVX2</c>: the float path PyTorch's AVX2 build takes for
    /// contiguous float32 tensors of 16 or more elements. Uses the Cephes float
    /// log/sincos of avx_mathfun.h and a final fused <c>n * std + mean</c>.
    /// </summary>
    public static void Fill16Avx2(Span<float> block, float mean, float std)
    {
        block = block[..BlockSize];
        for (int j = 0; j < Half; j++)
        {
            float u1 = 1f - block[j]; // [0, 1) -> (0, 1] for log
            float u2 = block[j + Half];
            float radius = MathF.Sqrt(-2f * AvxMathFun.Log(u1));
            float theta = TwoPiF * u2;
            AvxMathFun.SinCos(theta, out float sin, out float cos);
            block[j] = MathF.FusedMultiplyAdd(radius * cos, std, mean);
            block[j + Half] = MathF.FusedMultiplyAdd(radius * sin, std, mean);
        }
    }

    /// <summary>
    /// <c>normal_fill_16&lt;double&gt;</c>: the path for contiguous float64
    /// tensors of 16 or more elements, with libm's log/cos/sin (which is what
    /// <see cref="Math.Log(double)"/>, <see cref="Math.Cos"/> and
    /// <see cref="Math.Sin"/> call on Linux).
    /// </summary>
    public static void Fill16(Span<double> block, double mean, double std)
    {
        block = block[..BlockSize];
        for (int j = 0; j < Half; j++)
        {
            double u1 = 1.0 - block[j];
            double u2 = block[j + Half];
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            double theta = 2.0 * Math.PI * u2;
            // GCC contracts `radius * cos * std + mean` into fma(radius * cos, std, mean).
            block[j] = Math.FusedMultiplyAdd(radius * Math.Cos(theta), std, mean);
            block[j + Half] = Math.FusedMultiplyAdd(radius * Math.Sin(theta), std, mean);
        }
    }
}
