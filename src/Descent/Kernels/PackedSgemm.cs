using System.Runtime.CompilerServices;

namespace Descent.Kernels;

/// <summary>
/// A packed, cache-blocked single-precision GEMM (the Goto/BLIS scheme): B is packed into KC×NR row panels (L2/L3),
/// a block of A into MR×KC column panels (L2), and a register-tiled micro-kernel accumulates an MR×NR tile of C
/// over KC, one FMA chain per element of C. Transposed operands are handled while packing, so no copies are made
/// up front. With several threads (<see cref="WorkerPool.NumThreads"/>), C is cut into one block per thread (by rows
/// or by columns, whichever is longer), and each block runs the whole scheme on a thread of the
/// <see cref="WorkerPool"/> with that thread's own buffers: no synchronisation inside a multiply, at the cost of
/// packing the shared operand once per thread. Every element of C is one FMA chain over k whatever the cut, so the
/// result does not depend on the thread count.
/// </summary>
internal static unsafe class PackedSgemm
{
    // Block sizes, measured on Zen 4 (32 KB L1d, 1 MB L2): long k-blocks win, because every k-block reads and writes
    // all of C once, while the kernel needs little bandwidth for its panels (2 vectors of B and 12 floats of A per
    // 24 FMAs), which stream from L2 well. KC = 1024 ran 1024³ at ~110 GFLOP/s against ~90 with KC = 128.
    private const int KC = 1024;
    private const int ABytes = 128 * 1024;   // packed rows of A per block: stays in L2 beside B's micro-panel
    private const int NC = 1024;

    /// <summary>Below this many multiply-adds, a second thread costs more than it saves.</summary>
    private const long ParallelThreshold = 80L * 80 * 80;

    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (k == 0 || alpha == 0 || beta != 0 && beta != 1)
        {
            // C ← beta·C up front; the k-blocks then accumulate alpha·A·B into it. (beta = 0 with a product to
            // add needs no pass: the first k-block overwrites C.)
            for (int i = 0; i < m; i++)
            {
                var row = new Span<float>(c + (long)i * ldc, n);
                if (beta == 0) row.Clear();
                else if (beta != 1) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
            if (k == 0 || alpha == 0) return;
        }
        var kernel = MicroKernel.Best;
        var job = new Job(transA, transB, k, alpha, a, lda, b, ldb, c, ldc, overwrite: beta == 0, transC: false);
        if (n < m && n <= kernel.MR && kernel.NR > kernel.MR)
        {
            // Few columns: a tile would be mostly padding across them. Compute Cᵀ = op(B)ᵀ·op(A)ᵀ instead, whose
            // rows are C's columns; transposing an operand only flips how it is packed.
            job = new Job(!transB, !transA, k, alpha, b, ldb, a, lda, c, ldc, overwrite: beta == 0, transC: true);
            (m, n) = (n, m);
        }
        int threads = (long)m * n * k < ParallelThreshold ? 1 : WorkerPool.NumThreads;
        if (threads == 1) Block(kernel, job, 0, m, 0, n);
        else RunParallel(kernel, job, m, n, threads);
    }

    /// <summary>
    /// One block of C per thread, cut where each gets the same number of rows (multiples of 4, which the kernel runs
    /// at full speed) or of whole column panels, run as the chunks of one <see cref="WorkerPool"/> dispatch. (A method
    /// of its own, so that the one-thread path touches no pool state.)
    /// </summary>
    private static void RunParallel(MicroKernel kernel, Job job, int m, int n, int threads)
    {
        bool byRows = m >= n;
        int unit = byRows ? 4 : kernel.NR, extent = byRows ? m : n;
        threads = Math.Min(threads, (extent + unit - 1) / unit);
        // One work object per calling thread, reused: a multiply allocates nothing once it exists. A dispatch that
        // finds the pool busy runs its blocks on the caller, so a nested or concurrent multiply is still complete.
        var work = blocksCache ??= new Blocks();
        work.Set(kernel, job, m, n, byRows, unit, extent, threads);
        try
        {
            WorkerPool.Run(work, threads, threads);
        }
        finally
        {
            work.Clear();
        }
    }

    [ThreadStatic] private static Blocks? blocksCache;

    /// <summary>The blocks of one multiply, as the pool's chunks: chunk t computes block t of C.</summary>
    private sealed class Blocks : ChunkWork
    {
        private MicroKernel? kernel;
        private Job job;
        private int m, n, unit, extent, parts;
        private bool byRows;

        public void Set(MicroKernel kernel, in Job job, int m, int n, bool byRows, int unit, int extent, int parts)
        {
            this.kernel = kernel;
            this.job = job;
            (this.m, this.n, this.byRows, this.unit, this.extent, this.parts) = (m, n, byRows, unit, extent, parts);
        }

        public void Clear()
        {
            kernel = null;
            job = default;
        }

        public override void RunChunk(int chunk)
        {
            int start = Cut(extent, unit, parts, chunk), end = Cut(extent, unit, parts, chunk + 1);
            if (byRows) Block(kernel!, job, start, end, 0, n);
            else Block(kernel!, job, 0, m, start, end);
        }
    }

    /// <summary>
    /// C (+)= alpha·op(A)·op(B), with C's element (i, j) at c[i·ldc + j], or at c[j·ldc + i] when TransC. Pointers
    /// as nint so that the struct can be a field of the pool's work object.
    /// </summary>
    private readonly struct Job(bool transA, bool transB, int k, float alpha, float* a, int lda, float* b, int ldb,
        float* c, int ldc, bool overwrite, bool transC)
    {
        public readonly bool TransA = transA, TransB = transB, Overwrite = overwrite, TransC = transC;
        public readonly int K = k, Lda = lda, Ldb = ldb, Ldc = ldc;
        public readonly float Alpha = alpha;
        private readonly nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        public float* A => (float*)pa;
        public float* B => (float*)pb;
        public float* C => (float*)pc;
    }

    /// <summary>Start of part <paramref name="t"/> of <paramref name="parts"/> over [0, extent), cut at multiples of unit.</summary>
    private static int Cut(int extent, int unit, int parts, int t) =>
        t == parts ? extent : Math.Min(extent, (int)((long)(extent + unit - 1) / unit * t / parts) * unit);

    [ThreadStatic] private static float[]? aPackCache;
    [ThreadStatic] private static float[]? bPackCache;

    // Room to start a buffer on a cache line: 16 floats = 64 bytes.
    private const int AlignPad = 16;

    private static float[] Buffer(ref float[]? cache, int length)
    {
        if (cache is null || cache.Length < length + AlignPad) cache = GC.AllocateUninitializedArray<float>(length + AlignPad, pinned: true);
        return cache;
    }

    /// <summary>
    /// The first 64-byte boundary at or after <paramref name="p"/>. Packed panels and the transpose scratch start on
    /// a cache line, so the micro-kernel's loads never split lines however the arrays happened to be placed (which
    /// otherwise made the same multiply run at two speeds from one process to the next).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Aligned(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    /// <summary>C[i0..i1, j0..j1] (+)= alpha·op(A)[i0..i1, :]·op(B)[:, j0..j1], on the calling thread.</summary>
    private static void Block(MicroKernel kernel, in Job job, int i0, int i1, int j0, int j1)
    {
        int mr = kernel.MR, nr = kernel.NR;
        int m = i1 - i0, n = j1 - j0, k = job.K;
        // Equal blocks, so that no k- or row-block is a sliver.
        int kBlocks = (k + KC - 1) / KC, kcBlock = (k + kBlocks - 1) / kBlocks;
        int mcMax = Math.Max(mr, ABytes / (kcBlock * sizeof(float)) / mr * mr);   // 24 rows at kc = 1024
        int mBlocks = (m + mcMax - 1) / mcMax, mcBlock = RoundUp((m + mBlocks - 1) / mBlocks, mr);
        int ncMax = Math.Min(NC, RoundUp(n, nr));
        var aPack = Buffer(ref aPackCache, mcBlock * kcBlock);
        var bPack = Buffer(ref bPackCache, kcBlock * ncMax);
        float* c = job.C;
        int ldc = job.Ldc;
        float* scratchRaw = stackalloc float[job.TransC ? mr * nr + AlignPad : 0];
        float* scratch = Aligned(scratchRaw);
        fixed (float* apRaw = aPack, bpRaw = bPack)
        {
            float* ap = Aligned(apRaw), bp = Aligned(bpRaw);
            for (int jc = j0; jc < j1; jc += NC)
            {
                int nc = Math.Min(NC, j1 - jc);
                for (int pc = 0; pc < k; pc += kcBlock)
                {
                    int kc = Math.Min(kcBlock, k - pc);
                    bool first = job.Overwrite && pc == 0;
                    PackB(job.TransB, job.B, job.Ldb, pc, jc, kc, nc, nr, bp);
                    for (int ic = i0; ic < i1; ic += mcBlock)
                    {
                        int mc = Math.Min(mcBlock, i1 - ic);
                        PackA(job.TransA, job.A, job.Lda, ic, pc, mc, kc, mr, ap);
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            int nn = Math.Min(nr, nc - jr);
                            float* bPanel = bp + (long)jr * kc;
                            for (int ir = 0; ir < mc; ir += mr)
                            {
                                int mm = Math.Min(mr, mc - ir);
                                float* aPanel = ap + (long)ir * kc;
                                if (!job.TransC)
                                {
                                    kernel.Run(kc, aPanel, bPanel, c + (long)(ic + ir) * ldc + jc + jr, ldc, job.Alpha, mm, nn, first);
                                    continue;
                                }
                                // The tile into scratch, then its transpose into C, row by row of C.
                                kernel.Run(kc, aPanel, bPanel, scratch, nr, job.Alpha, mm, nn, overwrite: true);
                                GemmPacking.AddTransposed(scratch, nr, mm, nn, c + (long)(jc + jr) * ldc + ic + ir, ldc, first);
                            }
                        }
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
            if (transA) GemmPacking.Straight(a + (long)pc * lda + ic + ir, lda, kc, mm, panel, mr);
            else GemmPacking.Transposed(a + (long)(ic + ir) * lda + pc, lda, mm, kc, panel, mr);
        }
    }

    /// <summary>Packs op(B)[pc.., jc..] into NR-column panels, each stored k-major (NR values per k), zero-padded.</summary>
    private static void PackB(bool transB, float* b, int ldb, int pc, int jc, int kc, int nc, int nr, float* dst)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int nn = Math.Min(nr, nc - jr);
            float* panel = dst + (long)jr * kc;
            if (transB) GemmPacking.Transposed(b + (long)(jc + jr) * ldb + pc, ldb, nn, kc, panel, nr);
            else GemmPacking.Straight(b + (long)pc * ldb + jc + jr, ldb, kc, nn, panel, nr);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RoundUp(int x, int to) => (x + to - 1) / to * to;
}
