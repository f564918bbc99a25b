using System.Collections;
using Descent.Tensors;

namespace Descent.Data;

/// <summary>
/// Iterates a dataset in batches, like <c>torch.utils.data.DataLoader</c> (single process). With shuffle, each
/// epoch draws the same random numbers PyTorch's does: the iterator's base seed, then the RandomSampler's seed,
/// then a permutation from a generator seeded with it (or, with an explicit generator, the permutation and the
/// spare one RandomSampler draws at the end of an epoch from that generator), so batch order matches PyTorch for
/// the same seed.
/// </summary>
public sealed class DataLoader : IEnumerable<Tensor[]>
{
    /// <summary>A loader over <paramref name="dataset"/>.</summary>
    public DataLoader(Dataset dataset, int batchSize = 1, bool shuffle = false, bool dropLast = false, Generator? generator = null)
    {
        if (batchSize <= 0) throw new ArgumentException($"batch_size should be a positive integer value, but got batch_size={batchSize}");
        // RandomSampler refuses an empty dataset when it is made.
        if (shuffle && dataset.Count == 0) throw new ArgumentException("num_samples should be a positive integer value, but got num_samples=0");
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Generator = generator;
    }

    /// <summary>The dataset.</summary>
    public Dataset Dataset { get; }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch visits the samples in a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a short last batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>The generator for shuffling (null: the default generator).</summary>
    public Generator? Generator { get; }

    /// <summary>Batches per epoch, like <c>len(loader)</c>.</summary>
    public int Count => DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>One epoch of batches; each batch has one tensor per dataset field.</summary>
    public IEnumerator<Tensor[]> GetEnumerator()
    {
        var g = Generator ?? Generator.Default;
        // _BaseDataLoaderIter draws a base seed for workers even in single-process mode.
        g.RandomInt64();
        int n = Dataset.Count;
        var order = new long[n];
        if (Shuffle)
        {
            // RandomSampler with the loader's generator permutes with it directly; without one, it seeds a
            // fresh generator from the default one.
            var perm = Generator ?? new Generator().ManualSeed(Generator.Default.RandomInt64());
            perm.Randperm(order);
        }
        else
        {
            for (int i = 0; i < n; i++) order[i] = i;
        }
        int full = n / BatchSize;
        for (int b = 0; b < full; b++) yield return Dataset.GetBatch(order.AsSpan(b * BatchSize, BatchSize));
        // Once its permutation is used up, RandomSampler draws one more (to serve num_samples % n further samples,
        // none here) before it stops; the batch sampler asks for it before the short last batch, or after the
        // last full one. With the loader's own generator that draw advances it, so it is made here too: the next
        // epoch then starts from the same state as PyTorch's.
        if (Shuffle && Generator is not null) Generator.Randperm(new long[n]);
        if (!DropLast && full * BatchSize < n) yield return Dataset.GetBatch(order.AsSpan(full * BatchSize, n - full * BatchSize));
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
