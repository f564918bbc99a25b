using System.Diagnostics;
using Descent.Data;
using Descent.NN;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>One epoch of the Fashion-MNIST run: wall time of the training loop and accuracy on the test set.</summary>
public sealed record EpochResult(int Epoch, double Seconds, double TestAccuracy, double MeanLoss);

/// <summary>
/// The Fashion-MNIST benchmark: one of <see cref="FashionMnistModels"/> (the MLP 784-256-128-10 by default, LeNet-5 or
/// an LSTM classifier), Adam(lr 1e-3), cross-entropy, batch 128, shuffled, <c>ManualSeed(seed)</c> (0 by default) —
/// the same program as bench/torch_fashion_mnist.py, so epochs can be compared side by side.
/// </summary>
public static class FashionMnistTraining
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the IDX files.</summary>
    public const string DefaultDataDir = "/usr/share/datasets/fashion-mnist";

    /// <summary>The four IDX files, found plain or gzipped in <paramref name="dir"/>; a clear error when absent.</summary>
    public static (string TrainImages, string TrainLabels, string TestImages, string TestLabels) Locate(string dir)
    {
        string Find(string name) => IdxReader.Find(dir, name) ?? throw new FileNotFoundException(
            $"Fashion-MNIST file '{name}' not found in {dir}: install it with 'apt-get install dataset-fashion-mnist' or pass --data DIR");
        return (Find("train-images-idx3-ubyte"), Find("train-labels-idx1-ubyte"), Find("t10k-images-idx3-ubyte"), Find("t10k-labels-idx1-ubyte"));
    }

    /// <summary>The number of Fashion-MNIST's classes: every label must be in [0, 10).</summary>
    public const int Classes = 10;

    /// <summary>Images as [N, 784] float32 in [0, 1] and labels as int64 [N], each checked to be one of the 10 classes.</summary>
    public static (Tensor X, Tensor Y) Load(string images, string labels)
    {
        var ds = IdxReader.ReadDataset(images, labels, numClasses: Classes);
        var x = ds.Tensors[0];
        return (x.Reshape(x.Size(0), -1), ds.Tensors[1]);
    }

    /// <summary>Trains <paramref name="model"/> for <paramref name="epochs"/> epochs, evaluating on the test set after each.</summary>
    public static List<EpochResult> Run(string dataDir, int epochs, Action<int, double>? progress = null, int? trainLimit = null, long seed = 0,
        string model = "mlp")
    {
        var files = Locate(dataDir);
        var (x, y) = Load(files.TrainImages, files.TrainLabels);
        if (trainLimit is int n && n < x.Size(0)) (x, y) = (x[..n].Contiguous(), y[..n].Contiguous());
        var (tx, ty) = Load(files.TestImages, files.TestLabels);
        Torch.ManualSeed(seed);
        var net = FashionMnistModels.Create(model);
        var opt = new Adam(net.Parameters(), lr: 1e-3);
        var lossFn = new CrossEntropyLoss();
        var loader = new DataLoader(new TensorDataset(x, y), batchSize: 128, shuffle: true);
        var results = new List<EpochResult>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            net.Train();
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            int batches = 0;
            foreach (var (bx, by) in loader)
            {
                var loss = lossFn.Forward(net.Forward(bx), by);
                opt.ZeroGrad();
                loss.Backward();
                opt.Step();
                lossSum += loss.Item();
                batches++;
                progress?.Invoke(epoch, (double)batches / loader.Count);
            }
            clock.Stop();
            results.Add(new EpochResult(epoch, clock.Elapsed.TotalSeconds, Accuracy(net, tx, ty), lossSum / Math.Max(batches, 1)));
        }
        return results;
    }

    /// <summary>Fraction of test images whose highest score is their label (evaluated in chunks, without a graph).</summary>
    public static double Accuracy(Module net, Tensor x, Tensor y)
    {
        net.Eval();
        int hits = 0, n = x.Size(0);
        using (Torch.NoGrad())
            for (int start = 0; start < n; start += 1000)
            {
                int len = Math.Min(1000, n - start);
                var predicted = net.Forward(x.Narrow(0, start, len)).Argmax(1).ToArray<long>();
                var expected = y.Narrow(0, start, len).ToArray<long>();
                for (int i = 0; i < len; i++) if (predicted[i] == expected[i]) hits++;
            }
        return n == 0 ? 0 : (double)hits / n;
    }
}
