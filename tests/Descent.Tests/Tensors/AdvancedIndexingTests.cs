using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Tensors;

/// <summary>Multi-dimensional, mask and integer-tensor indexing, read and written; expected values printed by PyTorch 1.13.</summary>
public class AdvancedIndexingTests
{
    private static Tensor X() => Tensor.Arange(0.0, 24).Reshape(2, 3, 4);

    [Fact]
    public void IntegersRangesEllipsisAndNewAxesGiveViews()
    {
        var x = X();
        Assert.Equal([20f, 21, 22, 23], x[1, 2].ToArray());
        Assert.Equal(23f, x[1, -1, -1].Item<float>());
        Assert.Equal(23f, x[1, ^1, ^1].Item<float>());
        Assert.Equal([2, 2, 4], x[.., 1..3].Shape);
        var e = x[TensorIndex.Ellipsis, 0];
        Assert.Equal([2, 3], e.Shape);
        Assert.Equal([0f, 4, 8, 12, 16, 20], e.ToArray());
        Assert.Equal([1f, 2, 5, 6, 9, 10], x[0, TensorIndex.Ellipsis, 1..3].ToArray());
        Assert.Equal([1, 3, 4], x[TensorIndex.NewAxis, 0].Shape);
        var n = x[1, TensorIndex.NewAxis, 1.., 2];
        Assert.Equal([1, 2], n.Shape);
        Assert.Equal([18f, 22], n.ToArray());
        // A view: writing through it changes x.
        x[1, 2].Fill_(-1);
        Assert.Equal(-1f, x[1, 2, 0].Item<float>());
    }

    [Fact]
    public void RefusalsUsePyTorchsIndexErrors()
    {
        var x = Tensor.Ones(2, 3);
        Assert.Equal("too many indices for tensor of dimension 2", Assert.Throws<IndexOutOfRangeException>(() => x[1, 1, 1]).Message);
        Assert.Equal("index 5 is out of bounds for dimension 0 with size 2", Assert.Throws<IndexOutOfRangeException>(() => x[5, 0]).Message);
        Assert.Equal("an index can only have a single ellipsis",
            Assert.Throws<IndexOutOfRangeException>(() => x[TensorIndex.Ellipsis, TensorIndex.Ellipsis]).Message);
        Assert.Equal("The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2, 3] at index 0",
            Assert.Throws<IndexOutOfRangeException>(() => x[Tensor.FromArray(new[] { true, false, true })]).Message);
        Assert.Equal("shape mismatch: value tensor of shape [2] cannot be broadcast to indexing result of shape [3]",
            Assert.Throws<ArgumentException>(() => x[Tensor.FromArray(new[] { true, false, true, false, false, true }).Reshape(2, 3)] = Tensor.Ones(2)).Message);
    }

    [Fact]
    public void MaskAndIntegerTensorsGather()
    {
        var x = X();
        var m = x[0] > 5;
        Assert.Equal([6f, 7, 8, 9, 10, 11], x[0][m].ToArray());
        var cols = x[.., m];
        Assert.Equal([2, 6], cols.Shape);
        Assert.Equal([6f, 7, 8, 9, 10, 11, 18, 19, 20, 21, 22, 23], cols.ToArray());
        Assert.Equal([3, 3, 4], x[Tensor.FromArray(new long[] { 1, 0, 1 })].Shape);
        Assert.Equal([2, 1, 2, 4], x[.., Tensor.From(new long[,] { { 2, 0 } })].Shape);
        Assert.Equal([8f, 9, 10, 11, 0, 1, 2, 3], x[0, Tensor.FromArray(new long[] { -1, 0 })].ToArray());
    }

    [Fact]
    public void AssignmentWritesThroughMasksIntegersAndRanges()
    {
        var y = Tensor.Zeros(2, 3);
        y[Tensor.From(new[,] { { true, false, true }, { false, false, true } })] = Tensor.FromArray(new[] { 1f, 2, 3 });
        Assert.Equal([1f, 0, 2, 0, 0, 3], y.ToArray());
        y[Tensor.FromArray(new[] { true, false })] = Tensor.FromArray(new[] { 7f, 8, 9 });
        Assert.Equal([7f, 8, 9, 0, 0, 3], y.ToArray());
        y[1, 1..] = Torch.Tensor(5.0);
        Assert.Equal([7f, 8, 9, 0, 5, 5], y.ToArray());
        y[.., Tensor.FromArray(new long[] { 0, 2 })] = Tensor.From(new[,] { { -1f, -2 } });
        Assert.Equal([-1f, 8, -2, -1, 5, -2], y.ToArray());
        // An integer tensor takes a mask assignment of a number, converted to its dtype.
        var k = Tensor.FromArray(new long[] { 1, -2, 3 });
        k[k < 0] = Torch.Tensor(0);
        Assert.Equal([1L, 0, 3], k.ToArray<long>());
    }

    [Fact]
    public void GradientsFlowThroughMaskAndIntegerIndexing()
    {
        var w = Tensor.FromArray(new[] { 1f, -2, 3, -4 }).RequiresGrad_();
        (w[w > 0] * Tensor.FromArray(new[] { 2f, 5 })).Sum().Backward();
        Assert.Equal([2f, 0, 5, 0], w.Grad!.ToArray());
        var w2 = Tensor.Arange(0.0, 6).Reshape(2, 3).Detach().RequiresGrad_();
        w2[.., Tensor.FromArray(new long[] { 2, 2, 0 })].Pow(2).Sum().Backward();
        Assert.Equal([0f, 0, 8, 6, 0, 20], w2.Grad!.ToArray());
    }
}
