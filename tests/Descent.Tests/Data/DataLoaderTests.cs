using Descent.Data;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Data;

/// <summary>DataLoader batching, order and shuffling, and TensorDataset's checks.</summary>
[Collection("GlobalGenerator")]
public class DataLoaderTests
{
    private static TensorDataset Indexed(int n) =>
        new(Tensor.Arange(n), Tensor.Linspace(-1, 1, n).Unsqueeze(1));

    private static List<long> Epoch(DataLoader loader, List<int>? sizes = null)
    {
        var r = new List<long>();
        foreach (var batch in loader)
        {
            sizes?.Add(batch[0].Size(0));
            r.AddRange(batch[0].ToArray<long>());
        }
        return r;
    }

    [Fact]
    public void ShortLastBatchIsKept()
    {
        var loader = new DataLoader(Indexed(1000), batchSize: 32);
        Assert.Equal(32, loader.Count);
        var sizes = new List<int>();
        Epoch(loader, sizes);
        Assert.Equal(32, sizes.Count);
        Assert.All(sizes.Take(31), s => Assert.Equal(32, s));
        Assert.Equal(8, sizes[31]);
    }

    [Fact]
    public void DropLastDropsTheShortBatch()
    {
        var loader = new DataLoader(Indexed(1000), batchSize: 32, dropLast: true);
        Assert.Equal(31, loader.Count);
        var sizes = new List<int>();
        Epoch(loader, sizes);
        Assert.Equal(31, sizes.Count);
        Assert.All(sizes, s => Assert.Equal(32, s));
        Assert.Equal(2, new DataLoader(Indexed(10), batchSize: 5, dropLast: true).Count);
    }

    [Fact]
    public void WithoutShuffleBatchesFollowTheDataset()
    {
        var loader = new DataLoader(Indexed(100), batchSize: 7);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), Epoch(loader));
        var first = loader.First();
        Assert.Equal([7], first[0].Shape);
        Assert.Equal([7, 1], first[1].Shape);
        Assert.Equal(-1f, first[1].ToArray()[0]);
    }

    [Fact]
    public void ShuffleVisitsEverySampleOncePerEpochInANewOrder()
    {
        var loader = new DataLoader(Indexed(200), batchSize: 16, shuffle: true);
        var a = Epoch(loader);
        var b = Epoch(loader);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), a.Order());
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), b.Order());
        Assert.NotEqual(a, b);
        Assert.NotEqual(Enumerable.Range(0, 200).Select(i => (long)i), a);
    }

    [Fact]
    public void ShuffleWithAnExplicitGeneratorIsReproducible()
    {
        var a = new DataLoader(Indexed(50), batchSize: 8, shuffle: true, generator: new Generator().ManualSeed(5));
        var b = new DataLoader(Indexed(50), batchSize: 8, shuffle: true, generator: new Generator().ManualSeed(5));
        var a1 = Epoch(a);
        Assert.Equal(a1, Epoch(b));
        Assert.Equal(Epoch(a), Epoch(b));
        // The default generator is not used, so seeding it changes nothing.
        var c = new DataLoader(Indexed(50), batchSize: 8, shuffle: true, generator: new Generator().ManualSeed(5));
        Torch.ManualSeed(123);
        Assert.Equal(a1, Epoch(c));
    }

    [Fact]
    public void ShuffleFromTheDefaultGeneratorFollowsManualSeed()
    {
        var loader = new DataLoader(Indexed(50), batchSize: 8, shuffle: true);
        Torch.ManualSeed(3);
        var a = Epoch(loader);
        Torch.ManualSeed(3);
        Assert.Equal(a, Epoch(loader));
    }

    [Fact]
    public void BatchesOfOneDimensionalData()
    {
        var ds = new TensorDataset(Tensor.Linspace(1, 10, 10), Tensor.Linspace(10, 1, 10));
        var batches = new DataLoader(ds, batchSize: 8).ToList();
        Assert.Equal(2, batches.Count);
        Assert.Equal([8], batches[0][0].Shape);
        Assert.Equal([9f, 10f], batches[1][0].ToArray());
        Assert.Equal([2f, 1f], batches[1][1].ToArray());
    }

    [Fact]
    public void BadArgumentsFailWithPyTorchsMessages()
    {
        Assert.Equal("batch_size should be a positive integer value, but got batch_size=0",
            Assert.Throws<ArgumentException>(() => new DataLoader(Indexed(4), batchSize: 0)).Message);
        Assert.Equal("num_samples should be a positive integer value, but got num_samples=0",
            Assert.Throws<ArgumentException>(() => new DataLoader(new TensorDataset(Tensor.Zeros(0)), shuffle: true)).Message);
        Assert.Empty(new DataLoader(new TensorDataset(Tensor.Zeros(0))));
    }

    [Fact]
    public void ConflictingOptionsFailWithPyTorchsMessages()
    {
        var errors = GoldenJson.Load("data.json").GetProperty("errors");
        string Expected(string name) => errors.GetProperty(name).GetString()!;
        var ds = Indexed(4);
        var batches = new BatchSampler(new SequentialSampler(4), 2, false);
        Assert.Equal(Expected("sampler and shuffle"),
            Assert.Throws<ArgumentException>(() => new DataLoader(ds, sampler: new SequentialSampler(4), shuffle: true)).Message);
        Assert.Equal(Expected("batch_sampler and batch_size"),
            Assert.Throws<ArgumentException>(() => new DataLoader(ds, batchSampler: batches, batchSize: 2)).Message);
        Assert.Equal(Expected("batch_sampler and drop_last"),
            Assert.Throws<ArgumentException>(() => new DataLoader(ds, batchSampler: batches, dropLast: true)).Message);
        Assert.Equal(Expected("batch_sampler and batch_size"),
            Assert.Throws<ArgumentException>(() => new DataLoader(ds, batchSampler: batches, sampler: new SequentialSampler(4))).Message);
        Assert.Equal(Expected("negative num_workers"), Assert.Throws<ArgumentException>(() => new DataLoader(ds, numWorkers: -1)).Message);
        Assert.Equal(Expected("batch_size 0"), Assert.Throws<ArgumentException>(() => new DataLoader(ds, batchSize: 0)).Message);
        // Current PyTorch's texts (1.13 had prefetch_factor=2 as its default and no check for negatives).
        Assert.Equal("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.",
            Assert.Throws<ArgumentException>(() => new DataLoader(ds, prefetchFactor: 2)).Message);
        Assert.Equal("prefetch_factor option should be non-negative",
            Assert.Throws<ArgumentException>(() => new DataLoader(ds, numWorkers: 1, prefetchFactor: -1)).Message);
        Assert.Equal("prefetch_factor must be greater than 0",
            Assert.Throws<ArgumentException>(() => new DataLoader(ds, numWorkers: 1, prefetchFactor: 0)).Message);
    }

    [Fact]
    public void ASamplerOrBatchSamplerDecidesTheOrder()
    {
        var bySampler = new DataLoader(Indexed(6), batchSize: 4, sampler: new SubsetRandomSampler([5, 4, 3], new Generator(1)));
        Assert.Equal(1, bySampler.Count);
        Assert.Equal([3L, 4L, 5L], Epoch(bySampler).Order());
        var byBatches = new DataLoader(Indexed(6), batchSampler: new BatchSampler(new SequentialSampler(5), 2, dropLast: true));
        Assert.Equal(2, byBatches.Count);
        Assert.Null(byBatches.BatchSize);
        var sizes = new List<int>();
        Assert.Equal([0L, 1L, 2L, 3L], Epoch(byBatches, sizes));
        Assert.Equal([2, 2], sizes);
        // Any list is a dataset; the collate function decides the batch.
        var words = new DataLoader<string, string>(["a", "b", "c"], items => string.Concat(items), batchSize: 2);
        Assert.Equal(["ab", "c"], words.ToList());
    }

    [Fact]
    public void TensorDatasetChecksItsTensors()
    {
        Assert.Equal("Size mismatch between tensors",
            Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Zeros(3), Tensor.Zeros(4))).Message);
        Assert.Equal("Dimension specified as 0 but tensor has no dimensions",
            Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Scalar(1))).Message);
        Assert.Throws<ArgumentException>(() => new TensorDataset());
        var ds = new TensorDataset(Tensor.Arange(3), Tensor.Zeros(3, 2));
        Assert.Equal(3, ds.Count);
        var item = ds[1];
        Assert.Equal(1L, item[0].Item<long>());
        Assert.Equal([2], item[1].Shape);
    }

    private sealed class Squares : Dataset
    {
        public override int Count => 5;

        public override Tensor[] this[int index] => [Tensor.Scalar(index), Tensor.Full([2], index * index)];
    }

    [Fact]
    public void CustomDatasetsAreStackedLikeDefaultCollate()
    {
        var batches = new DataLoader(new Squares(), batchSize: 2).ToList();
        Assert.Equal(3, batches.Count);
        Assert.Equal([2], batches[0][0].Shape);
        Assert.Equal([2, 2], batches[1][1].Shape);
        Assert.Equal([4f, 4f, 9f, 9f], batches[1][1].ToArray());
        Assert.Equal([1, 2], batches[2][1].Shape);
    }
}

/// <summary>
/// Batch order against PyTorch's DataLoader after torch.manual_seed (Golden/seeded.json). Seed-dependent: these run
/// once <see cref="Generator"/> reproduces PyTorch's CPU generator.
/// </summary>
[Collection("GlobalGenerator")]
public class SeededDataLoaderTests
{
    private static System.Text.Json.JsonElement Golden => GoldenJson.Load("seeded.json").GetProperty("dataloader");

    [Fact]
    public void ComparisonLoaderOrderMatchesPyTorchForTwoEpochs()
    {
        Torch.ManualSeed(1);
        var x = Tensor.Linspace(-1, 1, 1000).Unsqueeze(1);
        var y = x.Pow(2) + 0.1 * Tensor.Normal(Tensor.Zeros(x.Shape));
        var loader = new DataLoader(new TensorDataset(Tensor.Arange(1000), x, y), batchSize: 32, shuffle: true);
        foreach (var epoch in Golden.GetProperty("comparison").EnumerateArray())
        {
            var batches = loader.ToList();
            Assert.Equal(epoch.GetArrayLength(), batches.Count);
            int i = 0;
            foreach (var expected in epoch.EnumerateArray())
                Assert.Equal(GoldenJson.Numbers(expected).Select(v => (long)v), batches[i++][0].ToArray<long>());
        }
    }

    [Fact]
    public void BatchingDemoMatchesPyTorch()
    {
        Torch.ManualSeed(1);
        var loader = new DataLoader(new TensorDataset(Tensor.Linspace(1, 10, 10), Tensor.Linspace(10, 1, 10)), batchSize: 5, shuffle: true);
        foreach (var epoch in Golden.GetProperty("batching_demo").EnumerateArray())
        {
            var batches = loader.ToList();
            Assert.Equal(epoch.GetArrayLength(), batches.Count);
            int i = 0;
            foreach (var pair in epoch.EnumerateArray())
            {
                Assert.Equal(GoldenJson.Numbers(pair[0]), batches[i][0].To(DType.Float64).ToArray<double>());
                Assert.Equal(GoldenJson.Numbers(pair[1]), batches[i][1].To(DType.Float64).ToArray<double>());
                i++;
            }
        }
    }

    [Theory]
    [InlineData("generator_5", 5, 10, false)]
    [InlineData("generator_7_drop_last", 7, 10, true)]
    [InlineData("generator_7_even", 7, 12, false)]
    public void ExplicitGeneratorOrderMatchesPyTorch(string name, long seed, int n, bool dropLast)
    {
        var loader = new DataLoader(new TensorDataset(Tensor.Arange(n)), batchSize: 4, shuffle: true, dropLast: dropLast,
            generator: new Generator().ManualSeed(seed));
        foreach (var epoch in Golden.GetProperty(name).EnumerateArray())
        {
            var batches = loader.ToList();
            Assert.Equal(epoch.GetArrayLength(), batches.Count);
            int i = 0;
            foreach (var expected in epoch.EnumerateArray())
                Assert.Equal(GoldenJson.Numbers(expected).Select(v => (long)v), batches[i++][0].ToArray<long>());
        }
    }
}
