using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Tensors;

/// <summary>Non-gradient behaviour that PyTorch users rely on: dtypes, integer reductions, indexing, aliasing.</summary>
public class TensorBehaviourTests
{
    [Fact]
    public void IntegerReductionsAreExact()
    {
        var big = Tensor.FromArray([(1L << 60) + 1, 1L << 60]);
        Assert.Equal((1L << 61) + 1, big.Sum().Item<long>());
        Assert.Equal((1L << 60) + 1, big.Max().Item<long>());
        Assert.Equal(0L, big.Argmax().Item<long>());
        Assert.Equal(DType.Int64, Tensor.FromArray([true, true, false]).Sum().DType);
        Assert.Equal(2L, Tensor.FromArray([true, true, false]).Sum().Item<long>());
    }

    [Fact]
    public void RangeIndexerClampsLikePython()
    {
        var x = Tensor.Arange(5);
        Assert.Equal([1L, 2L, 3L, 4L], x[1..10].ToArray<long>());
        Assert.Equal([3L, 4L], x[^2..].ToArray<long>());
        Assert.Equal([0L, 1L], x[^10..2].ToArray<long>());
        Assert.Empty(x[4..1].ToArray<long>());
    }

    [Fact]
    public void IntegerInputsToFloatOpsGiveFloat32()
    {
        var i = Tensor.Arange(3);
        Assert.Equal(DType.Float32, i.Exp().DType);
        Assert.Equal(DType.Float32, i.Mul(0.5).DType);
        Assert.Equal(DType.Float32, i.Div(i.Add(1.0)).DType);
        Assert.Equal([0f, 0.5f, 1f], i.Div(Tensor.FromArray([1L, 2L, 2L])).ToArray());
        Assert.Equal(DType.Int64, Tensor.Where(Tensor.FromArray([true, false, true]), i, Tensor.Zeros([3], DType.Int64)).DType);
    }

    [Fact]
    public void NanPredicates()
    {
        var x = Tensor.FromArray([1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity]);
        Assert.Equal([false, true, false, false], x.IsNan().ToArray<bool>());
        Assert.Equal([false, false, true, true], x.IsInf().ToArray<bool>());
        Assert.Equal([true, false, false, false], x.IsFinite().ToArray<bool>());
    }

    [Fact]
    public void ViewsShareStorageAndVersion()
    {
        var x = Tensor.Zeros(2, 3);
        var v = x.T().Slice(0, 1, 3);
        using (Torch.NoGrad()) v.Fill_(1.0);
        Assert.Equal([0f, 1f, 1f, 0f, 1f, 1f], x.ToArray());
        Assert.Equal(x.Storage.Version, v.Storage.Version);
        Assert.True(x.Storage.Version > 0);
    }

    [Fact]
    public void EmptyTensorsAreContiguousAndReduce()
    {
        var e = Tensor.Zeros(2, 0);
        Assert.True(e.IsContiguous);
        Assert.Equal([0f, 0f], e.Sum(1).ToArray());
        Assert.Equal([2, 3], e.Matmul(Tensor.Zeros(0, 3)).Shape);
        Assert.Equal([2, 0], e.Sigmoid().Shape);
    }

    [Fact]
    public void CopyBetweenOverlappingViews()
    {
        string text = "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.";
        var x = Tensor.Arange(0, 9).Reshape(3, 3);
        Assert.Equal(text, Assert.Throws<InvalidOperationException>(() => x.Copy_(x.T())).Message);
        var v = Tensor.Arange(0, 4);
        Assert.Equal(text, Assert.Throws<InvalidOperationException>(() => v[1..].Copy_(v[..3])).Message);
        // Strided views of one storage: copied as if from separate memory.
        var w = Tensor.Arange(0, 6);
        w.Slice(0, 0, 6, 2).Copy_(w.Slice(0, 1, 6, 2));
        Assert.Equal([1f, 1f, 3f, 3f, 5f, 5f], w.ToArray());
        // Copying a tensor onto itself is a no-op.
        x.Copy_(x);
        Assert.Equal(Tensor.Arange(0, 9).ToArray(), x.Reshape(9).ToArray());
    }

    [Fact]
    public void MoreErrorTexts()
    {
        var m = Assert.Throws<NotSupportedException>(() => Tensor.Arange(3).Mean());
        Assert.Equal("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long", m.Message);
        var w = Assert.Throws<ArgumentException>(() => Tensor.Where(Tensor.Arange(3), Tensor.Zeros(3), Tensor.Zeros(3)));
        Assert.Equal("where expected condition to be a boolean tensor, but got a tensor with dtype Long", w.Message);
        var s = Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).Slice(0, 0, 3, -1));
        Assert.Equal("step must be greater than zero", s.Message);
    }
}
