namespace Descent.Data;

/// <summary>The indices 0, 1, …, count − 1 in order, like <c>SequentialSampler(data_source)</c>.</summary>
/// <param name="count">The dataset's length.</param>
public sealed class SequentialSampler(int count) : Sampler<int>
{
    /// <inheritdoc/>
    public override int Count { get; } = count;

    /// <inheritdoc/>
    public override IEnumerator<int> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return i;
    }
}
