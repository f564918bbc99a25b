using System.Text.Json;
using Descent.Data;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Data;

/// <summary>
/// The samplers against PyTorch's (Golden/data.json, from tests/golden/gen_data.py): the indices of several epochs
/// after the same seeds, and then the default generator's next numbers, which show that as many were drawn from it.
/// </summary>
[Collection("GlobalGenerator")]
public class SamplerTests
{
    private static JsonElement Golden => GoldenJson.Load("data.json");

    public static TheoryData<string> Cases()
    {
        var names = new TheoryData<string>();
        foreach (var c in Golden.GetProperty("samplers").EnumerateArray()) names.Add(c.GetProperty("name").GetString()!);
        return names;
    }

    // The samplers gen_data.py makes, by case name; g is the case's generator, if it has one.
    private static object Make(string name, Generator? g) => name switch
    {
        "sequential" => new SequentialSampler(5),
        "random" => new RandomSampler(7),
        "random generator" => new RandomSampler(7, generator: g),
        "random num_samples above n" => new RandomSampler(4, numSamples: 10, generator: g),
        "random num_samples below n" => new RandomSampler(6, numSamples: 4),
        "random replacement" => new RandomSampler(9, replacement: true),
        "random replacement 70 samples" => new RandomSampler(100, replacement: true, numSamples: 70, generator: g),
        "random replacement 64 samples" => new RandomSampler(5, replacement: true, numSamples: 64),
        "subset random" => new SubsetRandomSampler([10, 3, 7, 22, 5]),
        "subset random generator" => new SubsetRandomSampler([4, 8, 15, 16, 23, 42], g),
        "weighted" => new WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.5], 12),
        "weighted generator" => new WeightedRandomSampler([1, 2, 3, 4], 7, generator: g),
        "weighted one sample" => new WeightedRandomSampler([1.0, 1.1, 0.9, 1.2, 0.8], 1),
        "weighted without replacement" => new WeightedRandomSampler([0.2, 0.5, 0.3, 1.0, 0.05, 2.0, 0.7], 5, replacement: false),
        "weighted all without replacement" => new WeightedRandomSampler([3.0, 1e-3, 0.5, 0.5, 7.0], 5, replacement: false, generator: g),
        "batch" => new BatchSampler(new RandomSampler(10, generator: g), 3, dropLast: false),
        "batch drop_last" => new BatchSampler(new RandomSampler(10, generator: g), 3, dropLast: true),
        "batch of weighted" => new BatchSampler(new WeightedRandomSampler([1.0, 0.5, 2.0], 8), 4, dropLast: false),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DrawsWhatPyTorchDraws(string name)
    {
        var c = Golden.GetProperty("samplers").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        Torch.ManualSeed(c.GetProperty("seed").GetInt64());
        var g = c.GetProperty("generator_seed") is { ValueKind: JsonValueKind.Number } gs ? new Generator(gs.GetInt64()) : null;
        var sampler = Make(name, g);
        foreach (var epoch in c.GetProperty("epochs").EnumerateArray())
        {
            var expected = epoch.ToString();
            var actual = sampler switch
            {
                Sampler<int> s => JsonSerializer.Serialize(s.ToList()),
                Sampler<int[]> b => JsonSerializer.Serialize(b.ToList()),
                _ => throw new InvalidOperationException(),
            };
            Assert.Equal(Compact(expected), actual);
        }
        Assert.Equal(c.GetProperty("len").GetInt32(), sampler is Sampler<int> si ? si.Count : ((Sampler<int[]>)sampler).Count);
        Assert.Equal(GoldenJson.Numbers(c.GetProperty("after")).Select(v => (float)v), Tensor.Rand(2).ToArray());
    }

    private static string Compact(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void RefusalsUsePyTorchsMessages()
    {
        var errors = Golden.GetProperty("errors");
        string Expected(string name) => errors.GetProperty(name).GetString()!;
        Assert.Equal(Expected("num_samples 0"), Assert.Throws<ArgumentException>(() => new RandomSampler(4, numSamples: 0)).Message);
        Assert.Equal(Expected("weighted num_samples 0"), Assert.Throws<ArgumentException>(() => new WeightedRandomSampler([1.0], 0)).Message);
        Assert.Equal(Expected("weighted too many without replacement"),
            Assert.Throws<ArgumentException>(() => new WeightedRandomSampler([1.0, 2.0], 3, replacement: false)).Message);
        Assert.Equal(Expected("weighted negative"), Assert.Throws<ArgumentException>(() => new WeightedRandomSampler([1.0, -2.0], 3)).Message);
        Assert.Equal(Expected("weighted nan"), Assert.Throws<ArgumentException>(() => new WeightedRandomSampler([1.0, double.NaN], 3)).Message);
        Assert.Equal(Expected("weighted inf"),
            Assert.Throws<ArgumentException>(() => new WeightedRandomSampler([1.0, double.PositiveInfinity], 3)).Message);
        Assert.Equal(Expected("weighted zero"), Assert.Throws<ArgumentException>(() => new WeightedRandomSampler([0.0, 0.0], 3)).Message);
        Assert.Equal(Expected("weighted negative without replacement"),
            Assert.Throws<ArgumentException>(() => new WeightedRandomSampler([1.0, -2.0], 1, replacement: false)).Message);
        Assert.Equal(Expected("weighted zero without replacement"),
            Assert.Throws<ArgumentException>(() => new WeightedRandomSampler([0.0, 0.0], 1, replacement: false)).Message);
        Assert.Equal(Expected("batch_size 0"), Assert.Throws<ArgumentException>(() => new BatchSampler(new SequentialSampler(4), 0, false)).Message);
    }

    [Fact]
    public void BatchSamplerCountsItsBatches()
    {
        Assert.Equal(4, new BatchSampler(new SequentialSampler(10), 3, dropLast: false).Count);
        Assert.Equal(3, new BatchSampler(new SequentialSampler(10), 3, dropLast: true).Count);
        Assert.Equal([[0, 1, 2], [3, 4]], new BatchSampler(new SequentialSampler(5), 3, dropLast: false).ToList());
        Assert.Empty(new BatchSampler(new SequentialSampler(2), 3, dropLast: true));
    }
}
