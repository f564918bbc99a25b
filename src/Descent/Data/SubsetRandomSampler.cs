using Descent.Tensors;

namespace Descent.Data;

/// <summary>
/// The given indices in a random order, like <c>SubsetRandomSampler(indices, generator)</c>: one randperm of their
/// number per epoch, from <paramref name="generator"/> or else straight from <see cref="Generator.Default"/>.
/// </summary>
/// <param name="indices">The dataset indices to draw from (copied).</param>
/// <param name="generator">The generator to draw from (default: the default generator).</param>
public sealed class SubsetRandomSampler(IEnumerable<int> indices, Generator? generator = null) : Sampler<int>
{
    private readonly int[] indices = [.. indices];

    /// <summary>The indices drawn from.</summary>
    public IReadOnlyList<int> Indices => indices;

    /// <summary>The generator drawn from, or null (the default generator).</summary>
    public Generator? Generator { get; } = generator;

    /// <inheritdoc/>
    public override int Count => indices.Length;

    /// <inheritdoc/>
    public override IEnumerator<int> GetEnumerator()
    {
        var perm = new long[indices.Length];
        (Generator ?? Generator.Default).Randperm(perm);
        foreach (long i in perm) yield return indices[i];
    }
}
