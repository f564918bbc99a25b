using Descent.Tensors;

namespace Descent.Data;

/// <summary>
/// Random indices into a dataset of <c>count</c> samples, like <c>RandomSampler(data_source, replacement,
/// num_samples, generator)</c>, drawing the same random numbers for the same seed. Without a generator each epoch
/// first draws a seed from <see cref="Generator.Default"/> and draws the rest from a generator seeded with it.
/// Without replacement an epoch is whole permutations (randperm) and the first <c>numSamples % count</c> of one more,
/// which is drawn even when none of it is used; with replacement it is randint draws, 32 at a time.
/// </summary>
public sealed class RandomSampler : Sampler<int>
{
    private const int Chunk = 32; // PyTorch's randint draws per call with replacement

    /// <summary>A sampler over a dataset of <paramref name="count"/> samples.</summary>
    /// <param name="count">The dataset's length.</param>
    /// <param name="replacement">Whether an index may be drawn again within an epoch.</param>
    /// <param name="numSamples">Indices per epoch (default: <paramref name="count"/>).</param>
    /// <param name="generator">The generator to draw from (default: a fresh one per epoch, seeded from the default).</param>
    /// <exception cref="ArgumentException">The number of samples is not positive (PyTorch's text).</exception>
    public RandomSampler(int count, bool replacement = false, int? numSamples = null, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int n = numSamples ?? count;
        if (n <= 0) throw new ArgumentException($"num_samples should be a positive integer value, but got num_samples={n}");
        (DatasetCount, Replacement, NumSamples, Generator) = (count, replacement, n, generator);
    }

    /// <summary>The dataset's length.</summary>
    public int DatasetCount { get; }

    /// <summary>Whether indices are drawn with replacement.</summary>
    public bool Replacement { get; }

    /// <summary>Indices per epoch.</summary>
    public int NumSamples { get; }

    /// <summary>The generator drawn from, or null (a fresh one per epoch, seeded from the default).</summary>
    public Generator? Generator { get; }

    /// <inheritdoc/>
    public override int Count => NumSamples;

    /// <inheritdoc/>
    public override IEnumerator<int> GetEnumerator()
    {
        int n = DatasetCount;
        var g = Generator ?? new Generator(Generator.Default.RandomInt64());
        if (Replacement)
        {
            var draws = new long[Chunk];
            for (int left = NumSamples; left >= 0; left -= Chunk)
            {
                // The last call draws NumSamples % 32, none when that is 0, as randint of size 0 does.
                int size = Math.Min(left, Chunk);
                g.FillRandint(draws.AsSpan(0, size), 0, n);
                for (int i = 0; i < size; i++) yield return (int)draws[i];
            }
        }
        else
        {
            var perm = new long[n];
            for (int k = 0; k < NumSamples / n; k++)
            {
                g.Randperm(perm);
                foreach (long i in perm) yield return (int)i;
            }
            g.Randperm(perm);
            for (int i = 0; i < NumSamples % n; i++) yield return (int)perm[i];
        }
    }
}
