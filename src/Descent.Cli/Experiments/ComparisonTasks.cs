using Descent.NN;
using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>The datasets <c>descent compare</c> can train on.</summary>
public static class ComparisonTasks
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the IDX files.</summary>
    public const string DefaultFashionMnistDir = FashionMnistTraining.DefaultDataDir;

    /// <summary>Training images used by default: a sixth of the set keeps a four-optimizer epoch to a few seconds.</summary>
    public const int DefaultFashionMnistLimit = 10_000;

    /// <summary>The dataset names accepted by <c>--dataset</c>.</summary>
    public static readonly string[] Names = ["quadratic", "clusters", "fashion-mnist"];

    /// <summary>The tutorial's regression: 1000 points of y = x² + 0.1·N(0, 1), a 1-20-1 ReLU network, MSE.</summary>
    public static ComparisonTask Quadratic { get; } = new()
    {
        Name = "quadratic",
        Description = "y = x² + 0.1·N(0,1), 1000 points on [-1, 1]; network 1-20-1 (ReLU); MSE loss",
        MakeData = () => Comparison.QuadraticData(),
        MakeModel = () => new TutorialNet(),
        Loss = (output, target) => Functional.MseLoss(output, target),
    };

    /// <summary>The tutorial's classification data: two Gaussian clusters (100 points each, σ = 1) at (2, 2) and (−2, −2), a 2-10-2 network, cross-entropy.</summary>
    public static ComparisonTask Clusters { get; } = new()
    {
        Name = "clusters",
        Description = "two Gaussian clusters of 100 points at (2, 2) and (−2, −2), σ = 1; network 2-10-2 (ReLU); cross-entropy loss",
        MakeData = () => ClusterData(),
        MakeModel = () => new TutorialNet(2, 10, 2),
        Loss = (logits, target) => Descent.NN.Functional.CrossEntropy(logits, target),
        Classification = true,
    };

    /// <summary>The two clusters: class 0 around (2, 2), class 1 around (−2, −2), drawn in the tutorial's order.</summary>
    public static (Tensor X, Tensor Y) ClusterData(int perClass = 100)
    {
        var ones = Tensor.Ones(perClass, 2);
        var x0 = Tensor.Normal(2 * ones, 1);
        var x1 = Tensor.Normal(-2 * ones, 1);
        var y = Tensor.Cat([Tensor.Zeros([perClass], DType.Int64), Tensor.Ones([perClass], DType.Int64)]);
        return (Tensor.Cat([x0, x1]), y);
    }

    /// <summary>
    /// Fashion-MNIST from <paramref name="directory"/>: the first <paramref name="trainLimit"/> training images
    /// (pixels scaled to [0, 1], flattened), cross-entropy; accuracy on the 10,000 test images. The network is
    /// <paramref name="model"/>: "mlp" (784-64-10), "cnn" (LeNet-5) or "lstm" (the rows of an image as a sequence),
    /// see <see cref="FashionMnistModels"/>. Throws <see cref="CliException"/> with the install hint when the files are missing.
    /// </summary>
    public static ComparisonTask FashionMnist(string directory, int trainLimit = DefaultFashionMnistLimit, string model = "mlp")
    {
        FashionMnistModels.Check(model); // an unknown name fails before the data is read
        string Require(string name) => Descent.Data.IdxReader.Find(directory, name) ?? throw new CliException(
            $"Fashion-MNIST not found in {directory} (need {name}[.gz]); install it with 'apt-get install dataset-fashion-mnist' or pass --data DIR");
        string trainImages = Require("train-images-idx3-ubyte"), trainLabels = Require("train-labels-idx1-ubyte");
        string testImages = Require("t10k-images-idx3-ubyte"), testLabels = Require("t10k-labels-idx1-ubyte");
        return new ComparisonTask
        {
            Name = "fashion-mnist",
            Description = $"Fashion-MNIST ({directory}): the first {Math.Min(trainLimit, 60_000):N0} training images, 28×28; "
                + $"network {(model == "mlp" ? "784-64-10 (ReLU)" : FashionMnistModels.Describe(model))}; cross-entropy loss; accuracy on the 10,000 test images",
            MakeData = () => LoadImages(trainImages, trainLabels, trainLimit),
            MakeTestData = () => LoadImages(testImages, testLabels, int.MaxValue),
            MakeModel = model == "mlp" ? () => new TutorialNet(784, 64, 10) : () => FashionMnistModels.Create(model),
            Loss = (logits, target) => Descent.NN.Functional.CrossEntropy(logits, target),
            Classification = true,
            DefaultEpochs = 1,
            DefaultBatchSize = 64,
        };
    }

    /// <summary>Resolves <c>--dataset</c>; unknown names are a command-line error.</summary>
    public static ComparisonTask ByName(string name, string dataDir, int? trainLimit, string? model = null)
    {
        var task = name.ToLowerInvariant() switch
        {
            "quadratic" => Quadratic,
            "clusters" => Clusters,
            "fashion-mnist" or "fashion_mnist" or "fashionmnist" => FashionMnist(dataDir, trainLimit ?? DefaultFashionMnistLimit, model ?? "mlp"),
            _ => throw new CliException($"--dataset: unknown dataset '{name}'; known: {string.Join(", ", Names)}"),
        };
        if (model is not null && task.MakeTestData is null) throw new CliException("--model applies to --dataset fashion-mnist only");
        return task;
    }

    private static (Tensor X, Tensor Y) LoadImages(string imagesPath, string labelsPath, int limit)
    {
        var data = Descent.Data.IdxReader.ReadDataset(imagesPath, labelsPath, numClasses: FashionMnistTraining.Classes);
        var (images, labels) = (data.Tensors[0], data.Tensors[1]);
        int n = Math.Min(limit, images.Size(0));
        return (images[..n].Reshape(n, -1).Contiguous(), labels[..n].Contiguous());
    }
}
