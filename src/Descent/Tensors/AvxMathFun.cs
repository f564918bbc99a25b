using System.Runtime.CompilerServices;

namespace Descent.Tensors;

/// <summary>
/// Scalar, bit-exact re-statements of <c>log256_ps</c> and <c>sincos256_ps</c>
/// from PyTorch's <c>ATen/native/cpu/avx_mathfun.h</c> (Cephes single-precision
/// log and sin/cos), which <c>normal_fill_16_AVX2</c> uses.
/// </summary>
/// <remarks>
/// Every lane of the AVX2 code is independent, so evaluating one float at a
/// time with the same IEEE operations in the same order gives the same bits.
/// PyTorch's AVX2 kernels are compiled by GCC with <c>-mfma</c> and the default
/// <c>-ffp-contract=fast</c>; GCC's intrinsics are plain vector arithmetic, so
/// a multiply whose only users are additions is fused into an FMA. The
/// <see cref="MathF.FusedMultiplyAdd"/> calls below mark exactly those places.
/// </remarks>
internal static class AvxMathFun
{
    private const float SqrtHalf = 0.707106781186547524f; // cephes_SQRTHF
    private const float LogP0 = 7.0376836292E-2f;
    private const float LogP1 = -1.1514610310E-1f;
    private const float LogP2 = 1.1676998740E-1f;
    private const float LogP3 = -1.2420140846E-1f;
    private const float LogP4 = +1.4249322787E-1f;
    private const float LogP5 = -1.6668057665E-1f;
    private const float LogP6 = +2.0000714765E-1f;
    private const float LogP7 = -2.4999993993E-1f;
    private const float LogP8 = +3.3333331174E-1f;
    private const float LogQ1 = -2.12194440e-4f;
    private const float LogQ2 = 0.693359375f;

    private const float MinusDp1 = -0.78515625f;
    private const float MinusDp2 = -2.4187564849853515625e-4f;
    private const float MinusDp3 = -3.77489497744594108e-8f;
    private const float SinP0 = -1.9515295891E-4f;
    private const float SinP1 = 8.3321608736E-3f;
    private const float SinP2 = -1.6666654611E-1f;
    private const float CosP0 = 2.443315711809948E-005f;
    private const float CosP1 = -1.388731625493765E-003f;
    private const float CosP2 = 4.166664568298827E-002f;
    private const float FourOverPi = 1.27323954473516f; // cephes_FOPI

    private const int MinNormPosBits = 0x00800000;
    private const int InvMantMask = ~0x7f800000;

    /// <summary>Natural log of one lane, as <c>log256_ps</c> (NaN for x &lt;= 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log(float x)
    {
        bool invalid = x <= 0f;
        // _mm256_max_ps(x, min_norm_pos): cut off denormals.
        float minNorm = BitConverter.Int32BitsToSingle(MinNormPosBits);
        x = x > minNorm ? x : minNorm;

        int bits = BitConverter.SingleToInt32Bits(x);
        int exponent = (int)((uint)bits >> 23) - 0x7f;
        // Keep the mantissa and force the exponent of 0.5f: x in [0.5, 1).
        x = BitConverter.Int32BitsToSingle((bits & InvMantMask) | BitConverter.SingleToInt32Bits(0.5f));

        float e = (float)exponent;
        e += 1f;

        // if (x < SQRTHF) { e -= 1; x = x + x - 1; } else { x = x - 1; }
        bool below = x < SqrtHalf;
        float tmp = below ? x : 0f;
        x -= 1f;
        e -= below ? 1f : 0f;
        x += tmp;

        float z = x * x;

        float y = MathF.FusedMultiplyAdd(LogP0, x, LogP1);
        y = MathF.FusedMultiplyAdd(y, x, LogP2);
        y = MathF.FusedMultiplyAdd(y, x, LogP3);
        y = MathF.FusedMultiplyAdd(y, x, LogP4);
        y = MathF.FusedMultiplyAdd(y, x, LogP5);
        y = MathF.FusedMultiplyAdd(y, x, LogP6);
        y = MathF.FusedMultiplyAdd(y, x, LogP7);
        y = MathF.FusedMultiplyAdd(y, x, LogP8);
        y *= x;

        // y = y * z + e * q1: the first product (in source order) is fused.
        y = MathF.FusedMultiplyAdd(y, z, e * LogQ1);
        // y -= z * 0.5 (exact product, fused or not).
        y = MathF.FusedMultiplyAdd(-z, 0.5f, y);
        // x = (x + y) + e * q2 (e * q2 is exact: q2 has 9 significant bits).
        x += y;
        x = MathF.FusedMultiplyAdd(e, LogQ2, x);
        return invalid ? float.NaN : x;
    }

    /// <summary>Sine and cosine of one lane, as <c>sincos256_ps</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinCos(float x, out float sin, out float cos)
    {
        uint signBitSin = BitConverter.SingleToUInt32Bits(x) & 0x80000000u;
        x = MathF.Abs(x);

        // Scale by 4/pi and round the octant j up to even: j = (j + 1) & ~1.
        float y = x * FourOverPi;
        int j = (int)y; // cvttps: truncation
        j = (j + 1) & ~1;
        y = j;

        uint swapSignBitSin = (uint)(j & 4) << 29;
        bool polyMask = (j & 2) == 0; // true: use the cosine polynomial for cos
        uint signBitCos = (uint)(~(j - 2) & 4) << 29;
        signBitSin ^= swapSignBitSin;

        // Extended precision modular arithmetic: x = ((x - y*DP1) - y*DP2) - y*DP3.
        x = MathF.FusedMultiplyAdd(y, MinusDp1, x);
        x = MathF.FusedMultiplyAdd(y, MinusDp2, x);
        x = MathF.FusedMultiplyAdd(y, MinusDp3, x);

        float z = x * x;

        // Cosine polynomial on [0, pi/4].
        float c = MathF.FusedMultiplyAdd(CosP0, z, CosP1);
        c = MathF.FusedMultiplyAdd(c, z, CosP2);
        c *= z;
        c = MathF.FusedMultiplyAdd(c, z, -(z * 0.5f));
        c += 1f;

        // Sine polynomial on [0, pi/4].
        float s = MathF.FusedMultiplyAdd(SinP0, z, SinP1);
        s = MathF.FusedMultiplyAdd(s, z, SinP2);
        s *= z;
        s = MathF.FusedMultiplyAdd(s, x, x);

        // Select: sin takes the sine polynomial where polyMask is set, cos the other.
        float sinValue = polyMask ? s : c;
        float cosValue = polyMask ? c : s;
        sin = BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(sinValue) ^ signBitSin);
        cos = BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(cosValue) ^ signBitCos);
    }
}
