using System.Text.Json;
using Descent.Cli.Experiments;
using Xunit;

namespace Descent.Tests.Cli;

/// <summary><c>descent train fashion-mnist</c> on a tiny synthetic IDX set (the real files are a benchmark's input).</summary>
[Collection("Console")]
public class TrainVerbTests
{
    /// <summary>Writes train/test IDX files in which label k lights pixels 78k..78k+77, so the task is learnable.</summary>
    private static string TinyFashionMnist(int train, int test)
    {
        string dir = LabHarness.TempDir("train-verb");
        var rng = new Random(7);
        void Write(string name, int n)
        {
            var images = new List<byte> { 0, 0, 8, 3, 0, 0, (byte)(n >> 8), (byte)n, 0, 0, 0, 28, 0, 0, 0, 28 };
            var labels = new List<byte> { 0, 0, 8, 1, 0, 0, (byte)(n >> 8), (byte)n };
            for (int i = 0; i < n; i++)
            {
                int label = rng.Next(10);
                for (int p = 0; p < 784; p++) images.Add(p / 78 == label ? (byte)255 : (byte)rng.Next(40));
                labels.Add((byte)label);
            }
            File.WriteAllBytes(Path.Combine(dir, $"{name}-images-idx3-ubyte"), images.ToArray());
            File.WriteAllBytes(Path.Combine(dir, $"{name}-labels-idx1-ubyte"), labels.ToArray());
        }
        Write("train", train);
        Write("t10k", test);
        return dir;
    }

    [Fact]
    public void TrainsAndReportsEpochsAsJson()
    {
        var dir = TinyFashionMnist(1024, 200);
        var (code, stdout, err) = LabHarness.Run("train", "fashion-mnist", "--data", dir, "--epochs", "4", "--threads", "1", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        var epochs = doc.RootElement.GetProperty("epochs").EnumerateArray().ToArray();
        Assert.Equal(4, epochs.Length);
        Assert.All(epochs, e => Assert.True(e.GetProperty("seconds").GetDouble() > 0));
        // Each label lights its own tenth of the pixels, so a few epochs learn it.
        Assert.True(epochs[^1].GetProperty("test_accuracy").GetDouble() > 0.8, stdout);
        Assert.True(epochs[^1].GetProperty("mean_loss").GetDouble() < epochs[0].GetProperty("mean_loss").GetDouble());
        Assert.True(doc.RootElement.GetProperty("peak_memory_mb").GetDouble() > 0);
    }

    [Fact]
    public void SeedPicksTheRunAndIsReported()
    {
        var dir = TinyFashionMnist(256, 50);
        double Loss(string seed)
        {
            var (code, stdout, err) = LabHarness.Run("train", "fashion-mnist", "--data", dir, "--threads", "1", "--seed", seed, "--json");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
            Assert.Equal(int.Parse(seed, System.Globalization.CultureInfo.InvariantCulture), doc.RootElement.GetProperty("seed").GetInt32());
            return doc.RootElement.GetProperty("epochs")[0].GetProperty("mean_loss").GetDouble();
        }
        Assert.Equal(Loss("3"), Loss("3"));
        Assert.NotEqual(Loss("3"), Loss("4"));
    }

    [Fact]
    public void MissingDataSaysHowToGetItInOneLine()
    {
        var (code, _, err) = LabHarness.Run("train", "fashion-mnist", "--data", LabHarness.TempDir("empty"));
        Assert.NotEqual(0, code);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.Contains("apt-get install dataset-fashion-mnist", err);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("train", "mnist")]
    [InlineData("train", "fashion-mnist", "--epochs", "0")]
    [InlineData("train", "fashion-mnist", "--model", "resnet")]
    public void BadArgumentsFailInOneLine(params string[] args)
    {
        var (code, _, err) = LabHarness.Run(args);
        Assert.NotEqual(0, code);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("mlp", 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10)]
    [InlineData("cnn", 6 * 25 + 6 + 16 * 6 * 25 + 16 + 256 * 120 + 120 + 120 * 84 + 84 + 84 * 10 + 10)]
    [InlineData("lstm", 4 * 64 * (28 + 64 + 2) + 64 * 10 + 10)]
    public void TheNetworksAreTheBenchmarks(string model, int parameters)
    {
        Assert.Equal(parameters, FashionMnistModels.Create(model).Parameters().Sum(p => p.Numel));
    }

    [Theory]
    [InlineData("cnn")]
    [InlineData("lstm")]
    public void TrainsTheConvolutionalAndRecurrentNetworks(string model)
    {
        var dir = TinyFashionMnist(512, 100);
        var (code, stdout, err) = LabHarness.Run("train", "fashion-mnist", "--model", model, "--data", dir, "--epochs", "3", "--threads", "1", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        Assert.Equal(model, doc.RootElement.GetProperty("model").GetString());
        var epochs = doc.RootElement.GetProperty("epochs").EnumerateArray().ToArray();
        // Twelve Adam steps at 1e-3 are too few to learn the task, but each epoch's mean loss must fall.
        for (int e = 1; e < epochs.Length; e++)
            Assert.True(epochs[e].GetProperty("mean_loss").GetDouble() < epochs[e - 1].GetProperty("mean_loss").GetDouble(), stdout);
    }
}
