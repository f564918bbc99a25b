using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Descent.Kernels;

/// <summary>
/// Copies blocks of GEMM operands into the micro-kernels' panel layout: k-major, a fixed number of values per k,
/// zero-padded. Both operands of both orientations reduce to two cases: the values of one k are contiguous in the
/// source (a straight copy), or the values of one row/column are (a transpose).
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>dst[p·stride + j] = src[p·ld + j] for j &lt; width, zero for width ≤ j &lt; stride; p &lt; count.</summary>
    public static void Straight(float* src, int ld, int count, int width, float* dst, int stride)
    {
        if (width == stride && stride % 16 == 0 && Vector512.IsHardwareAccelerated)
        {
            for (int p = 0; p < count; p++, src += ld, dst += stride)
                for (int j = 0; j < stride; j += 16) Vector512.Store(Vector512.Load(src + j), dst + j);
            return;
        }
        if (width == stride && stride % 8 == 0 && Vector256.IsHardwareAccelerated)
        {
            for (int p = 0; p < count; p++, src += ld, dst += stride)
                for (int j = 0; j < stride; j += 8) Vector256.Store(Vector256.Load(src + j), dst + j);
            return;
        }
        for (int p = 0; p < count; p++, src += ld, dst += stride)
        {
            int j = 0;
            for (; j < width; j++) dst[j] = src[j];
            for (; j < stride; j++) dst[j] = 0;
        }
    }

    /// <summary>dst[p·stride + r] = src[r·ld + p] for r &lt; rows, zero for rows ≤ r &lt; stride; p &lt; count.</summary>
    public static void Transposed(float* src, int ld, int rows, int count, float* dst, int stride)
    {
        int r = 0;
        if (Sse.IsSupported)
        {
            // 4×4 blocks transposed in registers: four row loads, eight shuffles, four column stores.
            for (; r + 4 <= rows; r += 4)
            {
                float* s = src + (long)r * ld;
                float* d = dst + r;
                int p = 0;
                for (; p + 4 <= count; p += 4)
                    Transpose4x4(s + p, ld, d + (long)p * stride, stride);
                for (; p < count; p++)
                    for (int q = 0; q < 4; q++) d[(long)p * stride + q] = s[(long)q * ld + p];
            }
        }
        for (; r < rows; r++)
        {
            float* s = src + (long)r * ld;
            for (int p = 0; p < count; p++) dst[(long)p * stride + r] = s[p];
        }
        if (rows < stride)
            for (int p = 0; p < count; p++)
                for (int q = rows; q < stride; q++) dst[(long)p * stride + q] = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(float* s, int ld, float* d, int stride)
    {
        var r0 = Sse.LoadVector128(s);
        var r1 = Sse.LoadVector128(s + ld);
        var r2 = Sse.LoadVector128(s + 2 * ld);
        var r3 = Sse.LoadVector128(s + 3 * ld);
        var t0 = Sse.UnpackLow(r0, r1);    // a0 b0 a1 b1
        var t1 = Sse.UnpackLow(r2, r3);    // c0 d0 c1 d1
        var t2 = Sse.UnpackHigh(r0, r1);   // a2 b2 a3 b3
        var t3 = Sse.UnpackHigh(r2, r3);   // c2 d2 c3 d3
        Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
        Sse.Store(d + stride, Sse.MoveHighToLow(t1, t0));
        Sse.Store(d + 2 * stride, Sse.MoveLowToHigh(t2, t3));
        Sse.Store(d + 3 * stride, Sse.MoveHighToLow(t3, t2));
    }
}
