namespace Descent.Data;

/// <summary>
/// Groups another sampler's indices into batches, like <c>BatchSampler(sampler, batch_size, drop_last)</c>. It asks
/// the sampler for indices only as batches are asked for, and asks once more before giving up, as PyTorch's does:
/// a random sampler's draws happen at the same points of the epoch.
/// </summary>
public sealed class BatchSampler : Sampler<int[]>
{
    /// <summary>Batches of <paramref name="batchSize"/> indices drawn from <paramref name="sampler"/>.</summary>
    /// <param name="sampler">The sampler of indices.</param>
    /// <param name="batchSize">Indices per batch.</param>
    /// <param name="dropLast">Whether a short last batch is dropped.</param>
    /// <exception cref="ArgumentException">The batch size is not positive (PyTorch's text).</exception>
    public BatchSampler(Sampler<int> sampler, int batchSize, bool dropLast)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        if (batchSize <= 0) throw new ArgumentException($"batch_size should be a positive integer value, but got batch_size={batchSize}");
        (Sampler, BatchSize, DropLast) = (sampler, batchSize, dropLast);
    }

    /// <summary>The sampler of indices.</summary>
    public Sampler<int> Sampler { get; }

    /// <summary>Indices per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether a short last batch is dropped.</summary>
    public bool DropLast { get; }

    /// <inheritdoc/>
    public override int Count => DropLast ? Sampler.Count / BatchSize : (Sampler.Count + BatchSize - 1) / BatchSize;

    /// <inheritdoc/>
    public override IEnumerator<int[]> GetEnumerator()
    {
        using var indices = Sampler.GetEnumerator();
        var batch = new int[BatchSize];
        while (true)
        {
            int n = 0;
            while (n < BatchSize && indices.MoveNext()) batch[n++] = indices.Current;
            if (n == BatchSize) yield return (int[])batch.Clone();
            else
            {
                if (n > 0 && !DropLast) yield return batch[..n];
                yield break;
            }
        }
    }
}
