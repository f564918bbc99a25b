using System.Diagnostics;
using Descent.Data;
using Descent.NN;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>One optimizer's entry in a comparison: a display name, a factory over a network's parameters, and its settings as text.</summary>
public sealed record OptimizerSpec(string Name, Func<IEnumerable<Tensor>, Optimizer> Create, string Settings = "");

/// <summary>The result of a comparison: every step's loss per optimizer, and the training loop's wall time.</summary>
public sealed record ComparisonResult(IReadOnlyList<(string Name, double[] Losses)> Optimizers, double TrainMs, int StepsPerEpoch)
{
    /// <summary>Final accuracy per optimizer (classification tasks only).</summary>
    public IReadOnlyList<double>? Accuracies { get; init; }
}

/// <summary>
/// The classic optimizer comparison: the same small network trained from the same data by several optimizers,
/// every network stepping on every batch in turn, exactly as the PyTorch tutorial does it.
/// </summary>
public static class Comparison
{
    /// <summary>The tutorial's four optimizers: SGD, Momentum, RMSprop, Adam, all at lr 0.01.</summary>
    public static IReadOnlyList<OptimizerSpec> TutorialOptimizers(double lr = 0.01) =>
    [
        new("SGD", p => new SGD(p, lr: lr), $"lr={lr}"),
        new("Momentum", p => new SGD(p, lr: lr, momentum: 0.8), $"lr={lr}, momentum=0.8"),
        new("RMSprop", p => new RMSprop(p, lr: lr, alpha: 0.9), $"lr={lr}, alpha=0.9"),
        new("Adam", p => new Adam(p, lr: lr, betas: (0.9, 0.99)), $"lr={lr}, betas=0.9/0.99"),
    ];

    /// <summary>The tutorial's data: 1000 points on [-1, 1] as a column, y = x² + 0.1·N(0, 1).</summary>
    public static (Tensor X, Tensor Y) QuadraticData(int points = 1000)
    {
        var x = Tensor.Linspace(-1, 1, points).Unsqueeze(1);
        var y = x.Pow(2) + 0.1 * Tensor.Normal(Tensor.Zeros(x.Shape));
        return (x, y);
    }

    /// <summary>Runs the tutorial comparison (quadratic data) with <paramref name="specs"/>.</summary>
    public static ComparisonResult Run(IReadOnlyList<OptimizerSpec> specs, int epochs = 12, int batchSize = 32, long seed = 1,
        Action<int>? onEpoch = null) =>
        Run(ComparisonTasks.Quadratic, specs, epochs, batchSize, seed, onEpoch);

    /// <summary>
    /// Runs a comparison: seed, data, one model per optimizer (created in order), then training, every model
    /// stepping on each batch in turn. <paramref name="onStep"/> gets the batches done so far and the total.
    /// </summary>
    public static ComparisonResult Run(ComparisonTask task, IReadOnlyList<OptimizerSpec> specs, int epochs, int batchSize, long seed,
        Action<int>? onEpoch = null, Action<int, int>? onStep = null)
    {
        Torch.ManualSeed(seed);
        var (x, y) = task.MakeData();
        var loader = new DataLoader(new TensorDataset(x, y), batchSize: batchSize, shuffle: true);
        var nets = new Module[specs.Count];
        var opts = new Optimizer[specs.Count];
        for (int i = 0; i < specs.Count; i++) nets[i] = task.MakeModel();
        for (int i = 0; i < specs.Count; i++) opts[i] = specs[i].Create(nets[i].Parameters());
        // L-BFGS re-evaluates the loss several times per step, so it must be given a closure.
        var needsClosure = new bool[specs.Count];
        for (int i = 0; i < specs.Count; i++) needsClosure[i] = opts[i].GetType().Name == "LBFGS";
        var losses = new List<double>[specs.Count];
        for (int i = 0; i < losses.Length; i++) losses[i] = new List<double>(epochs * loader.Count);

        var clock = Stopwatch.StartNew();
        int done = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var batch in loader)
            {
                var (bx, by) = (batch[0], batch[1]);
                for (int i = 0; i < nets.Length; i++)
                {
                    if (needsClosure[i])
                    {
                        losses[i].Add(StepWithClosure(opts[i], nets[i], task, bx, by));
                        continue;
                    }
                    var loss = task.Loss(nets[i].Forward(bx), by);
                    opts[i].ZeroGrad();
                    loss.Backward();
                    opts[i].Step();
                    losses[i].Add(loss.Item());
                }
                onStep?.Invoke(++done, epochs * loader.Count);
            }
            onEpoch?.Invoke(epoch);
        }
        clock.Stop();
        var result = new List<(string, double[])>();
        for (int i = 0; i < specs.Count; i++) result.Add((specs[i].Name, losses[i].ToArray()));
        return new ComparisonResult(result, clock.Elapsed.TotalMilliseconds, loader.Count)
        {
            Accuracies = task.Classification ? Accuracies(task, nets, x, y) : null,
        };
    }

    private static double StepWithClosure(Optimizer opt, Module net, ComparisonTask task, Tensor bx, Tensor by)
    {
        var loss = opt.Step(() =>
        {
            opt.ZeroGrad();
            var l = task.Loss(net.Forward(bx), by);
            l.Backward();
            return l;
        });
        return loss?.Item() ?? double.NaN;
    }

    private static double[] Accuracies(ComparisonTask task, Module[] nets, Tensor trainX, Tensor trainY)
    {
        var (x, y) = task.MakeTestData?.Invoke() ?? (trainX, trainY);
        var acc = new double[nets.Length];
        using (Torch.NoGrad())
            for (int i = 0; i < nets.Length; i++) acc[i] = LabMetrics.Accuracy(nets[i].Forward(x), y);
        return acc;
    }
}
