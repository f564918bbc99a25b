using Descent.Kernels;

namespace Descent.Optim.Kernels;

/// <summary>
/// How the optimizers spread a step over threads. A group's step runs on one thread while it touches fewer than
/// <see cref="ParallelThreshold"/> elements (waking a helper costs more than it saves there); above it, parameters are
/// cut into chunks of <see cref="ChunkLength"/> elements (fewer, down to <see cref="MinChunkLength"/>, when the step
/// is too small to give each thread four chunks) and every chunk and every smaller parameter goes to whichever thread
/// is free. The updates are elementwise, so results never depend on these settings.
/// </summary>
internal static class StepThreads
{
    private static int chunkLength = 1 << 18;
    private static int parallelThreshold = 1 << 16;

    /// <summary>
    /// Threads a step may use, the calling one included: the library's one thread count, the same setting as
    /// <c>Torch.GetNumThreads</c> / <c>Torch.SetNumThreads</c> (which the GEMM uses too); all cores by default, 1 steps
    /// on the caller alone. Values below 1 are taken as 1.
    /// </summary>
    public static int MaxThreads
    {
        get => WorkerPool.NumThreads;
        set => WorkerPool.NumThreads = Math.Max(1, value);
    }

    /// <summary>
    /// Elements per chunk of a large parameter (rounded down to a multiple of 64, at least 64). The default, 256K
    /// elements (1 MiB per buffer), lets the hardware prefetchers run long streams and still leaves 38 chunks at 10M
    /// parameters; on 2 cores it beat 64K by 5–15% in most interleaved rounds (1M and 16K were slower, the whole
    /// parameter in halves was erratic).
    /// </summary>
    public static int ChunkLength
    {
        get => chunkLength;
        set => chunkLength = Math.Max(64, value & ~63);
    }

    /// <summary>The smallest chunk a small step is cut into: 16K elements.</summary>
    public const int MinChunkLength = 1 << 14;

    /// <summary>
    /// The fewest elements a group's step must touch before it is spread over threads: 64K by default (on 2 cores two
    /// threads already beat one at 32K Adam elements when nothing else runs; the margin covers waking a parked helper).
    /// </summary>
    public static int ParallelThreshold
    {
        get => parallelThreshold;
        set => parallelThreshold = Math.Max(0, value);
    }
}
