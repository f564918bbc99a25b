using System.Diagnostics;
using Descent.Data;
using Descent.NN;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>One optimizer's entry in a comparison: a display name and a factory over a network's parameters.</summary>
public sealed record OptimizerSpec(string Name, Func<IEnumerable<Tensor>, Optimizer> Create);

/// <summary>The result of a comparison: every step's loss per optimizer, and the training loop's wall time.</summary>
public sealed record ComparisonResult(IReadOnlyList<(string Name, double[] Losses)> Optimizers, double TrainMs, int StepsPerEpoch);

/// <summary>
/// The classic optimizer comparison: the same small network trained from the same data by several optimizers,
/// every network stepping on every batch in turn, exactly as the PyTorch tutorial does it.
/// </summary>
public static class Comparison
{
    /// <summary>The tutorial's four optimizers: SGD, Momentum, RMSprop, Adam, all at lr 0.01.</summary>
    public static IReadOnlyList<OptimizerSpec> TutorialOptimizers(double lr = 0.01) =>
    [
        new("SGD", p => new SGD(p, lr: lr)),
        new("Momentum", p => new SGD(p, lr: lr, momentum: 0.8)),
        new("RMSprop", p => new RMSprop(p, lr: lr, alpha: 0.9)),
        new("Adam", p => new Adam(p, lr: lr, betas: (0.9, 0.99))),
    ];

    /// <summary>The tutorial's data: 1000 points on [-1, 1] as a column, y = x² + 0.1·N(0, 1).</summary>
    public static (Tensor X, Tensor Y) QuadraticData(int points = 1000)
    {
        var x = Tensor.Linspace(-1, 1, points).Unsqueeze(1);
        var y = x.Pow(2) + 0.1 * Tensor.Normal(Tensor.Zeros(x.Shape));
        return (x, y);
    }

    /// <summary>Runs the comparison: seed, data, one network per optimizer (created in order), then training.</summary>
    public static ComparisonResult Run(IReadOnlyList<OptimizerSpec> specs, int epochs = 12, int batchSize = 32, long seed = 1,
        Action<int>? onEpoch = null)
    {
        Torch.ManualSeed(seed);
        var (x, y) = QuadraticData();
        var loader = new DataLoader(new TensorDataset(x, y), batchSize: batchSize, shuffle: true);
        var nets = new TutorialNet[specs.Count];
        var opts = new Optimizer[specs.Count];
        for (int i = 0; i < specs.Count; i++) nets[i] = new TutorialNet();
        for (int i = 0; i < specs.Count; i++) opts[i] = specs[i].Create(nets[i].Parameters());
        var lossFn = new MSELoss();
        var losses = new List<double>[specs.Count];
        for (int i = 0; i < losses.Length; i++) losses[i] = new List<double>(epochs * loader.Count);

        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var batch in loader)
            {
                var (bx, by) = (batch[0], batch[1]);
                for (int i = 0; i < nets.Length; i++)
                {
                    var loss = lossFn.Forward(nets[i].Forward(bx), by);
                    opts[i].ZeroGrad();
                    loss.Backward();
                    opts[i].Step();
                    losses[i].Add(loss.Item());
                }
            }
            onEpoch?.Invoke(epoch);
        }
        clock.Stop();
        var result = new List<(string, double[])>();
        for (int i = 0; i < specs.Count; i++) result.Add((specs[i].Name, losses[i].ToArray()));
        return new ComparisonResult(result, clock.Elapsed.TotalMilliseconds, loader.Count);
    }
}
