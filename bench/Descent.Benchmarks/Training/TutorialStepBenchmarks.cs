using BenchmarkDotNet.Attributes;
using Descent.NN;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Benchmarks.Training;

/// <summary>
/// One training step of the regression tutorial through the public API: Linear(1, 20) → ReLU → Linear(20, 1),
/// MSELoss, batch 32, Adam: forward, loss, zero_grad, backward, step. At this size the time is per-op overhead
/// (tensor and graph allocation, dispatch), not arithmetic, so the allocation column matters as much as the mean.
/// </summary>
[MemoryDiagnoser]
public class TutorialStepBenchmarks
{
    private Module net = null!;
    private Optimizer optimizer = null!;
    private readonly MSELoss lossFunc = new();
    private Tensor x = null!, y = null!;

    [GlobalSetup]
    public void Setup()
    {
        Torch.ManualSeed(0);
        net = new Sequential(new Linear(1, 20), new ReLU(), new Linear(20, 1));
        optimizer = new Adam(net.Parameters(), lr: 0.01);
        x = Tensor.Linspace(-1, 1, 32).Unsqueeze(1); // [32, 1]
        y = x.Pow(2) + 0.2 * Tensor.Rand(x.Shape);
    }

    [Benchmark]
    public float Step()
    {
        var loss = lossFunc.Forward(net.Forward(x), y);
        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
        return (float)loss.Item(); // the tutorial reads the loss every step
    }
}
