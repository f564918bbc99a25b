using Descent.Tensors;

namespace Descent.Data;

/// <summary>
/// Indices 0 … weights.Count − 1 drawn with probabilities proportional to <c>weights</c>, like
/// <c>WeightedRandomSampler(weights, num_samples, replacement, generator)</c>: each epoch is one
/// <c>torch.multinomial</c> over the weights (as float64), drawing the same random numbers as PyTorch's CPU kernel.
/// With replacement and more than one sample that is one uniform double per sample, looked up in the normalised
/// cumulative weights; otherwise (no replacement, or a single sample) one exponential per weight, and the indices of
/// the largest weight / exponential ratios, largest first.
/// </summary>
/// <remarks>
/// The weights are checked when the sampler is made, with the messages PyTorch's multinomial gives when it is first
/// iterated (they cannot change afterwards: they are copied).
/// </remarks>
public sealed class WeightedRandomSampler : Sampler<int>
{
    private readonly double[] weights;

    /// <summary>A sampler drawing <paramref name="numSamples"/> indices per epoch.</summary>
    /// <param name="weights">A weight per index, not necessarily summing to one (copied).</param>
    /// <param name="numSamples">Indices per epoch.</param>
    /// <param name="replacement">Whether an index may be drawn again within an epoch.</param>
    /// <param name="generator">The generator to draw from (default: the default generator).</param>
    /// <exception cref="ArgumentException">A count or weights PyTorch refuses (its texts).</exception>
    public WeightedRandomSampler(IEnumerable<double> weights, int numSamples, bool replacement = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (numSamples <= 0) throw new ArgumentException($"num_samples should be a positive integer value, but got num_samples={numSamples}");
        this.weights = [.. weights];
        (NumSamples, Replacement, Generator) = (numSamples, replacement, generator);
        Check();
    }

    /// <summary>The weights.</summary>
    public IReadOnlyList<double> Weights => weights;

    /// <summary>Indices per epoch.</summary>
    public int NumSamples { get; }

    /// <summary>Whether indices are drawn with replacement.</summary>
    public bool Replacement { get; }

    /// <summary>The generator drawn from, or null (the default generator).</summary>
    public Generator? Generator { get; }

    /// <inheritdoc/>
    public override int Count => NumSamples;

    /// <inheritdoc/>
    public override IEnumerator<int> GetEnumerator()
    {
        // One multinomial call per epoch, made when the epoch starts, as PyTorch's __iter__ does.
        var drawn = Replacement && NumSamples > 1 ? Cumulative() : LargestRatios();
        foreach (int i in drawn) yield return i;
    }

    // at::native::multinomial's argument checks, in its order, for the path the options take.
    private void Check()
    {
        int n = weights.Length;
        if (!Replacement && NumSamples > n) throw new ArgumentException("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
        if (n > 1 << 24) throw new ArgumentException("number of categories cannot exceed 2^24");
        if (Replacement && NumSamples > 1)
        {
            double sum = 0;
            foreach (double w in weights)
            {
                if (!(w >= 0)) throw new ArgumentException("invalid multinomial distribution (encountering probability entry < 0)");
                if (!double.IsFinite(w)) throw new ArgumentException("invalid multinomial distribution (encountering probability entry = infinity or NaN)");
                sum += w;
            }
            if (!(sum > 0)) throw new ArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
        }
        else
        {
            if (weights.Any(w => !(w < double.PositiveInfinity && w >= 0)))
                throw new ArgumentException("probability tensor contains either `inf`, `nan` or element < 0");
            if (weights.Sum() == 0) throw new ArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
        }
    }

    // multinomial_with_replacement: the cumulative weights over their sum, the last set to 1, and for each sample the
    // first slot whose cumulative weight is not below a uniform double (binary search).
    private int[] Cumulative()
    {
        int n = weights.Length;
        var cum = new double[n];
        double sum = 0;
        for (int j = 0; j < n; j++) cum[j] = sum += weights[j];
        for (int j = 0; j < n; j++) cum[j] /= sum;
        cum[n - 1] = 1;
        var u = new double[NumSamples];
        (Generator ?? Generator.Default).FillUniform(u);
        var r = new int[NumSamples];
        for (int s = 0; s < r.Length; s++)
        {
            int left = 0, right = n;
            while (right - left > 0)
            {
                int mid = left + (right - left) / 2;
                if (cum[mid] < u[s]) left = mid + 1;
                else right = mid;
            }
            r[s] = left;
        }
        return r;
    }

    // The fast path (Gumbel-max): q ~ Exp(1) per weight, drawn as −log1p(−u) from uniform doubles; the indices of the
    // largest w / q, largest first (topk), or the first largest (argmax) for one sample.
    private int[] LargestRatios()
    {
        int n = weights.Length;
        var q = new double[n];
        (Generator ?? Generator.Default).FillUniform(q);
        for (int j = 0; j < n; j++) q[j] = weights[j] / -Log1P(-q[j]);
        var order = new int[n];
        for (int j = 0; j < n; j++) order[j] = j;
        // Stable, so equal ratios keep index order (argmax takes the first of equal maxima).
        var sorted = order.OrderByDescending(j => q[j]).Take(NumSamples).ToArray();
        return sorted;
    }

    // log(1 + x), accurate where 1 + x rounds (x near 0), as C's log1p is.
    private static double Log1P(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }
}
