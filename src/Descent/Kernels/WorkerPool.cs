using System.Runtime.ExceptionServices;

namespace Descent.Kernels;

/// <summary>Work split into numbered chunks that any thread may run, each exactly once, in any order.</summary>
internal abstract class ChunkWork
{
    /// <summary>Runs chunk number <paramref name="chunk"/>.</summary>
    public abstract void RunChunk(int chunk);

    /// <summary>Part <paramref name="part"/> of <paramref name="total"/> items cut into <paramref name="parts"/> contiguous parts of near-equal size.</summary>
    protected static (int Start, int Length) Part(int total, int part, int parts)
    {
        int start = (int)((long)total * part / parts);
        return (start, (int)((long)total * (part + 1) / parts) - start);
    }
}

/// <summary>
/// The library's one thread pool and its one thread count (<see cref="NumThreads"/>, which
/// <c>Torch.SetNumThreads</c> sets): the float32 GEMM and the optimizers' steps both run their chunks here. A few
/// dedicated background threads run a <see cref="ChunkWork"/>'s chunks together with the calling thread, handing out
/// chunk numbers through one interlocked counter. Chosen over <see cref="Parallel.For(int, int, Action{int})"/>
/// because a dispatch allocates nothing (Parallel.For allocates its closure, tasks and loop state on every call, and an
/// optimizer steps thousands of times) and wakes parked threads rather than queueing on the shared thread pool, where
/// training code's own tasks would delay the work. Threads are created on first use, as many as the largest thread
/// count asked for, and are never stopped (they block on a semaphore while idle).
/// </summary>
internal static class WorkerPool
{
    private static int numThreads = Environment.ProcessorCount;

    /// <summary>
    /// Threads a parallel kernel may use, the calling one included: all cores by default; 1 runs everything on the
    /// caller. Like <c>torch.get_num_threads()</c>, one setting for every kernel.
    /// </summary>
    public static int NumThreads
    {
        get => Volatile.Read(ref numThreads);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref numThreads, value);
        }
    }

    private static readonly SemaphoreSlim Wake = new(0);
    private static readonly object Finished = new(); // pulsed by the helper that finishes last
    private static readonly Lock Gate = new();
    private static int workerCount;
    private static int busy;

    // The dispatch in flight; written before Wake is released, which publishes it to the helpers.
    private static ChunkWork? current;
    private static int nextChunk, chunkCount, helpersLeft;
    private static Exception? failure;

    /// <summary>
    /// Runs every chunk of <paramref name="work"/> on up to <paramref name="threads"/> threads, the caller among them,
    /// and returns when all have finished; the first exception a chunk throws is rethrown. A call made while another
    /// dispatch is running (from another thread, or from inside a chunk) runs its chunks on the calling thread alone.
    /// </summary>
    public static void Run(ChunkWork work, int chunks, int threads)
    {
        int helpers = Math.Min(threads, chunks) - 1;
        if (helpers <= 0 || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            for (int i = 0; i < chunks; i++) work.RunChunk(i);
            return;
        }
        try
        {
            EnsureWorkers(helpers);
            current = work;
            chunkCount = chunks;
            nextChunk = 0;
            failure = null;
            helpersLeft = helpers;
            Wake.Release(helpers);
            Drain(work);
            WaitForHelpers();
            current = null;
            if (failure is { } e)
            {
                failure = null;
                ExceptionDispatchInfo.Throw(e);
            }
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
    }

    private static void Drain(ChunkWork work)
    {
        try
        {
            int i;
            while ((i = Interlocked.Increment(ref nextChunk) - 1) < chunkCount) work.RunChunk(i);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref failure, e, null);
            Volatile.Write(ref nextChunk, int.MaxValue / 2); // the others stop taking chunks
        }
    }

    // Spins briefly (helpers usually finish within microseconds of the caller), then blocks on a monitor. Unlike
    // ManualResetEventSlim, whose first blocking wait allocates its lock object, this never allocates.
    private static void WaitForHelpers()
    {
        var spinner = new SpinWait();
        while (Volatile.Read(ref helpersLeft) != 0)
        {
            if (spinner.Count < 64)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            lock (Finished)
                while (Volatile.Read(ref helpersLeft) != 0) Monitor.Wait(Finished);
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (Volatile.Read(ref workerCount) >= count) return;
        lock (Gate)
        {
            while (workerCount < count)
            {
                var t = new Thread(WorkerLoop) { IsBackground = true, Name = $"Descent worker {workerCount + 1}" };
                t.Start();
                workerCount++;
            }
        }
    }

    private static void WorkerLoop()
    {
        while (true)
        {
            Wake.Wait();
            Drain(current!);
            if (Interlocked.Decrement(ref helpersLeft) == 0)
                lock (Finished) Monitor.PulseAll(Finished);
        }
    }
}
