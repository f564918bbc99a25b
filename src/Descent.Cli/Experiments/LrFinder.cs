using Descent.Data;
using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>The range test's record: each step's learning rate, raw and smoothed loss, and the suggestion.</summary>
public sealed record LrFindResult(double[] Lrs, double[] Losses, double[] Smoothed, int SuggestedIndex, bool Exploded)
{
    /// <summary>The suggested learning rate: where the smoothed loss falls fastest against log(lr).</summary>
    public double SuggestedLr => Lrs[SuggestedIndex];

    /// <summary>The learning rate at the lowest smoothed loss (usually too large to train with: the loss is about to turn).</summary>
    public double MinimumLossLr
    {
        get
        {
            int best = 0;
            for (int i = 1; i < Smoothed.Length; i++)
                if (Smoothed[i] < Smoothed[best]) best = i;
            return Lrs[best];
        }
    }
}

/// <summary>
/// The learning-rate range test (Smith, 2015; popularised by fastai): train on mini-batches while raising the
/// learning rate exponentially from tiny to huge, smooth the loss, stop once it explodes, and suggest the rate
/// where the loss was falling fastest. Run on the tutorial's regression (y = x² + noise, 1-20-1 network).
/// </summary>
public static class LrFinder
{
    /// <summary>
    /// Weight of the debiased moving average that smooths the batch losses. fastai uses 0.98, but over a
    /// 100-step test that lags the raw losses by several decades of learning rate; 0.9 follows the trend.
    /// </summary>
    public const double Smoothing = 0.9;

    /// <summary>The test stops once the smoothed loss exceeds this multiple of the best so far.</summary>
    public const double ExplodeFactor = 4;

    /// <summary>Runs the test with <paramref name="spec"/>'s optimizer; its learning rate is overwritten every step.</summary>
    public static LrFindResult Run(OptimizerSpec spec, double startLr = 1e-7, double endLr = 10, int steps = 100, int batchSize = 32,
        long seed = 1, Action<int>? onStep = null)
    {
        if (!(startLr > 0 && endLr > startLr)) throw new ArgumentException("the range test needs 0 < start lr < end lr");
        if (steps < 2) throw new ArgumentException("the range test needs at least 2 steps");
        Torch.ManualSeed(seed);
        var (x, y) = Comparison.QuadraticData();
        var loader = new DataLoader(new TensorDataset(x, y), batchSize: batchSize, shuffle: true);
        var net = new TutorialNet();
        var optimizer = spec.Create(net.Parameters());
        var lrs = new List<double>(steps);
        var losses = new List<double>(steps);
        var smoothed = new List<double>(steps);
        double average = 0, best = double.PositiveInfinity, decay = 1;
        bool exploded = false;
        var batches = loader.GetEnumerator();
        for (int i = 0; i < steps && !exploded; i++)
        {
            if (!batches.MoveNext())
            {
                batches = loader.GetEnumerator();
                batches.MoveNext();
            }
            double lr = startLr * Math.Pow(endLr / startLr, (double)i / (steps - 1));
            foreach (var group in optimizer.ParamGroups) group.Lr = lr;
            var loss = Descent.NN.Functional.MseLoss(net.Forward(batches.Current[0]), batches.Current[1]);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            double value = loss.Item();
            average = Smoothing * average + (1 - Smoothing) * value;
            decay *= Smoothing;
            double s = average / (1 - decay);
            lrs.Add(lr);
            losses.Add(value);
            smoothed.Add(s);
            best = Math.Min(best, s);
            exploded = !double.IsFinite(s) || s > ExplodeFactor * best;
            onStep?.Invoke(i + 1);
        }
        var sm = smoothed.ToArray();
        var lrArray = lrs.ToArray();
        return new LrFindResult(lrArray, losses.ToArray(), sm, SteepestDescent(lrArray, sm), exploded);
    }

    /// <summary>
    /// The index where the smoothed loss falls fastest per decade of learning rate (central differences). The
    /// first tenth and the last few points are ignored: the start is dominated by the average warming up and the
    /// end by the explosion.
    /// </summary>
    public static int SteepestDescent(double[] lrs, double[] smoothed)
    {
        int n = smoothed.Length;
        if (n < 3) return 0;
        int from = Math.Max(1, n / 10), to = Math.Min(n - 2, n - 1 - Math.Max(1, n / 20));
        if (from > to) (from, to) = (1, n - 2);
        int best = from;
        double steepest = double.PositiveInfinity;
        for (int i = from; i <= to; i++)
        {
            double slope = (smoothed[i + 1] - smoothed[i - 1]) / (Math.Log10(lrs[i + 1]) - Math.Log10(lrs[i - 1]));
            if (slope < steepest)
            {
                steepest = slope;
                best = i;
            }
        }
        return best;
    }
}
