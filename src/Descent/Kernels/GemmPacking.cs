using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Descent.Kernels;

/// <summary>
/// Copies blocks of GEMM operands into the micro-kernels' panel layout: k-major, a fixed number of values per k,
/// zero-padded. Both operands of both orientations reduce to two cases: the values of one k are contiguous in the
/// source (a straight copy), or the values of one row/column are (a transpose). Also the way back for tiles of a
/// product computed transposed.
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
        if (Avx512F.IsSupported)
        {
            // Masked loads read only the valid values (never past the source's end) and fill the padding with
            // zeros; masked stores stop at the stride.
            for (int j = 0; j < stride; j += 16)
            {
                var load = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width - j)).AsSingle();
                var store = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(stride - j)).AsSingle();
                float* s = src + j, d = dst + j;
                for (int p = 0; p < count; p++, s += ld, d += stride)
                    Avx512F.MaskStore(d, store, Avx512F.MaskLoad(s, load, Vector512<float>.Zero));
            }
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
        if (Avx.IsSupported)
        {
            // 8×8 blocks transposed in registers: eight row loads, 24 shuffles, eight column stores.
            for (; r + 8 <= rows; r += 8)
            {
                float* s = src + (long)r * ld;
                float* d = dst + r;
                int p = 0;
                for (; p + 8 <= count; p += 8)
                    Transpose8x8(s + p, ld, d + (long)p * stride, stride);
                for (; p < count; p++)
                    for (int q = 0; q < 8; q++) d[(long)p * stride + q] = s[(long)q * ld + p];
            }
        }
        if (Sse.IsSupported)
        {
            for (; r + 4 <= rows; r += 4)
            {
                float* s = src + (long)r * ld;
                float* d = dst + r;
                int p = 0;
                for (; p + 4 <= count; p += 4)
                    Sse4x4(s + p, ld, d + (long)p * stride, stride, add: false);
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

    /// <summary>
    /// The opposite move, for a tile computed transposed: dst[j·ldd + i] (+)= src[i·lds + j] for i &lt; rows,
    /// j &lt; cols; dst's old values are ignored when <paramref name="overwrite"/>.
    /// </summary>
    public static void AddTransposed(float* src, int lds, int rows, int cols, float* dst, int ldd, bool overwrite)
    {
        int i = 0;
        if (Sse.IsSupported)
            for (; i + 4 <= rows; i += 4)
            {
                int j = 0;
                for (; j + 4 <= cols; j += 4)
                    if (overwrite) Sse4x4(src + (long)i * lds + j, lds, dst + (long)j * ldd + i, ldd, add: false);
                    else Sse4x4(src + (long)i * lds + j, lds, dst + (long)j * ldd + i, ldd, add: true);
                for (; j < cols; j++)
                    for (int q = i; q < i + 4; q++)
                        dst[(long)j * ldd + q] = overwrite ? src[(long)q * lds + j] : dst[(long)j * ldd + q] + src[(long)q * lds + j];
            }
        for (; i < rows; i++)
            for (int j = 0; j < cols; j++)
                dst[(long)j * ldd + i] = overwrite ? src[(long)i * lds + j] : dst[(long)j * ldd + i] + src[(long)i * lds + j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, int ld, float* d, int stride)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + ld);
        var r2 = Avx.LoadVector256(s + 2 * ld);
        var r3 = Avx.LoadVector256(s + 3 * ld);
        var r4 = Avx.LoadVector256(s + 4 * ld);
        var r5 = Avx.LoadVector256(s + 5 * ld);
        var r6 = Avx.LoadVector256(s + 6 * ld);
        var r7 = Avx.LoadVector256(s + 7 * ld);
        var t0 = Avx.UnpackLow(r0, r1);    // a0 b0 a1 b1 | a4 b4 a5 b5
        var t1 = Avx.UnpackHigh(r0, r1);   // a2 b2 a3 b3 | a6 b6 a7 b7
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);   // a0 b0 c0 d0 | a4 b4 c4 d4
        var u1 = Avx.Shuffle(t0, t2, 0xEE);   // a1 b1 c1 d1 | a5 b5 c5 d5
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);   // e0 f0 g0 h0 | e4 f4 g4 h4
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + stride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * stride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * stride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * stride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * stride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * stride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * stride, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>d[q·stride + r] (+)= s[r·ld + q] for a 4×4 block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sse4x4(float* s, int ld, float* d, int stride, bool add)
    {
        var r0 = Sse.LoadVector128(s);
        var r1 = Sse.LoadVector128(s + ld);
        var r2 = Sse.LoadVector128(s + 2 * ld);
        var r3 = Sse.LoadVector128(s + 3 * ld);
        var t0 = Sse.UnpackLow(r0, r1);    // a0 b0 a1 b1
        var t1 = Sse.UnpackLow(r2, r3);    // c0 d0 c1 d1
        var t2 = Sse.UnpackHigh(r0, r1);   // a2 b2 a3 b3
        var t3 = Sse.UnpackHigh(r2, r3);   // c2 d2 c3 d3
        var c0 = Sse.MoveLowToHigh(t0, t1);
        var c1 = Sse.MoveHighToLow(t1, t0);
        var c2 = Sse.MoveLowToHigh(t2, t3);
        var c3 = Sse.MoveHighToLow(t3, t2);
        if (add)
        {
            c0 = Sse.Add(c0, Sse.LoadVector128(d));
            c1 = Sse.Add(c1, Sse.LoadVector128(d + stride));
            c2 = Sse.Add(c2, Sse.LoadVector128(d + 2 * stride));
            c3 = Sse.Add(c3, Sse.LoadVector128(d + 3 * stride));
        }
        Sse.Store(d, c0);
        Sse.Store(d + stride, c1);
        Sse.Store(d + 2 * stride, c2);
        Sse.Store(d + 3 * stride, c3);
    }
}
