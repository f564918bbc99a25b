using System.Collections;
using Descent.Tensors;

namespace Descent.Data;

/// <summary>
/// Iterates a dataset in batches, like <c>torch.utils.data.DataLoader</c>: a batch sampler draws each batch's indices
/// (by default batches of <c>batchSize</c> from a <see cref="SequentialSampler"/>, or with <c>shuffle</c> a
/// <see cref="RandomSampler"/>), the items at those indices are fetched and <c>collate</c> turns them into a batch of
/// the same structure (see <see cref="Collate"/>). Each enumeration is one epoch, which draws the same random numbers
/// as PyTorch's for the same seed: a base seed for the workers first, then what the samplers draw as they go. So the
/// batches and their order match PyTorch's, and are the same whatever <c>numWorkers</c>.
/// </summary>
/// <remarks>
/// <para>
/// With <c>numWorkers</c> &gt; 0 the batches are fetched and collated by that many background threads, as PyTorch's
/// worker processes do: the epoch starts <c>prefetchFactor</c> (default 2) batches per worker ahead, hands batch k
/// to worker k mod <c>numWorkers</c> and one more batch out each time one is taken, and yields the batches in order.
/// Each worker thread has its own <see cref="Generator.Default"/>, seeded with the base seed plus the worker's
/// number, as PyTorch seeds each worker process, so random transforms in the dataset draw what PyTorch's do with as
/// many workers (without workers they draw from the consuming thread's default generator, as PyTorch's do). Unlike
/// processes, the threads share the dataset, which must allow concurrent reads. An exception a worker meets is
/// thrown to the consumer when it reaches that batch: the original exception, with the worker's stack trace.
/// Disposing the enumeration (leaving a <c>foreach</c> early) stops the workers and waits for them to finish the
/// batch they are fetching.
/// </para>
/// <para>
/// Argument conflicts are refused with PyTorch's messages, in its order. A <c>prefetchFactor</c> of 0, which PyTorch
/// refuses only when the epoch starts, is refused here when the loader is made.
/// </para>
/// </remarks>
/// <typeparam name="T">The dataset's item.</typeparam>
/// <typeparam name="TBatch">A batch, as <c>collate</c> makes it.</typeparam>
/// <example><code>
/// var loader = new DataLoader&lt;(Tensor, long), (Tensor, Tensor)&gt;(dataset, Collate.Tuple, batchSize: 64, shuffle: true, numWorkers: 2);
/// foreach (var (images, labels) in loader) { … }
/// </code></example>
public class DataLoader<T, TBatch> : IEnumerable<TBatch>
{
    private readonly Func<int[], TBatch> fetch;

    /// <summary>A loader over <paramref name="dataset"/> whose batches <paramref name="collate"/> makes (PyTorch's collate_fn).</summary>
    /// <param name="dataset">The items, by index.</param>
    /// <param name="collate">Makes a batch of the items at a batch's indices, in order; <see cref="Collate"/> has PyTorch's default_collate for each shape of item.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="shuffle">Whether each epoch visits the samples in a new random order.</param>
    /// <param name="sampler">Draws the indices (instead of <paramref name="shuffle"/>).</param>
    /// <param name="batchSampler">Draws whole batches of indices (instead of the four options above).</param>
    /// <param name="numWorkers">Background threads fetching batches; 0 fetches on the consuming thread.</param>
    /// <param name="dropLast">Whether a short last batch is dropped.</param>
    /// <param name="generator">The generator of the base seed and of shuffling (default: the default generator).</param>
    /// <param name="prefetchFactor">Batches each worker is ahead by (default 2); only with workers.</param>
    /// <exception cref="ArgumentException">Options PyTorch refuses, with its messages.</exception>
    public DataLoader(IReadOnlyList<T> dataset, Func<IReadOnlyList<T>, TBatch> collate, int batchSize = 1, bool shuffle = false,
        Sampler<int>? sampler = null, Sampler<int[]>? batchSampler = null, int numWorkers = 0, bool dropLast = false,
        Generator? generator = null, int? prefetchFactor = null)
        : this(dataset, Gather(dataset, collate), batchSize, shuffle, sampler, batchSampler, numWorkers, dropLast, generator, prefetchFactor)
    {
    }

    /// <summary>A loader whose batches <paramref name="fetch"/> makes from their indices.</summary>
    private protected DataLoader(IReadOnlyList<T> dataset, Func<int[], TBatch> fetch, int batchSize, bool shuffle,
        Sampler<int>? sampler, Sampler<int[]>? batchSampler, int numWorkers, bool dropLast, Generator? generator, int? prefetchFactor)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (numWorkers < 0) throw new ArgumentException("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.");
        if (numWorkers == 0 && prefetchFactor is not null)
            throw new ArgumentException(
                "prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.");
        if (prefetchFactor < 0) throw new ArgumentException("prefetch_factor option should be non-negative");
        if (prefetchFactor == 0) throw new ArgumentException("prefetch_factor must be greater than 0");
        if (sampler is not null && shuffle) throw new ArgumentException("sampler option is mutually exclusive with shuffle");
        if (batchSampler is not null && (batchSize != 1 || shuffle || sampler is not null || dropLast))
            throw new ArgumentException("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last");
        sampler ??= shuffle ? new RandomSampler(dataset.Count, generator: generator) : new SequentialSampler(dataset.Count);
        Dataset = dataset;
        this.fetch = fetch;
        Shuffle = shuffle;
        Sampler = sampler;
        BatchSize = batchSampler is null ? batchSize : null;
        DropLast = dropLast;
        BatchSampler = batchSampler ?? new BatchSampler(sampler, batchSize, dropLast);
        NumWorkers = numWorkers;
        PrefetchFactor = numWorkers > 0 ? prefetchFactor ?? 2 : null;
        Generator = generator;
    }

    /// <summary>The dataset.</summary>
    public IReadOnlyList<T> Dataset { get; }

    /// <summary>Samples per batch; null when a batch sampler was given, as PyTorch's <c>batch_size</c> is.</summary>
    public int? BatchSize { get; }

    /// <summary>Whether each epoch visits the samples in a new random order (the default <see cref="RandomSampler"/>).</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a short last batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>The sampler of indices: the one given, or the default (sequential, or random with shuffle).</summary>
    public Sampler<int> Sampler { get; }

    /// <summary>The sampler of batches: the one given, or a <see cref="Data.BatchSampler"/> over <see cref="Sampler"/>.</summary>
    public Sampler<int[]> BatchSampler { get; }

    /// <summary>Background threads fetching batches (0: none).</summary>
    public int NumWorkers { get; }

    /// <summary>Batches each worker is ahead by; null without workers, as PyTorch's <c>prefetch_factor</c> is.</summary>
    public int? PrefetchFactor { get; }

    /// <summary>The generator of the base seed and of shuffling (null: the default generator).</summary>
    public Generator? Generator { get; }

    /// <summary>Batches per epoch, like <c>len(loader)</c>.</summary>
    public int Count => BatchSampler.Count;

    /// <summary>
    /// One epoch of batches. The base seed is drawn now, as <c>iter(loader)</c> draws it; with workers they start
    /// now and the first batches' indices are drawn.
    /// </summary>
    public IEnumerator<TBatch> GetEnumerator()
    {
        // _BaseDataLoaderIter draws the workers' base seed even when there are none.
        long baseSeed = (Generator ?? Generator.Default).RandomInt64();
        return NumWorkers == 0 ? Serial() : new WorkerBatches<TBatch>(BatchSampler, fetch, NumWorkers, PrefetchFactor!.Value, baseSeed);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerator<TBatch> Serial()
    {
        foreach (var indices in BatchSampler) yield return fetch(indices);
    }

    private static Func<int[], TBatch> Gather(IReadOnlyList<T> dataset, Func<IReadOnlyList<T>, TBatch> collate)
    {
        ArgumentNullException.ThrowIfNull(collate);
        return indices =>
        {
            var items = new T[indices.Length];
            for (int i = 0; i < items.Length; i++) items[i] = dataset[indices[i]];
            return collate(items);
        };
    }
}

/// <summary>
/// A <see cref="DataLoader{T, TBatch}"/> over a <see cref="Data.Dataset"/> of tensor fields, each batch one tensor per
/// field, made by the dataset's <see cref="Data.Dataset.GetBatch"/>: <c>foreach (var (bx, by) in loader)</c>.
/// </summary>
public sealed class DataLoader : DataLoader<Tensor[], Tensor[]>
{
    /// <summary>A loader over <paramref name="dataset"/>; the options are <see cref="DataLoader{T, TBatch}"/>'s.</summary>
    /// <exception cref="ArgumentException">Options PyTorch refuses, with its messages.</exception>
    public DataLoader(Dataset dataset, int batchSize = 1, bool shuffle = false, Sampler<int>? sampler = null,
        Sampler<int[]>? batchSampler = null, int numWorkers = 0, bool dropLast = false, Generator? generator = null, int? prefetchFactor = null)
        : base(dataset, indices => dataset.GetBatch(Array.ConvertAll(indices, i => (long)i)), batchSize, shuffle, sampler, batchSampler,
            numWorkers, dropLast, generator, prefetchFactor)
    {
    }

    /// <summary>The dataset.</summary>
    public new Dataset Dataset => (Dataset)base.Dataset;
}
