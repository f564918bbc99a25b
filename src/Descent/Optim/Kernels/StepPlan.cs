using Descent.Kernels;

namespace Descent.Optim.Kernels;

/// <summary>One parameter's update, runnable over any range of its elements (the kernels are elementwise).</summary>
internal interface IChunkJob
{
    /// <summary>Updates elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>).</summary>
    void Run(int start, int length);
}

/// <summary>
/// The per-parameter updates of one group's step, collected first and then run: on the calling thread when small,
/// else spread over <see cref="StepThreads.MaxThreads"/> threads in chunks (see <see cref="StepThreads"/>). An
/// optimizer keeps one plan and reuses its arrays, so a step allocates nothing once they have grown.
/// </summary>
internal sealed class StepPlan<TJob> : ChunkWork where TJob : struct, IChunkJob
{
    private TJob[] jobs = new TJob[4];
    private int[] lengths = new int[4];
    private int jobCount;
    private long total;
    private (int Job, int Start, int Length)[] chunks = new (int, int, int)[8];
    private int chunkCount;

    /// <summary>Queues <paramref name="job"/> over <paramref name="length"/> elements.</summary>
    public void Add(in TJob job, int length)
    {
        if (jobCount == jobs.Length)
        {
            Array.Resize(ref jobs, jobCount * 2);
            Array.Resize(ref lengths, jobCount * 2);
        }
        jobs[jobCount] = job;
        lengths[jobCount++] = length;
        total += length;
    }

    /// <summary>Runs every queued job, then forgets them (their buffers are not kept alive).</summary>
    public void Run()
    {
        try
        {
            int threads = StepThreads.MaxThreads;
            if (threads <= 1 || jobCount == 0 || total < StepThreads.ParallelThreshold)
                for (int j = 0; j < jobCount; j++) jobs[j].Run(0, lengths[j]);
            else
            {
                // Chunks of ChunkLength elements, smaller (down to MinChunkLength) when the step is too small to give
                // every thread a few: measured on 2 cores, two threads beat one from about 32K Adam elements on.
                long perThread = total / (4L * threads);
                int chunk = (int)Math.Clamp(perThread, Math.Min(StepThreads.MinChunkLength, StepThreads.ChunkLength), StepThreads.ChunkLength) & ~63;
                Split(chunk);
                WorkerPool.Run(this, chunkCount, threads);
            }
        }
        finally
        {
            Array.Clear(jobs, 0, jobCount);
            jobCount = 0;
            total = 0;
            chunkCount = 0;
        }
    }

    // Chunk boundaries fall on multiples of the chunk length (itself a multiple of 64) from each parameter's start,
    // so every element takes the same vector or scalar path whatever the thread count.
    private void Split(int chunk)
    {
        for (int j = 0; j < jobCount; j++)
        {
            int length = lengths[j];
            if (length == 0) continue;
            int pieces = Math.Max(1, length / chunk);
            for (int k = 0; k < pieces; k++)
            {
                int start = k * chunk;
                AddChunk(j, start, k == pieces - 1 ? length - start : chunk);
            }
        }
    }

    private void AddChunk(int job, int start, int length)
    {
        if (chunkCount == chunks.Length) Array.Resize(ref chunks, chunkCount * 2);
        chunks[chunkCount++] = (job, start, length);
    }

    /// <inheritdoc/>
    public override void RunChunk(int chunk)
    {
        var (job, start, length) = chunks[chunk];
        jobs[job].Run(start, length);
    }
}
