using Descent.Cli.Experiments;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Cli;

/// <summary>The numbers behind the lab verbs, checked against what the mathematics (or PyTorch) says they must be.</summary>
[Collection("Console")]
public class LabExperimentTests
{
    [Fact]
    public void LrSweepConvergesInOneStepAtOneEighthAndDivergesAtOne()
    {
        var result = LrSweep.Run(LrSweep.DefaultLrs());
        Assert.Equal(12, result.Runs.Count);
        Assert.Equal(0.125, result.Fastest!.Lr);
        Assert.Equal(1, result.Fastest.ConvergedAt);
        Assert.Equal(0, result.Fastest.Loss[1]);
        var one = result.Runs.Single(r => r.Lr == 1);
        Assert.Equal(DescentOutcome.Diverged, one.Outcome);
        Assert.Equal([1.0], result.Diverged.Select(r => r.Lr));
        // Plain descent multiplies x by (1 − 8·lr): check autograd + SGD against the closed form.
        var slow = result.Runs[0];
        for (int t = 0; t < 10; t++) Assert.Equal(2 * Math.Pow(1 - 8 * slow.Lr, t), slow.X[t], 4);
    }

    [Fact]
    public void LrSweepCallsABouncingRateNeitherConvergedNorDiverged()
    {
        // lr = 0.25 maps x to −x forever: the loss stays at 16.
        var run = QuadraticDescent.Run(0.25, 0, 50);
        Assert.Equal(DescentOutcome.NotConverged, run.Outcome);
        Assert.Equal(49, run.SignChanges);
    }

    [Theory]
    [InlineData(0.98)]
    [InlineData(0.95)]
    [InlineData(0.9)]
    [InlineData(0.8)]
    public void EwaWeightsSumToOneMinusBetaToTheT(double beta)
    {
        foreach (int t in new[] { 1, 10, 100 })
        {
            double sum = Ewa.Weights(beta, t).Sum();
            Assert.Equal(1 - Math.Pow(beta, t), sum, 12);
        }
        Assert.Equal(1 - beta, Ewa.Weights(beta, 5)[0], 15);
    }

    [Fact]
    public void EwaBiasCorrectionRemovesTheStartupBias()
    {
        var constant = Enumerable.Repeat(5.0, 30).ToArray();
        var s = Ewa.Smooth(constant, 0.9);
        Assert.Equal(0.5, s.Average[0], 12);
        Assert.All(s.Corrected, v => Assert.Equal(5, v, 10));
    }

    [Fact]
    public void MomentumPointNineOscillatesWhereNoMomentumDoesNot()
    {
        var grid = MomentumGrid.Run(MomentumGrid.DefaultLrs, MomentumGrid.DefaultMomenta);
        var heavy = grid.Get(0.1, 0.9);
        Assert.True(heavy.SignChanges >= 10, $"only {heavy.SignChanges} sign changes");
        // The loss rises again after each crossing instead of falling monotonically.
        int rises = 0;
        for (int t = 1; t < heavy.Loss.Length; t++)
            if (heavy.Loss[t] > heavy.Loss[t - 1]) rises++;
        Assert.True(rises >= 10, $"loss rose only {rises} times");
        var plain = grid.Get(0.1, 0);
        Assert.Equal(0, plain.SignChanges);
        for (int t = 1; t < plain.Loss.Length; t++) Assert.True(plain.Loss[t] <= plain.Loss[t - 1]);
        // A moderate momentum speeds up the smallest learning rate.
        Assert.True(grid.Get(0.01, 0.63).ConvergedAt < 100);
        Assert.Null(grid.Get(0.01, 0).ConvergedAt);
    }

    [Fact]
    public void TrajectoriesStartAtTheStartAndAdamApproachesRosenbrocksMinimum()
    {
        foreach (var f in TestFunctions.All)
        {
            var result = Trajectories.Run(f, Trajectories.AllOptimizers(), steps: 60);
            Assert.True(result.Paths.Count >= 5, $"{f.Name}: only {result.Paths.Count} paths");
            foreach (var p in result.Paths)
            {
                Assert.Equal(f.Start.X, p.X[0]);
                Assert.Equal(f.Start.Y, p.Y[0]);
                Assert.Equal(f.OnDoubles(f.Start.X, f.Start.Y), p.Loss[0], 10);
                Assert.True(p.X.Length >= 2);
            }
        }
        var rosen = Trajectories.Run(TestFunctions.Rosenbrock, Trajectories.AllOptimizers());
        var adam = rosen.Paths.Single(p => p.Optimizer == "Adam");
        double start = TestFunctions.Rosenbrock.DistanceToMinimum(adam.X[0], adam.Y[0]);
        double end = TestFunctions.Rosenbrock.DistanceToMinimum(adam.X[^1], adam.Y[^1]);
        Assert.True(end < start / 5, $"Adam ended {end:F3} from (1, 1), started {start:F3}");
        Assert.True(adam.Loss[^1] < adam.Loss[0] / 100);
    }

    [Fact]
    public void TrajectoriesMatchPyTorch()
    {
        // torch.optim.Adam(lr=0.2) on Rosenbrock from (−1.5, 2), 500 steps: (0.934894, 0.873832) in PyTorch 1.13.
        var result = Trajectories.Run(TestFunctions.Rosenbrock,
            [new TrajectoryOptimizer(LabOptimizers.Find("adam")!, new Dictionary<string, object?>())]);
        Assert.Equal(0.934894, result.Paths[0].X[^1], 3);
        Assert.Equal(0.873832, result.Paths[0].Y[^1], 3);
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    [InlineData("momentum")]
    public void LrFindSuggestsASaneRate(string optimizer)
    {
        var result = LrFinder.Run(LabOptimizers.Parse(optimizer));
        Assert.InRange(result.SuggestedLr, 1e-4, 1);
        Assert.True(result.Lrs.Length >= 20);
        // Exponential schedule from 1e-7 towards 10.
        Assert.Equal(1e-7, result.Lrs[0], 12);
        for (int i = 1; i < result.Lrs.Length; i++) Assert.Equal(Math.Pow(1e8, 1.0 / 99), result.Lrs[i] / result.Lrs[i - 1], 9);
    }

    [Fact]
    public void LrFindStopsWhenTheLossExplodes()
    {
        var result = LrFinder.Run(LabOptimizers.Parse("sgd"));
        Assert.True(result.Exploded);
        Assert.True(result.Lrs.Length < 100);
        Assert.True(result.Smoothed[^1] > LrFinder.ExplodeFactor * result.Smoothed.Min());
    }

    [Fact]
    public void CrossEntropyMatchesPyTorch()
    {
        var logits = Tensor.FromArray([1f, 2f, 3f, 1f, 0f, -1f, 0.5f, 0.5f, -2f], 3, 3).RequiresGrad_();
        var target = Tensor.FromArray([2L, 0L, 1L], 3);
        var loss = Descent.NN.Functional.CrossEntropy(logits, target);
        Assert.Equal(0.5161938667297363, loss.Item(), 6);
        loss.Backward();
        float[] expected = [0.030010194f, 0.08157617f, -0.11158633f, -0.11158633f, 0.08157617f, 0.030010194f, 0.16009593f, -0.17323741f, 0.013141474f];
        var grad = logits.Grad!.ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], grad[i], 5);
    }

    [Fact]
    public void ClusterComparisonLearnsToSeparateTheClusters()
    {
        var result = Comparison.Run(ComparisonTasks.Clusters, Comparison.TutorialOptimizers(), 12, 32, 1);
        Assert.NotNull(result.Accuracies);
        Assert.All(result.Accuracies!, a => Assert.True(a > 0.95, $"accuracy {a}"));
    }

    [Fact]
    public void ComparisonThroughTheRegistryIsTheTutorialRun()
    {
        // The same four optimizers spelled as --opt values reproduce the tutorial run (and so PyTorch) exactly.
        var viaRegistry = LabOptimizers.ParseAll(["sgd:lr=0.01", "momentum:lr=0.01,momentum=0.8", "rmsprop:lr=0.01,alpha=0.9", "adam:lr=0.01,betas=0.9/0.99"]);
        var a = Comparison.Run(viaRegistry, epochs: 2);
        var b = Comparison.Run(Comparison.TutorialOptimizers(), epochs: 2);
        for (int i = 0; i < 4; i++) Assert.Equal(b.Optimizers[i].Losses, a.Optimizers[i].Losses);
    }
}
