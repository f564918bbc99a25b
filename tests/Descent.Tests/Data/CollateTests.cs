using System.Text.Json;
using Descent.Data;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Data;

/// <summary>
/// Batches of tuples and dictionaries against PyTorch's default_collate (Golden/data.json): the same structure, each
/// field stacked or made a tensor of PyTorch's dtype.
/// </summary>
public class CollateTests
{
    private static JsonElement Golden => GoldenJson.Load("data.json").GetProperty("collate");

    private sealed class Tuples : Dataset<(Tensor, int, double, bool)>
    {
        public override int Count => 5;

        public override (Tensor, int, double, bool) this[int index] => (Tensor.Full([2], index * 0.5), index, index * 0.25, index % 2 == 0);
    }

    private sealed class Dicts : Dataset<Dictionary<string, object>>
    {
        public override int Count => 5;

        public override Dictionary<string, object> this[int index] => new()
        {
            ["x"] = Tensor.Arange(index, index + 3, 1, DType.Int64),
            ["y"] = index * 1.5,
            ["label"] = 7 - index,
        };
    }

    private static void AssertField(JsonElement expected, Tensor actual)
    {
        Assert.Equal("torch." + expected.GetProperty("dtype").GetString(), actual.DType.TorchName());
        Assert.Equal(GoldenJson.Ints(expected.GetProperty("shape")), actual.Shape);
        var data = expected.GetProperty("data");
        if (actual.DType == DType.Bool) Assert.Equal(data.EnumerateArray().Select(v => v.GetBoolean()), actual.ToArray<bool>());
        else Assert.Equal(GoldenJson.Numbers(data), actual.To(DType.Float64).ToArray<double>());
    }

    [Fact]
    public void TuplesBatchAsTuples()
    {
        var loader = new DataLoader<(Tensor, int, double, bool), (Tensor, Tensor, Tensor, Tensor)>(new Tuples(), Collate.Tuple, batchSize: 2);
        var batches = loader.ToList();
        Assert.Equal(Golden.GetProperty("tuples").GetArrayLength(), batches.Count);
        int i = 0;
        foreach (var expected in Golden.GetProperty("tuples").EnumerateArray())
        {
            var fields = expected.GetProperty("list");
            var (a, b, c, d) = batches[i++];
            AssertField(fields[0], a);
            AssertField(fields[1], b);
            AssertField(fields[2], c);
            AssertField(fields[3], d);
        }
    }

    [Fact]
    public void DictionariesBatchAsDictionaries()
    {
        var loader = new DataLoader<Dictionary<string, object>, Dictionary<string, Tensor>>(new Dicts(), Collate.Dict, batchSize: 3);
        var batches = loader.ToList();
        Assert.Equal(Golden.GetProperty("dicts").GetArrayLength(), batches.Count);
        int i = 0;
        foreach (var expected in Golden.GetProperty("dicts").EnumerateArray())
        {
            var batch = batches[i++];
            var fields = expected.GetProperty("dict").EnumerateObject().ToList();
            Assert.Equal(fields.Select(f => f.Name), batch.Keys);
            foreach (var f in fields) AssertField(f.Value, batch[f.Name]);
        }
    }

    [Fact]
    public void PairsAndSingleValuesCollate()
    {
        var (x, y) = Collate.Tuple(new[] { (Tensor.Zeros(2), 1L), (Tensor.Ones(2), 2L) });
        Assert.Equal([2, 2], x.Shape);
        Assert.Equal([1L, 2L], y.ToArray<long>());
        Assert.Equal(DType.Float32, Collate.Stack(new[] { 1f, 2f }).DType);
        Assert.Equal([0.5, 1.5], Collate.Stack(new object[] { 0.5, 1.5 }).ToArray<double>());
        Assert.Equal([3L, 4L], Collate.Stack(new object[] { 3, 4L }).ToArray<long>());
    }

    [Fact]
    public void WhatCannotBeBatchedIsRefused()
    {
        Assert.Equal("collate: a batch mixes Int32 and Double in one field",
            Assert.Throws<ArgumentException>(() => Collate.Stack(new object[] { 1, 2.5 })).Message);
        Assert.Equal("default_collate: batch must contain tensors, numbers, dicts or tuples; found String",
            Assert.Throws<ArgumentException>(() => Collate.Stack(new object[] { "a" })).Message);
        Assert.Equal("stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1",
            Assert.Throws<ArgumentException>(() => Collate.Stack(new[] { Tensor.Zeros(2), Tensor.Zeros(3) })).Message);
        var items = new Dictionary<string, double>[] { new() { ["x"] = 1, ["y"] = 2 }, new() { ["x"] = 3 } };
        Assert.Equal("'y'", Assert.Throws<KeyNotFoundException>(() => Collate.Dict(items)).Message);
    }
}
