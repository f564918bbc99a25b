using System.Collections;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Descent.Tensors;

namespace Descent.Data;

/// <summary>
/// One epoch of a <see cref="DataLoader{T, TBatch}"/> with worker threads, run as PyTorch's multi-process iterator
/// runs it: the batch sampler is drawn on the consuming thread, <c>prefetchFactor × workers</c> batches ahead at the
/// start and one more each time a batch is taken (before it is returned or its exception thrown); batch k goes to
/// worker k mod N; batches are yielded in order. Each worker is a thread with its own default generator, seeded with
/// the base seed plus its number. Disposing stops the workers and waits for them.
/// </summary>
internal sealed class WorkerBatches<TBatch> : IEnumerator<TBatch>
{
    private readonly IEnumerator<int[]> batches;
    private readonly List<Worker> workers = [];
    private readonly Results results = new();
    private int sent, received;
    private bool disposed;

    public WorkerBatches(Sampler<int[]> batchSampler, Func<int[], TBatch> fetch, int numWorkers, int prefetchFactor, long baseSeed)
    {
        batches = batchSampler.GetEnumerator();
        try
        {
            for (int id = 0; id < numWorkers; id++) workers.Add(new Worker(id, unchecked(baseSeed + id), fetch, results));
            for (int i = 0; i < prefetchFactor * numWorkers; i++) TryPutIndex();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TBatch Current { get; private set; } = default!;

    object? IEnumerator.Current => Current;

    public bool MoveNext()
    {
        if (disposed) return false;
        if (received == sent)
        {
            Dispose();
            return false;
        }
        var (batch, error) = results.Take(received++);
        TryPutIndex();
        error?.Throw();
        Current = batch!;
        return true;
    }

    public void Reset() => throw new NotSupportedException();

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        results.Stop();
        foreach (var w in workers) w.Queue.CompleteAdding();
        foreach (var w in workers) w.Thread.Join();
        foreach (var w in workers) w.Queue.Dispose();
        batches.Dispose();
    }

    private void TryPutIndex()
    {
        if (!batches.MoveNext()) return;
        workers[sent % workers.Count].Queue.Add((sent, batches.Current));
        sent++;
    }

    /// <summary>The fetched batches (or the exceptions met fetching them) by number, until the consumer takes them.</summary>
    private sealed class Results
    {
        private readonly Dictionary<int, (TBatch? Batch, ExceptionDispatchInfo? Error)> done = [];
        private volatile bool stopped;

        public bool Stopped => stopped;

        public void Put(int index, TBatch? batch, ExceptionDispatchInfo? error)
        {
            lock (done)
            {
                done[index] = (batch, error);
                Monitor.PulseAll(done);
            }
        }

        public (TBatch? Batch, ExceptionDispatchInfo? Error) Take(int index)
        {
            lock (done)
            {
                (TBatch?, ExceptionDispatchInfo?) r;
                while (!done.Remove(index, out r)) Monitor.Wait(done);
                return r;
            }
        }

        public void Stop() => stopped = true;
    }

    /// <summary>A worker thread and its queue of (batch number, indices).</summary>
    private sealed class Worker
    {
        private readonly Generator generator;
        private readonly Func<int[], TBatch> fetch;
        private readonly Results results;

        public Worker(int id, long seed, Func<int[], TBatch> fetch, Results results)
        {
            generator = new Generator(seed);
            (this.fetch, this.results) = (fetch, results);
            Thread = new Thread(Run) { IsBackground = true, Name = $"DataLoader worker {id}" };
            Thread.Start();
        }

        public BlockingCollection<(int Index, int[] Indices)> Queue { get; } = [];

        public Thread Thread { get; }

        private void Run()
        {
            Generator.SetThreadDefault(generator);
            foreach (var (index, indices) in Queue.GetConsumingEnumerable())
            {
                if (results.Stopped) return;
                try
                {
                    results.Put(index, fetch(indices), null);
                }
                catch (Exception e)
                {
                    results.Put(index, default, ExceptionDispatchInfo.Capture(e));
                }
            }
        }
    }
}
