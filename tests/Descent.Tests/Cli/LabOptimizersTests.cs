using System.IO.Compression;
using Descent.Cli.Experiments;
using Descent.Optim;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Cli;

/// <summary>The lab's optimizer names and --opt syntax, and the small IDX reader.</summary>
[Collection("Console")]
public class LabOptimizersTests
{
    private static Descent.Optim.Optimizer Make(string text) =>
        LabOptimizers.Parse(text).Create([Tensor.Zeros(2).RequiresGrad_()]);

    [Fact]
    public void KnowsTheLabNamesAndEveryOptimizerClass()
    {
        var names = LabOptimizers.All.Select(o => o.Name).ToList();
        Assert.Equal(["sgd", "momentum", "nesterov", "rmsprop", "adam"], names.Take(5));
        var classes = typeof(Descent.Optim.Optimizer).Assembly.GetExportedTypes()
            .Where(t => t.IsSubclassOf(typeof(Descent.Optim.Optimizer)) && !t.IsAbstract).Select(t => t.Name.ToLowerInvariant());
        foreach (var c in classes) Assert.Contains(c, names);
    }

    [Fact]
    public void ParsesPyTorchAndCamelCaseNamesTuplesAndBooleans()
    {
        var adam = Make("ADAM:lr=0.01,betas=0.9/0.99,weightDecay=0.1,amsgrad=true");
        Assert.IsType<Adam>(adam);
        Assert.Equal(0.01, adam.Defaults["lr"]);
        Assert.Equal((0.9, 0.99), adam.Defaults["betas"]);
        Assert.Equal(0.1, adam.Defaults["weight_decay"]);
        Assert.Equal(true, adam.Defaults["amsgrad"]);
        var rms = Make("rmsprop: lr = 0.02 , alpha=0.9, weight_decay=1e-4");
        Assert.Equal(0.9, rms.Defaults["alpha"]);
        Assert.Equal(1e-4, rms.Defaults["weight_decay"]);
    }

    [Fact]
    public void TuplesAndNoneFollowTheRegistrysDeclarations()
    {
        var adafactor = LabOptimizers.Parse("adafactor:eps=none/0.002").Create([Tensor.Zeros(2, 2).RequiresGrad_()]);
        Assert.Equal(((double?)null, 0.002), adafactor.Defaults["eps"]);
        var muon = LabOptimizers.Parse("muon:ns_coefficients=3/-4/2,ns_steps=3").Create([Tensor.Zeros(2, 2).RequiresGrad_()]);
        Assert.Equal((3.0, -4.0, 2.0), muon.Defaults["ns_coefficients"]);
        Assert.Equal(3, muon.Defaults["ns_steps"]);
        var lbfgs = Make("lbfgs:line_search_fn=strong_wolfe,max_eval=none");
        Assert.Equal("strong_wolfe", lbfgs.Defaults["line_search_fn"]);
        Assert.Equal(25, lbfgs.Defaults["max_eval"]);
        Assert.Equal(["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach", "differentiable", "fused"], LabOptimizers.OptionNames(LabOptimizers.Find("sgd")!.Info));
        Assert.Equal("lr=0.001, betas=0.9/0.999, eps=1e-8, weight_decay=0, amsgrad=false, maximize=false, decoupled_weight_decay=false, foreach=none, capturable=false, differentiable=false, fused=none",
            LabOptimizers.Defaults(LabOptimizers.Find("adam")!.Info));
        Assert.Equal("lr=1, max_iter=20, max_eval=none, tolerance_grad=1e-7, tolerance_change=1e-9, history_size=100, line_search_fn=none",
            LabOptimizers.Defaults(LabOptimizers.Find("lbfgs")!.Info));
    }

    [Fact]
    public void PresetsCanBeOverridden()
    {
        var momentum = Make("momentum");
        Assert.IsType<SGD>(momentum);
        Assert.Equal(0.9, momentum.Defaults["momentum"]);
        Assert.Equal(0.8, Make("momentum:momentum=0.8").Defaults["momentum"]);
        var nesterov = Make("nesterov:lr=0.1");
        Assert.Equal(true, nesterov.Defaults["nesterov"]);
        Assert.Equal(0.1, nesterov.Defaults["lr"]);
        // Without lr the class's own default applies, as in PyTorch.
        Assert.Equal(1e-3, Make("sgd").Defaults["lr"]);
    }

    [Fact]
    public void SettingsShowTheEffectiveLearningRateAndTheGivenOptions()
    {
        Assert.Equal("lr=0.01, betas=0.9/0.99", LabOptimizers.Parse("adam:lr=0.01,betas=0.9/0.99").Settings);
        Assert.Equal("lr=0.001, momentum=0.9", LabOptimizers.Parse("momentum").Settings);
        Assert.Equal("Momentum", LabOptimizers.Parse("momentum").Name);
    }

    [Theory]
    [InlineData("weightDecay", "weight_decay")]
    [InlineData("weight_decay", "weight_decay")]
    [InlineData("lr", "lr")]
    [InlineData("beta2Decay", "beta2_decay")]
    [InlineData("maxIter", "max_iter")]
    public void SnakeCase(string given, string expected) => Assert.Equal(expected, OptimizerRegistry.SnakeCase(given));

    [Fact]
    public void IdxFilesAreFoundPlainOrGzippedAndRead()
    {
        string dir = LabHarness.TempDir("idx");
        byte[] images = [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, .. Enumerable.Range(0, 12).Select(i => (byte)(i * 20))];
        File.WriteAllBytes(Path.Combine(dir, "train-images-idx3-ubyte"), images);
        using (var gz = new GZipStream(File.Create(Path.Combine(dir, "train-labels-idx1-ubyte.gz")), CompressionLevel.Fastest))
            gz.Write([0, 0, 8, 1, 0, 0, 0, 3, 7, 1, 9]);
        var pixels = Descent.Data.IdxReader.ReadImages(Descent.Data.IdxReader.Find(dir, "train-images-idx3-ubyte")!, normalize: false);
        Assert.Equal([3, 2, 2], pixels.Shape);
        Assert.Equal(images[16..].Select(b => (float)b).ToArray(), pixels.ToArray());
        var labels = Descent.Data.IdxReader.ReadLabels(Descent.Data.IdxReader.Find(dir, "train-labels-idx1-ubyte")!);
        Assert.Equal([7L, 1L, 9L], labels.ToArray<long>());
        Assert.Null(Descent.Data.IdxReader.Find(dir, "t10k-images-idx3-ubyte"));
        File.WriteAllBytes(Path.Combine(dir, "bad"), [1, 2, 3, 4]);
        Assert.Throws<InvalidDataException>(() => Descent.Data.IdxReader.Read(Path.Combine(dir, "bad")));
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    [InlineData("lstm")]
    public void FashionMnistComparisonRunsOnIdxFiles(string model)
    {
        // A tiny stand-in for the real files, so the test needs no dataset package.
        string dir = LabHarness.TempDir("fashion");
        var rng = new Random(3);
        void Write(string name, byte[] header, int items, int itemBytes, Func<int, byte> value)
        {
            var bytes = new List<byte>(header);
            for (int i = 0; i < items * itemBytes; i++) bytes.Add(value(i));
            File.WriteAllBytes(Path.Combine(dir, name), bytes.ToArray());
        }
        byte[] ImagesHeader(int n) => [0, 0, 8, 3, 0, 0, (byte)(n >> 8), (byte)n, 0, 0, 0, 28, 0, 0, 0, 28];
        byte[] LabelsHeader(int n) => [0, 0, 8, 1, 0, 0, (byte)(n >> 8), (byte)n];
        Write("train-images-idx3-ubyte", ImagesHeader(256), 256, 784, _ => (byte)rng.Next(256));
        Write("train-labels-idx1-ubyte", LabelsHeader(256), 256, 1, i => (byte)(i % 10));
        Write("t10k-images-idx3-ubyte", ImagesHeader(64), 64, 784, _ => (byte)rng.Next(256));
        Write("t10k-labels-idx1-ubyte", LabelsHeader(64), 64, 1, i => (byte)(i % 10));
        string outDir = LabHarness.TempDir("fashion-out");
        var (code, stdout, err) = LabHarness.Run("compare", "--dataset", "fashion-mnist", "--model", model, "--data", dir, "--limit", "128", "--out", outDir);
        Assert.True(code == 0, err);
        Assert.Contains("Test accuracy", stdout);
        Assert.Contains("the first 128 training images", stdout);
        Assert.Contains(model switch { "cnn" => "LeNet-5", "lstm" => "LSTM classifier", _ => "784-64-10" }, File.ReadAllText(Path.Combine(outDir, "report.html")));
        // 128 images in batches of 64, one epoch.
        Assert.Equal(2, LabHarness.CsvRows(Path.Combine(outDir, "losses.csv"), out _).Length);
    }
}
