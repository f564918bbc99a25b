using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Descent.Kernels;

/// <summary>
/// A packed, cache-blocked single-precision GEMM (the Goto/BLIS scheme): B is packed into KC×NR row panels that
/// stay in L2/L3, A into MR×KC column panels that stay in L1/L2, and a register-tiled micro-kernel accumulates
/// an MR×NR tile of C over KC. Transposed operands are handled while packing, so no copies are made up front.
/// Work is split across threads by blocks of rows of C, each thread packing its own A panels.
/// </summary>
internal static unsafe class PackedSgemm
{
    private const int KC = 128;
    private const int MC = 144;   // rows of A packed at once (~144 KB with KC = 128: fits L2); a multiple of the micro-kernels' MR (12, 6, 4)
    private const int NC = 2048;

    /// <summary>Largest number of threads a multiply may use (all cores by default).</summary>
    public static int MaxThreads { get; set; } = Environment.ProcessorCount;

    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        var kernel = MicroKernel.Best;
        int mr = kernel.MR, nr = kernel.NR;

        // C ← beta·C once; the k-blocks then accumulate alpha·A·B into it.
        if (beta != 1)
            for (int i = 0; i < m; i++)
            {
                var row = new Span<float>(c + (long)i * ldc, n);
                if (beta == 0) row.Clear();
                else System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
        if (k == 0 || alpha == 0) return;

        int threads = Math.Max(1, Math.Min(MaxThreads, (m + mr - 1) / mr));
        if ((long)m * n * k < 64 * 64 * 64) threads = 1;
        // Row blocks of at most MC rows, at least one per thread, of equal size rounded to MR.
        int mBlocks = Math.Max((m + MC - 1) / MC, threads);
        mBlocks = (mBlocks + threads - 1) / threads * threads;
        int mcBlock = RoundUp((m + mBlocks - 1) / mBlocks, mr);
        mBlocks = (m + mcBlock - 1) / mcBlock;
        int ncMax = Math.Min(NC, RoundUp(n, nr));
        var bPack = GC.AllocateUninitializedArray<float>(KC * ncMax, pinned: true);
        fixed (float* bp = bPack)
        {
            var bpAddr = (nint)bp;
            for (int jc = 0; jc < n; jc += NC)
            {
                int nc = Math.Min(NC, n - jc);
                for (int pc = 0; pc < k; pc += KC)
                {
                    int kc = Math.Min(KC, k - pc);
                    PackB(transB, b, ldb, pc, jc, kc, nc, nr, bp);
                    if (threads == 1)
                    {
                        for (int blk = 0; blk < mBlocks; blk++)
                            RowBlock(kernel, transA, a, lda, c, ldc, m, blk * mcBlock, mcBlock, pc, jc, kc, nc, alpha, bp);
                    }
                    else
                    {
                        Parallel.For(0, mBlocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, blk =>
                            RowBlock(kernel, transA, a, lda, c, ldc, m, blk * mcBlock, mcBlock, pc, jc, kc, nc, alpha, (float*)bpAddr));
                    }
                }
            }
        }
    }

    [ThreadStatic] private static float[]? aPackCache;

    private static void RowBlock(MicroKernel kernel, bool transA, float* a, int lda, float* c, int ldc, int m,
        int ic, int mcBlock, int pc, int jc, int kc, int nc, float alpha, float* bp)
    {
        int mr = kernel.MR, nr = kernel.NR;
        int mc = Math.Min(mcBlock, m - ic);
        var aPack = aPackCache;
        if (aPack is null || aPack.Length < MC * KC) aPackCache = aPack = GC.AllocateUninitializedArray<float>(MC * KC, pinned: true);
        float* edge = stackalloc float[12 * 32];
        fixed (float* ap = aPack)
        {
            PackA(transA, a, lda, ic, pc, mc, kc, mr, ap);
            for (int jr = 0; jr < nc; jr += nr)
            {
                int nn = Math.Min(nr, nc - jr);
                float* bPanel = bp + (long)jr * kc;
                for (int ir = 0; ir < mc; ir += mr)
                {
                    int mm = Math.Min(mr, mc - ir);
                    float* aPanel = ap + (long)ir * kc;
                    float* cTile = c + (long)(ic + ir) * ldc + jc + jr;
                    if (mm == mr && nn == nr)
                    {
                        kernel.Run(kc, aPanel, bPanel, cTile, ldc, alpha);
                    }
                    else
                    {
                        // Edge tile: run the full kernel into a scratch tile, then add the valid part.
                        new Span<float>(edge, mr * nr).Clear();
                        kernel.Run(kc, aPanel, bPanel, edge, nr, alpha);
                        for (int i = 0; i < mm; i++)
                            for (int j = 0; j < nn; j++) cTile[(long)i * ldc + j] += edge[i * nr + j];
                    }
                }
            }
        }
    }

    /// <summary>Packs op(A)[ic.., pc..] into MR-row panels, each stored k-major (MR values per k), zero-padded.</summary>
    private static void PackA(bool transA, float* a, int lda, int ic, int pc, int mc, int kc, int mr, float* dst)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int mm = Math.Min(mr, mc - ir);
            float* panel = dst + (long)ir * kc;
            if (!transA)
            {
                for (int r = 0; r < mm; r++)
                {
                    float* src = a + (long)(ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) panel[p * mr + r] = src[p];
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (long)(pc + p) * lda + ic + ir;
                    for (int r = 0; r < mm; r++) panel[p * mr + r] = src[r];
                }
            }
            if (mm < mr)
                for (int p = 0; p < kc; p++)
                    for (int r = mm; r < mr; r++) panel[p * mr + r] = 0;
        }
    }

    /// <summary>Packs op(B)[pc.., jc..] into NR-column panels, each stored k-major (NR values per k), zero-padded.</summary>
    private static void PackB(bool transB, float* b, int ldb, int pc, int jc, int kc, int nc, int nr, float* dst)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int nn = Math.Min(nr, nc - jr);
            float* panel = dst + (long)jr * kc;
            if (!transB)
            {
                for (int p = 0; p < kc; p++)
                {
                    var src = new ReadOnlySpan<float>(b + (long)(pc + p) * ldb + jc + jr, nn);
                    var d = new Span<float>(panel + p * nr, nr);
                    src.CopyTo(d);
                    if (nn < nr) d[nn..].Clear();
                }
            }
            else
            {
                for (int j = 0; j < nn; j++)
                {
                    float* src = b + (long)(jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) panel[p * nr + j] = src[p];
                }
                if (nn < nr)
                    for (int p = 0; p < kc; p++)
                        for (int j = nn; j < nr; j++) panel[p * nr + j] = 0;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RoundUp(int x, int to) => (x + to - 1) / to * to;
}
