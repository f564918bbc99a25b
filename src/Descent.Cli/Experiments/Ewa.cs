using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>One β's smoothing of the series: the raw running average and its bias-corrected form.</summary>
/// <param name="Beta">The decay β.</param>
/// <param name="Average">v_t = β·v_{t−1} + (1 − β)·θ_t from v_0 = 0: pulled towards 0 at the start.</param>
/// <param name="Corrected">v_t / (1 − β^t): the start's bias removed.</param>
public sealed record EwaSmoothing(double Beta, double[] Average, double[] Corrected);

/// <summary>
/// Exponentially weighted averages, the idea behind momentum and Adam's moments: v_t = β·v_{t−1} + (1 − β)·θ_t
/// unrolls to Σ (1 − β)·β^k·θ_{t−k}, so the value k steps back gets weight (1 − β)·β^k and the memory is about
/// 1 / (1 − β) steps.
/// </summary>
public static class Ewa
{
    /// <summary>The tutorial's decays.</summary>
    public static readonly double[] DefaultBetas = [0.98, 0.95, 0.9, 0.8];

    /// <summary>The weights (1 − β)·β^k for k = 0 … <paramref name="count"/> − 1; they sum to 1 − β^count.</summary>
    public static double[] Weights(double beta, int count)
    {
        var w = new double[count];
        double power = 1;
        for (int k = 0; k < count; k++)
        {
            w[k] = (1 - beta) * power;
            power *= beta;
        }
        return w;
    }

    /// <summary>
    /// A noisy series to smooth: a slow seasonal curve plus Gaussian noise from Descent's generator (seeded, so the
    /// same seed gives the same series as <c>torch.randn</c> would).
    /// </summary>
    public static double[] NoisySeries(int count, long seed)
    {
        Torch.ManualSeed(seed);
        var noise = Tensor.Randn(count).ToArray();
        var y = new double[count];
        for (int t = 0; t < count; t++) y[t] = 10 + 6 * Math.Sin(2 * Math.PI * t / count) + 2.5 * noise[t];
        return y;
    }

    /// <summary>Smooths <paramref name="series"/> with <paramref name="beta"/>, with and without bias correction.</summary>
    public static EwaSmoothing Smooth(double[] series, double beta)
    {
        var average = new double[series.Length];
        var corrected = new double[series.Length];
        double v = 0, power = 1;
        for (int t = 0; t < series.Length; t++)
        {
            v = beta * v + (1 - beta) * series[t];
            power *= beta;
            average[t] = v;
            corrected[t] = v / (1 - power);
        }
        return new EwaSmoothing(beta, average, corrected);
    }
}
