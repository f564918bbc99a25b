using Descent.NN;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>A snapshot of the regression fit: the step, the loss, and the network's prediction at every data point.</summary>
public sealed record RegressionFrame(int Step, double Loss, double[] Prediction);

/// <summary>A snapshot of the classifier: the step, the loss, the accuracy, and the predicted class on a grid of points.</summary>
public sealed record ClassificationFrame(int Step, double Loss, double Accuracy, int[,] Regions);

/// <summary>The regression demo: data, per-step loss and snapshots.</summary>
public sealed record RegressionResult(double[] X, double[] Y, double[] Losses, IReadOnlyList<RegressionFrame> Frames);

/// <summary>The classification demo: data, the region grid's coordinates, per-step loss and accuracy, and snapshots.</summary>
public sealed record ClassificationResult(double[] X1, double[] X2, int[] Labels, double[] GridX, double[] GridY,
    double[] Losses, double[] Accuracies, IReadOnlyList<ClassificationFrame> Frames)
{
    /// <summary>The trained network's class for each data point.</summary>
    public required int[] Predicted { get; init; }
}

/// <summary>
/// The tutorial's two first networks, trained full-batch with SGD: a 1-10-1 regression of y = x² + noise
/// (lr 0.2) and a 2-10-2 classifier of two Gaussian clusters (lr 0.02), with snapshots every few steps.
/// </summary>
public static class FitDemo
{
    /// <summary>Half-width of the square over which decision regions are drawn.</summary>
    public const double RegionExtent = 5.5;

    /// <summary>Region grid points per side.</summary>
    public const int RegionGrid = 71;

    /// <summary>
    /// Regression: 100 points x on [−1, 1], y = x² + 0.2·U(0, 1) (the tutorial's noise), a 1-10-1 ReLU network,
    /// SGD(lr) on the MSE of the whole set each step. Frames are taken before the step, as the tutorial plots them.
    /// </summary>
    public static RegressionResult Regression(long seed = 1, int steps = 200, double lr = 0.2, int every = 5, Action<int>? onStep = null)
    {
        Torch.ManualSeed(seed);
        var x = Tensor.Linspace(-1, 1, 100).Unsqueeze(1);
        var y = x.Pow(2) + 0.2 * Tensor.Rand(x.Shape);
        var net = new TutorialNet(1, 10, 1);
        var optimizer = new SGD(net.Parameters(), lr: lr);
        var losses = new double[steps];
        var frames = new List<RegressionFrame>();
        for (int t = 0; t < steps; t++)
        {
            var prediction = net.Forward(x);
            var loss = Functional.MseLoss(prediction, y);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            losses[t] = loss.Item();
            if (t % every == 0 || t == steps - 1) frames.Add(new RegressionFrame(t, losses[t], Column(prediction)));
            onStep?.Invoke(t + 1);
        }
        return new RegressionResult(Column(x), Column(y), losses, frames);
    }

    /// <summary>
    /// Classification: 100 points around (2, 2) (class 0) and 100 around (−2, −2) (class 1), σ = 1, a 2-10-2 ReLU
    /// network, SGD(lr) on the cross-entropy of the whole set each step. Frames hold the predicted class over a grid.
    /// </summary>
    public static ClassificationResult Classification(long seed = 1, int steps = 100, double lr = 0.02, int every = 5, Action<int>? onStep = null)
    {
        Torch.ManualSeed(seed);
        var (x, y) = ComparisonTasks.ClusterData();
        var net = new TutorialNet(2, 10, 2);
        var optimizer = new SGD(net.Parameters(), lr: lr);
        var grid = Plotting.Grid.Linspace(-RegionExtent, RegionExtent, RegionGrid);
        var gridPoints = GridTensor(grid);
        var losses = new double[steps];
        var accuracies = new double[steps];
        var frames = new List<ClassificationFrame>();
        for (int t = 0; t < steps; t++)
        {
            var output = net.Forward(x);
            var loss = Descent.NN.Functional.CrossEntropy(output, y);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            losses[t] = loss.Item();
            accuracies[t] = LabMetrics.Accuracy(output.Detach(), y);
            if (t % every == 0 || t == steps - 1) frames.Add(new ClassificationFrame(t, losses[t], accuracies[t], Regions(net, gridPoints, grid.Length)));
            onStep?.Invoke(t + 1);
        }
        var xs = x.ToArray();
        var x1 = new double[xs.Length / 2];
        var x2 = new double[xs.Length / 2];
        for (int i = 0; i < x1.Length; i++) (x1[i], x2[i]) = (xs[2 * i], xs[2 * i + 1]);
        var labels = Array.ConvertAll(y.ToArray<long>(), v => (int)v);
        long[] predicted;
        using (Torch.NoGrad()) predicted = net.Forward(x).Argmax(1).ToArray<long>();
        return new ClassificationResult(x1, x2, labels, grid, grid, losses, accuracies, frames)
        {
            Predicted = Array.ConvertAll(predicted, v => (int)v),
        };
    }

    private static double[] Column(Tensor t) => Array.ConvertAll(t.Detach().ToArray(), v => (double)v);

    // Row i of the grid is y = grid[i], column j is x = grid[j], as RegionSeries expects.
    private static Tensor GridTensor(double[] grid)
    {
        int n = grid.Length;
        var data = new float[n * n * 2];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                data[2 * (i * n + j)] = (float)grid[j];
                data[2 * (i * n + j) + 1] = (float)grid[i];
            }
        return Tensor.FromArray(data, n * n, 2);
    }

    private static int[,] Regions(Module net, Tensor points, int n)
    {
        long[] predicted;
        using (Torch.NoGrad()) predicted = net.Forward(points).Argmax(1).ToArray<long>();
        var regions = new int[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) regions[i, j] = (int)predicted[i * n + j];
        return regions;
    }
}
