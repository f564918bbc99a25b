namespace Descent.Optim.Kernels;

/// <summary>
/// How the optimizers spread a step over threads. A group's step runs on one thread while it touches fewer than
/// <see cref="ParallelThreshold"/> elements (waking a helper costs more than it saves there); above it, parameters of
/// at least two <see cref="ChunkLength"/>s are cut into chunks of that many elements and every chunk and every smaller
/// parameter goes to whichever thread is free. The updates are elementwise, so results never depend on these settings.
/// </summary>
public static class StepThreads
{
    private static int maxThreads = Environment.ProcessorCount;
    private static int chunkLength = 1 << 16;
    private static int parallelThreshold = 1 << 17;

    /// <summary>Threads a step may use, the calling one included: all cores by default; 1 steps on the caller alone.</summary>
    public static int MaxThreads
    {
        get => maxThreads;
        set => maxThreads = Math.Max(1, value);
    }

    /// <summary>
    /// Elements per chunk of a large parameter (rounded down to a multiple of 64, at least 64). The default, 64K
    /// elements, keeps a chunk's streams (Adam: 7 × 256 KiB) around the size of a core's L2 while leaving enough
    /// chunks for the threads to balance.
    /// </summary>
    public static int ChunkLength
    {
        get => chunkLength;
        set => chunkLength = Math.Max(64, value & ~63);
    }

    /// <summary>The fewest elements a group's step must touch before it is spread over threads.</summary>
    public static int ParallelThreshold
    {
        get => parallelThreshold;
        set => parallelThreshold = Math.Max(0, value);
    }
}
