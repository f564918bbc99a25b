using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Descent.Kernels;

/// <summary>
/// A register-tiled GEMM micro-kernel: C[rows×cols] (+)= alpha · Σₚ Aₚ ⊗ Bₚ over packed panels of MR and NR values
/// per k. The widest one the CPU runs is chosen once: 12×32 with Vector512 (24 accumulators), 6×16 with
/// Vector256 + FMA (12), or a portable one.
/// </summary>
internal abstract unsafe class MicroKernel
{
    public abstract int MR { get; }
    public abstract int NR { get; }

    /// <summary>
    /// C[rows×cols] (row stride ldc) = alpha·A·B when <paramref name="overwrite"/> (C is not read), else += alpha·A·B,
    /// where A is an MR-wide packed panel of kc steps and B an NR-wide one; rows ≤ MR, cols ≤ NR.
    /// </summary>
    public abstract void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, int rows, int cols, bool overwrite);

    /// <summary>The fastest kernel for this CPU.</summary>
    public static readonly MicroKernel Best =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? new Avx512Kernel() :
        Fma.IsSupported && Vector256.IsHardwareAccelerated ? new Avx2Kernel() :
        new PortableKernel();

    /// <summary>Partial tiles for kernels that only compute full ones: the full tile into scratch, then its valid part.</summary>
    protected void RunViaScratch(int kc, float* a, float* b, float* c, int ldc, float alpha, int rows, int cols, bool overwrite)
    {
        int mr = MR, nr = NR;
        if (rows == mr && cols == nr && !overwrite)
        {
            Full(kc, a, b, c, ldc, alpha);
            return;
        }
        float* t = stackalloc float[mr * nr];
        new Span<float>(t, mr * nr).Clear();
        Full(kc, a, b, t, nr, alpha);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                c[(long)i * ldc + j] = overwrite ? t[i * nr + j] : c[(long)i * ldc + j] + t[i * nr + j];
    }

    /// <summary>C[MR×NR] += alpha·A·B (used by <see cref="RunViaScratch"/>).</summary>
    protected virtual void Full(int kc, float* a, float* b, float* c, int ldc, float alpha) => throw new NotSupportedException();

    /// <summary>A compile-time integer: generic code over it is specialised per value, its branches folded away.</summary>
    private interface IConst { static abstract int Value { get; } }
    private struct N1 : IConst { public static int Value => 1; }
    private struct N2 : IConst { public static int Value => 2; }
    private struct N3 : IConst { public static int Value => 3; }
    private struct N4 : IConst { public static int Value => 4; }
    private struct N5 : IConst { public static int Value => 5; }
    private struct N6 : IConst { public static int Value => 6; }
    private struct N7 : IConst { public static int Value => 7; }
    private struct N8 : IConst { public static int Value => 8; }
    private struct N9 : IConst { public static int Value => 9; }
    private struct N10 : IConst { public static int Value => 10; }
    private struct N11 : IConst { public static int Value => 11; }
    private struct N12 : IConst { public static int Value => 12; }

    private sealed class Avx512Kernel : MicroKernel
    {
        public override int MR => 12;
        public override int NR => 32;

        // [rows − 1, vectors − 1]: one specialisation per tile shape, so edge tiles do only their own multiply-adds
        // and store straight into C.
        private static readonly delegate*<int, float*, float*, float*, int, float, int, bool, void>[] Tiles =
        [
            &Tile<N1, N1>, &Tile<N1, N2>, &Tile<N2, N1>, &Tile<N2, N2>, &Tile<N3, N1>, &Tile<N3, N2>,
            &Tile<N4, N1>, &Tile<N4, N2>, &Tile<N5, N1>, &Tile<N5, N2>, &Tile<N6, N1>, &Tile<N6, N2>,
            &Tile<N7, N1>, &Tile<N7, N2>, &Tile<N8, N1>, &Tile<N8, N2>, &Tile<N9, N1>, &Tile<N9, N2>,
            &Tile<N10, N1>, &Tile<N10, N2>, &Tile<N11, N1>, &Tile<N11, N2>, &Tile<N12, N1>, &Tile<N12, N2>,
        ];

        public override void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, int rows, int cols, bool overwrite)
        {
            int vectors = cols > 16 ? 2 : 1;
            Tiles[(rows - 1) * 2 + vectors - 1](kc, a, b, c, ldc, alpha, cols - (vectors - 1) * 16, overwrite);
        }

        /// <summary>
        /// TRows×(16·TVectors) tile; <paramref name="lastCols"/> (1…16) of the last vector's columns are stored.
        /// 24 accumulators at most, of the 32 zmm registers: two more hold B, one the broadcast of A.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Tile<TRows, TVectors>(int kc, float* a, float* b, float* c, int ldc, float alpha, int lastCols, bool overwrite)
            where TRows : struct, IConst where TVectors : struct, IConst
        {
            bool two = TVectors.Value == 2;
            // Fetch the C tile while the k loop runs: its rows are a row stride apart, beyond the prefetchers' reach.
            for (int i = 0; i < TRows.Value; i++)
            {
                Sse.Prefetch0(c + (long)i * ldc);
                Sse.Prefetch0(c + (long)i * ldc + 16 * TVectors.Value - 1);
            }
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default, c90 = default, c91 = default, c100 = default, c101 = default, c110 = default, c111 = default;
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector512.Load(b);
                var b1 = two ? Vector512.Load(b + 16) : default;
                { var ar = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(ar, b0, c00); if (two) c01 = Avx512F.FusedMultiplyAdd(ar, b1, c01); }
                if (TRows.Value > 1) { var ar = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(ar, b0, c10); if (two) c11 = Avx512F.FusedMultiplyAdd(ar, b1, c11); }
                if (TRows.Value > 2) { var ar = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(ar, b0, c20); if (two) c21 = Avx512F.FusedMultiplyAdd(ar, b1, c21); }
                if (TRows.Value > 3) { var ar = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(ar, b0, c30); if (two) c31 = Avx512F.FusedMultiplyAdd(ar, b1, c31); }
                if (TRows.Value > 4) { var ar = Vector512.Create(a[4]); c40 = Avx512F.FusedMultiplyAdd(ar, b0, c40); if (two) c41 = Avx512F.FusedMultiplyAdd(ar, b1, c41); }
                if (TRows.Value > 5) { var ar = Vector512.Create(a[5]); c50 = Avx512F.FusedMultiplyAdd(ar, b0, c50); if (two) c51 = Avx512F.FusedMultiplyAdd(ar, b1, c51); }
                if (TRows.Value > 6) { var ar = Vector512.Create(a[6]); c60 = Avx512F.FusedMultiplyAdd(ar, b0, c60); if (two) c61 = Avx512F.FusedMultiplyAdd(ar, b1, c61); }
                if (TRows.Value > 7) { var ar = Vector512.Create(a[7]); c70 = Avx512F.FusedMultiplyAdd(ar, b0, c70); if (two) c71 = Avx512F.FusedMultiplyAdd(ar, b1, c71); }
                if (TRows.Value > 8) { var ar = Vector512.Create(a[8]); c80 = Avx512F.FusedMultiplyAdd(ar, b0, c80); if (two) c81 = Avx512F.FusedMultiplyAdd(ar, b1, c81); }
                if (TRows.Value > 9) { var ar = Vector512.Create(a[9]); c90 = Avx512F.FusedMultiplyAdd(ar, b0, c90); if (two) c91 = Avx512F.FusedMultiplyAdd(ar, b1, c91); }
                if (TRows.Value > 10) { var ar = Vector512.Create(a[10]); c100 = Avx512F.FusedMultiplyAdd(ar, b0, c100); if (two) c101 = Avx512F.FusedMultiplyAdd(ar, b1, c101); }
                if (TRows.Value > 11) { var ar = Vector512.Create(a[11]); c110 = Avx512F.FusedMultiplyAdd(ar, b0, c110); if (two) c111 = Avx512F.FusedMultiplyAdd(ar, b1, c111); }
                a += 12;
                b += 32;
            }
            var al = Vector512.Create(alpha);
            var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(lastCols)).AsSingle();
            StoreRow<TVectors>(c + 0 * (long)ldc, al, c00, c01, mask, overwrite);
            if (TRows.Value > 1) StoreRow<TVectors>(c + 1 * (long)ldc, al, c10, c11, mask, overwrite);
            if (TRows.Value > 2) StoreRow<TVectors>(c + 2 * (long)ldc, al, c20, c21, mask, overwrite);
            if (TRows.Value > 3) StoreRow<TVectors>(c + 3 * (long)ldc, al, c30, c31, mask, overwrite);
            if (TRows.Value > 4) StoreRow<TVectors>(c + 4 * (long)ldc, al, c40, c41, mask, overwrite);
            if (TRows.Value > 5) StoreRow<TVectors>(c + 5 * (long)ldc, al, c50, c51, mask, overwrite);
            if (TRows.Value > 6) StoreRow<TVectors>(c + 6 * (long)ldc, al, c60, c61, mask, overwrite);
            if (TRows.Value > 7) StoreRow<TVectors>(c + 7 * (long)ldc, al, c70, c71, mask, overwrite);
            if (TRows.Value > 8) StoreRow<TVectors>(c + 8 * (long)ldc, al, c80, c81, mask, overwrite);
            if (TRows.Value > 9) StoreRow<TVectors>(c + 9 * (long)ldc, al, c90, c91, mask, overwrite);
            if (TRows.Value > 10) StoreRow<TVectors>(c + 10 * (long)ldc, al, c100, c101, mask, overwrite);
            if (TRows.Value > 11) StoreRow<TVectors>(c + 11 * (long)ldc, al, c110, c111, mask, overwrite);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreRow<TVectors>(float* c, Vector512<float> alpha, Vector512<float> v0, Vector512<float> v1,
            Vector512<float> mask, bool overwrite) where TVectors : struct, IConst
        {
            if (TVectors.Value == 2)
            {
                if (overwrite)
                {
                    (v0 * alpha).Store(c);
                    Avx512F.MaskStore(c + 16, mask, v1 * alpha);
                }
                else
                {
                    Avx512F.FusedMultiplyAdd(v0, alpha, Vector512.Load(c)).Store(c);
                    Avx512F.MaskStore(c + 16, mask, Avx512F.FusedMultiplyAdd(v1, alpha, Avx512F.MaskLoad(c + 16, mask, default)));
                }
            }
            else
            {
                if (overwrite) Avx512F.MaskStore(c, mask, v0 * alpha);
                else Avx512F.MaskStore(c, mask, Avx512F.FusedMultiplyAdd(v0, alpha, Avx512F.MaskLoad(c, mask, default)));
            }
        }
    }

    private sealed class Avx2Kernel : MicroKernel
    {
        public override int MR => 6;
        public override int NR => 16;

        public override void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, int rows, int cols, bool overwrite) =>
            RunViaScratch(kc, a, b, c, ldc, alpha, rows, cols, overwrite);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override void Full(int kc, float* a, float* b, float* c, int ldc, float alpha)
        {
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector256.Load(b);
                var b1 = Vector256.Load(b + 8);
                var ar = Vector256.Create(a[0]); c00 = Fma.MultiplyAdd(ar, b0, c00); c01 = Fma.MultiplyAdd(ar, b1, c01);
                ar = Vector256.Create(a[1]); c10 = Fma.MultiplyAdd(ar, b0, c10); c11 = Fma.MultiplyAdd(ar, b1, c11);
                ar = Vector256.Create(a[2]); c20 = Fma.MultiplyAdd(ar, b0, c20); c21 = Fma.MultiplyAdd(ar, b1, c21);
                ar = Vector256.Create(a[3]); c30 = Fma.MultiplyAdd(ar, b0, c30); c31 = Fma.MultiplyAdd(ar, b1, c31);
                ar = Vector256.Create(a[4]); c40 = Fma.MultiplyAdd(ar, b0, c40); c41 = Fma.MultiplyAdd(ar, b1, c41);
                ar = Vector256.Create(a[5]); c50 = Fma.MultiplyAdd(ar, b0, c50); c51 = Fma.MultiplyAdd(ar, b1, c51);
                a += 6;
                b += 16;
            }
            var al = Vector256.Create(alpha);
            Store(c, al, c00, c01); c += ldc;
            Store(c, al, c10, c11); c += ldc;
            Store(c, al, c20, c21); c += ldc;
            Store(c, al, c30, c31); c += ldc;
            Store(c, al, c40, c41); c += ldc;
            Store(c, al, c50, c51);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(float* c, Vector256<float> alpha, Vector256<float> v0, Vector256<float> v1)
        {
            Fma.MultiplyAdd(v0, alpha, Vector256.Load(c)).Store(c);
            Fma.MultiplyAdd(v1, alpha, Vector256.Load(c + 8)).Store(c + 8);
        }
    }

    /// <summary>Scalar fallback for CPUs without the vector units above (4×4 tile).</summary>
    private sealed class PortableKernel : MicroKernel
    {
        public override int MR => 4;
        public override int NR => 4;

        public override void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, int rows, int cols, bool overwrite) =>
            RunViaScratch(kc, a, b, c, ldc, alpha, rows, cols, overwrite);

        protected override void Full(int kc, float* a, float* b, float* c, int ldc, float alpha)
        {
            float* acc = stackalloc float[16];
            for (int i = 0; i < 16; i++) acc[i] = 0;
            for (int p = 0; p < kc; p++)
            {
                for (int i = 0; i < 4; i++)
                    for (int j = 0; j < 4; j++) acc[i * 4 + j] += a[i] * b[j];
                a += 4;
                b += 4;
            }
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) c[(long)i * ldc + j] += alpha * acc[i * 4 + j];
        }
    }
}
