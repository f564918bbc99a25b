using Descent.Examples;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Examples;

/// <summary>
/// The RNN classification tutorial (examples/RnnClassification): the LSTM reads an image row by row, the data loads
/// as [N, 28, 28], and the training loop gives PyTorch's losses on a small random batch (Golden/tutorials_rnn.json,
/// tests/golden/gen_tutorials_rnn.py). Seed-dependent, so in the generator's collection.
/// </summary>
[Collection("GlobalGenerator")]
public class RnnClassificationExampleTests
{
    [Fact]
    public void NetScoresEachImageFromTheLastOf28Steps()
    {
        Torch.ManualSeed(0);
        var net = new RnnClassification.Net();
        Assert.Equal([2, 10], net.Forward(Tensor.Rand(2, 28, 28)).Shape);
        Assert.Equal([2, 10], net.Forward(Tensor.Rand(2, 1, 28, 28)).Shape);   // a channel dimension is viewed away
        var names = net.NamedParameters().Select(p => p.Name);
        Assert.Equal(["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "out.weight", "out.bias"], names);
    }

    [Fact]
    public void TrainingMatchesPyTorchOnASmallRandomBatch()
    {
        var golden = GoldenJson.Load("tutorials_rnn.json").GetProperty("classification");
        Torch.ManualSeed(0);
        var x = Tensor.Rand(32, 28, 28);
        var y = Tensor.Randint(0, 10, [32]);
        var net = new RnnClassification.Net();
        var losses = RnnClassification.Train(net, x, y, batchSize: 8, lr: 0.01, epochs: 2);
        // Same initial weights, same shuffled batches, same Adam; float32 sums in another order are all that differ
        // (measured: 1.1e-7 relative at worst over the 8 losses).
        GoldenJson.AssertClose(GoldenJson.Numbers(golden.GetProperty("losses")), [.. losses], tol: 1e-5, what: "loss");
        using (Torch.NoGrad())
            GoldenJson.AssertClose(golden.GetProperty("scores"), net.Forward(x[..4]), tol: 1e-5, what: "scores");
    }

    [Fact]
    public void LossFallsAndAccuracyRisesOnALearnableTask()
    {
        Torch.ManualSeed(0);
        var (x, y) = CnnExampleTests.Bands(40);
        x = x.Squeeze(1).Transpose(1, 2).Contiguous();   // [40, 28, 28]: the band becomes columns, seen in every row (time step)
        var net = new RnnClassification.Net();
        double before = RnnClassification.Accuracy(net, x, y);
        var losses = RnnClassification.Train(net, x, y, batchSize: 10, lr: 0.01, epochs: 3);
        Assert.Equal(12, losses.Count);
        Assert.True(losses.TakeLast(4).Average() < losses.Take(4).Average() / 2, $"losses {string.Join(", ", losses)}");
        double after = RnnClassification.Accuracy(net, x, y);
        Assert.True(after > 0.9 && after > before, $"accuracy {before} → {after}; losses {string.Join(", ", losses)}");
    }

    [Fact]
    public void LoadReadsTheIdxFilesAsRowSequences()
    {
        using var data = new TinyFashionMnist(train: 9, test: 3);
        var (x, y, tx, ty) = RnnClassification.Load(data.Dir, limit: 4);
        Assert.Equal([4, 28, 28], x.Shape);
        Assert.Equal([3, 28, 28], tx.Shape);
        Assert.Equal([0L, 1, 2, 3], y.ToArray<long>());
        Assert.Equal([0L, 1, 2], ty.ToArray<long>());
        Assert.Equal(2 / 255f, tx[2, 13, 0].Item<float>());
        var e = Assert.Throws<FileNotFoundException>(() => RnnClassification.Load(Path.Combine(data.Dir, "absent")));
        Assert.Contains("'train-images-idx3-ubyte' not found", e.Message);
    }
}
