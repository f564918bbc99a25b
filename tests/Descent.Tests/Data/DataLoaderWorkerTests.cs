using System.Collections.Concurrent;
using System.Text.Json;
using Descent.Data;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Data;

/// <summary>
/// DataLoader with samplers and worker threads against PyTorch's DataLoader with worker processes (Golden/data.json):
/// batches, their contents where each worker's generator made them, and the default generator afterwards; then
/// prefetching, exceptions in workers and stopping them, which have no PyTorch numbers to compare.
/// </summary>
[Collection("GlobalGenerator")]
public class DataLoaderWorkerTests
{
    private static JsonElement Golden => GoldenJson.Load("data.json");

    /// <summary>gen_data.py's Noisy: item i is (i, i + rand(2)), so the values show which generator made them.</summary>
    private sealed class Noisy(int n) : Dataset<(Tensor, Tensor)>
    {
        public override int Count => n;

        public override (Tensor, Tensor) this[int index] => (Tensor.Scalar(index, DType.Int64), index + Tensor.Rand(2));
    }

    public static TheoryData<string> Cases()
    {
        var names = new TheoryData<string>();
        foreach (var c in Golden.GetProperty("loaders").EnumerateArray()) names.Add(c.GetProperty("name").GetString()!);
        return names;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BatchesMatchPyTorchs(string name)
    {
        var c = Golden.GetProperty("loaders").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        var o = c.GetProperty("options");
        int? Option(string key) => o.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
        bool Flag(string key) => o.TryGetProperty(key, out var v) && v.GetBoolean();
        Torch.ManualSeed(c.GetProperty("seed").GetInt64());
        var g = c.GetProperty("generator_seed") is { ValueKind: JsonValueKind.Number } gs ? new Generator(gs.GetInt64()) : null;
        Sampler<int>? sampler = name.Contains("sampler", StringComparison.Ordinal) && !name.Contains("batch_sampler", StringComparison.Ordinal)
            ? new WeightedRandomSampler([1, 1, 2, 2, 3, 3, 4, 4], 10)
            : null;
        Sampler<int[]>? batchSampler = name.Contains("batch_sampler", StringComparison.Ordinal)
            ? new BatchSampler(new SubsetRandomSampler([0, 2, 4, 6, 7], g), 2, dropLast: true)
            : null;
        var loader = new DataLoader<(Tensor, Tensor), (Tensor, Tensor)>(new Noisy(c.GetProperty("n").GetInt32()), Collate.Tuple,
            batchSize: Option("batch_size") ?? 1, shuffle: Flag("shuffle"), sampler: sampler, batchSampler: batchSampler,
            numWorkers: Option("num_workers") ?? 0, dropLast: Flag("drop_last"), generator: g, prefetchFactor: Option("prefetch_factor"));
        Assert.Equal(c.GetProperty("len").GetInt32(), loader.Count);
        foreach (var epoch in c.GetProperty("epochs").EnumerateArray())
        {
            var batches = loader.ToList();
            Assert.Equal(epoch.GetArrayLength(), batches.Count);
            int i = 0;
            foreach (var expected in epoch.EnumerateArray())
            {
                var (index, noise) = batches[i++];
                Assert.Equal(GoldenJson.Numbers(expected.GetProperty("index")).Select(v => (long)v), index.ToArray<long>());
                Assert.Equal(GoldenJson.Numbers(expected.GetProperty("noise")).Select(v => (float)v), noise.ToArray());
            }
        }
        Assert.Equal(GoldenJson.Numbers(c.GetProperty("after")).Select(v => (float)v), Tensor.Rand(2).ToArray());
    }

    [Fact]
    public void WorkersChangeNeitherTheBatchesNorTheDefaultGenerator()
    {
        List<long[]>? first = null;
        float[]? after = null;
        foreach (int workers in new[] { 0, 1, 2, 3 })
        {
            Torch.ManualSeed(7);
            var loader = new DataLoader(new TensorDataset(Tensor.Arange(23)), batchSize: 4, shuffle: true, numWorkers: workers);
            var batches = loader.Select(b => b[0].ToArray<long>()).ToList();
            var next = Tensor.Rand(2).ToArray();
            first ??= batches;
            after ??= next;
            Assert.Equal(first, batches);
            Assert.Equal(after, next);
        }
        Assert.Equal(Enumerable.Range(0, 23).Select(i => (long)i), first!.SelectMany(b => b).Order());
    }

    /// <summary>Batches of <c>size</c> consecutive indices, counting how many have been drawn.</summary>
    private sealed class CountingBatches(int batches, int size) : Sampler<int[]>
    {
        public int Drawn { get; private set; }

        public override int Count => batches;

        public override IEnumerator<int[]> GetEnumerator()
        {
            for (int b = 0; b < batches; b++)
            {
                Drawn++;
                yield return [.. Enumerable.Range(b * size, size)];
            }
        }
    }

    [Fact]
    public void WorkersPrefetchAsPyTorchsDo()
    {
        var sampler = new CountingBatches(20, 2);
        var loader = new DataLoader(new TensorDataset(Tensor.Arange(40)), batchSampler: sampler, numWorkers: 3, prefetchFactor: 2);
        Assert.Equal(2, loader.PrefetchFactor);
        Assert.Null(loader.BatchSize);
        using (var e = loader.GetEnumerator())
        {
            Assert.Equal(6, sampler.Drawn); // prefetch_factor × num_workers, drawn as the epoch starts
            Assert.True(e.MoveNext());
            Assert.Equal([0L, 1L], e.Current[0].ToArray<long>());
            Assert.Equal(7, sampler.Drawn); // one more for each batch taken
            Assert.True(e.MoveNext());
            Assert.Equal(8, sampler.Drawn);
        }
        Assert.Equal(20, loader.ToList().Count);
        Assert.Equal(2, new DataLoader(new TensorDataset(Tensor.Arange(4)), numWorkers: 1).PrefetchFactor);
        Assert.Null(new DataLoader(new TensorDataset(Tensor.Arange(4))).PrefetchFactor);
        var serial = new CountingBatches(3, 1);
        using var s = new DataLoader(new TensorDataset(Tensor.Arange(3)), batchSampler: serial).GetEnumerator();
        Assert.Equal(0, serial.Drawn); // without workers nothing is drawn before it is asked for
        s.MoveNext();
        Assert.Equal(1, serial.Drawn);
    }

    /// <summary>Items are their index; <c>bad</c> throws <c>error</c>; every thread that fetches is recorded.</summary>
    private sealed class Recording(int n, int bad = -1, Exception? error = null) : Dataset<Tensor>
    {
        public ConcurrentBag<Thread> Threads { get; } = [];

        public override int Count => n;

        public override Tensor this[int index]
        {
            get
            {
                Threads.Add(Thread.CurrentThread);
                return index == bad ? throw error! : Tensor.Scalar(index, DType.Int64);
            }
        }
    }

    [Fact]
    public void AWorkersExceptionReachesTheConsumerAtItsBatch()
    {
        var error = new InvalidOperationException("item 5 is corrupt");
        var dataset = new Recording(12, bad: 5, error);
        var loader = new DataLoader<Tensor, Tensor>(dataset, Collate.Stack, batchSize: 2, numWorkers: 2);
        var seen = new List<long>();
        var thrown = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var batch in loader) seen.AddRange(batch.ToArray<long>());
        });
        Assert.Same(error, thrown);
        Assert.Equal([0L, 1L, 2L, 3L], seen);
        Assert.Contains(nameof(Recording), thrown.StackTrace, StringComparison.Ordinal); // the worker's frames are kept
        Assert.All(dataset.Threads, t => Assert.False(t.IsAlive));
    }

    [Fact]
    public void LeavingEarlyStopsTheWorkers()
    {
        var dataset = new Recording(200);
        var loader = new DataLoader<Tensor, Tensor>(dataset, Collate.Stack, batchSize: 5, numWorkers: 3);
        foreach (var batch in loader)
        {
            Assert.Equal([0L, 1L, 2L, 3L, 4L], batch.ToArray<long>());
            break;
        }
        Assert.NotEmpty(dataset.Threads);
        Assert.DoesNotContain(Thread.CurrentThread, dataset.Threads);
        Assert.All(dataset.Threads, t => Assert.False(t.IsAlive));
        // At most the batches handed out: prefetch_factor × num_workers, and one more for the batch taken.
        Assert.InRange(dataset.Threads.Count, 5, (2 * 3 + 1) * 5);
    }

    [Fact]
    public void WorkersHaveTheirOwnDefaultGenerator()
    {
        var seen = new ConcurrentBag<Generator>();
        var loader = new DataLoader<int, Tensor>(Enumerable.Range(0, 8).ToArray(), items =>
        {
            seen.Add(Generator.Default);
            return Collate.Stack(items);
        }, batchSize: 2, numWorkers: 2);
        var process = Generator.Default;
        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L], loader.SelectMany(b => b.ToArray<long>()));
        Assert.Same(process, Generator.Default);
        Assert.Equal(2, seen.Distinct().Count());
        Assert.DoesNotContain(process, seen);
    }
}
