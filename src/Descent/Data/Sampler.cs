using System.Collections;

namespace Descent.Data;

/// <summary>
/// Draws what a <see cref="DataLoader{T, TBatch}"/> loads, like <c>torch.utils.data.Sampler</c>: dataset indices
/// (<c>Sampler&lt;int&gt;</c>) or whole batches of them (<c>Sampler&lt;int[]&gt;</c>, as <see cref="BatchSampler"/>).
/// Each enumeration is one epoch; random samplers draw lazily, as PyTorch's generators do, so a loader consumes the
/// same random numbers at the same moments.
/// </summary>
/// <typeparam name="T">What is drawn: an index, or a batch of indices.</typeparam>
public abstract class Sampler<T> : IEnumerable<T>
{
    /// <summary>How many are drawn per epoch, like <c>len(sampler)</c>.</summary>
    public abstract int Count { get; }

    /// <summary>One epoch.</summary>
    public abstract IEnumerator<T> GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
