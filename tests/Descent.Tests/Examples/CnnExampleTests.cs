using Descent.Examples;
using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Examples;

/// <summary>
/// The CNN tutorial (examples/Cnn): the network's shapes and parameters, the data loading, and its training loop
/// against PyTorch's on a small random batch (Golden/tutorials_cnn.json, tests/golden/gen_tutorials_cnn.py).
/// Seed-dependent, so in the generator's collection; the real data set is never needed.
/// </summary>
[Collection("GlobalGenerator")]
public class CnnExampleTests
{
    [Fact]
    public void NetTurnsImagesIntoTenScoresThroughThe32By7By7Maps()
    {
        Torch.ManualSeed(0);
        var net = new Cnn.Net();
        var scores = net.Forward(Tensor.Rand(3, 1, 28, 28), out var features);
        Assert.Equal([3, 10], scores.Shape);
        Assert.Equal([3, 32 * 7 * 7], features.Shape);
        // PyTorch's names and shapes, so the tutorial's state dict would load.
        var shapes = net.NamedParameters().Select(p => $"{p.Name} [{string.Join(", ", p.Parameter.Shape)}]");
        Assert.Equal(["conv1.0.weight [16, 1, 5, 5]", "conv1.0.bias [16]", "conv2.0.weight [32, 16, 5, 5]", "conv2.0.bias [32]",
            "out.weight [10, 1568]", "out.bias [10]"], shapes);
    }

    [Fact]
    public void TrainingMatchesPyTorchOnASmallRandomBatch()
    {
        var golden = GoldenJson.Load("tutorials_cnn.json").GetProperty("training");
        Torch.ManualSeed(0);
        var x = Tensor.Rand(20, 1, 28, 28);
        var y = Tensor.Randint(0, 10, [20]);
        var net = new Cnn.Net();
        var losses = Cnn.Train(net, x, y, batchSize: 5, lr: 0.001, epochs: 2);
        // Same initial weights, same shuffled batches, same Adam; float32 sums in another order are all that differ
        // (measured: 1.2e-7 relative at worst over the 8 losses).
        GoldenJson.AssertClose(GoldenJson.Numbers(golden.GetProperty("losses")), [.. losses], tol: 1e-5, what: "loss");
        using (Torch.NoGrad())
            GoldenJson.AssertClose(golden.GetProperty("scores"), net.Forward(x[..4]), tol: 1e-5, what: "scores");
    }

    [Fact]
    public void LossFallsAndAccuracyRisesOnALearnableTask()
    {
        Torch.ManualSeed(0);
        var (x, y) = Bands(60);
        var net = new Cnn.Net();
        double before = Cnn.Accuracy(net, x, y);
        var losses = Cnn.Train(net, x, y, batchSize: 10, lr: 0.001, epochs: 4);
        Assert.Equal(24, losses.Count);
        Assert.True(losses.TakeLast(6).Average() < losses.Take(6).Average() / 2, $"losses {string.Join(", ", losses)}");
        double after = Cnn.Accuracy(net, x, y);
        Assert.True(after > 0.9 && after > before, $"accuracy {before} → {after}; losses {string.Join(", ", losses)}");
        Assert.True(net.Training);   // Accuracy evaluates in eval mode and restores the mode it found
    }

    /// <summary>Image k is noise with a bright horizontal band at rows 2c..2c+4 for its class c = k mod 10.</summary>
    internal static (Tensor X, Tensor Y) Bands(int n)
    {
        var x = 0.2 * Tensor.Rand(n, 1, 28, 28);
        var labels = new long[n];
        for (int k = 0; k < n; k++)
        {
            labels[k] = k % 10;
            x[k, 0, (int)(2 * labels[k])..(int)(2 * labels[k] + 5)] = Tensor.Ones(5, 28);
        }
        return (x, Tensor.FromArray(labels));
    }

    [Fact]
    public void LoadReadsTheIdxFilesAsOneChannelImages()
    {
        using var data = new TinyFashionMnist(train: 12, test: 7);
        var (x, y, tx, ty) = Cnn.Load(data.Dir, limit: 5, testCount: 4);
        Assert.Equal([5, 1, 28, 28], x.Shape);
        Assert.Equal([4, 1, 28, 28], tx.Shape);
        Assert.Equal([0L, 1, 2, 3, 4], y.ToArray<long>());
        Assert.Equal([0L, 1, 2, 3], ty.ToArray<long>());
        Assert.Equal(3 / 255f, x[3, 0, 27, 27].Item<float>());
        // Without a limit: every training image, and the first 2000 test images (here all 7).
        var (all, _, allTest, _) = Cnn.Load(data.Dir);
        Assert.Equal(12, all.Size(0));
        Assert.Equal(7, allTest.Size(0));
    }

    [Fact]
    public void LoadNamesTheMissingFileAndTheWayToGetIt()
    {
        var empty = Directory.CreateTempSubdirectory("descent-tutorial-empty-").FullName;
        try
        {
            var e = Assert.Throws<FileNotFoundException>(() => Cnn.Load(empty));
            Assert.Contains("'train-images-idx3-ubyte' not found in " + empty, e.Message);
            Assert.Contains("--data DIR", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void AccuracyIsTheShareOfHighestScoresOnTheLabel()
    {
        var scores = Tensor.FromArray(new float[] { 5, 1, 0, 0, 2, 1, 0, 9, 3, 0, 0, 1 }, 4, 3);
        var labels = Tensor.FromArray(new long[] { 0, 2, 1, 0 });
        var identity = new Identity();
        identity.Eval();
        Assert.Equal(0.5, Cnn.Accuracy(identity, scores, labels));   // rows 0 and 2 are right
        Assert.False(identity.Training);
    }
}
