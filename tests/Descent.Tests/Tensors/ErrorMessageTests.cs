using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Tensors;

/// <summary>
/// Shape errors: PyTorch 1.13's exact text where that text names both shapes; where it does not (bmm, batched
/// matmul, broadcasting), PyTorch's text followed by both shapes in <c>[a, b]</c> form.
/// </summary>
public class ErrorMessageTests
{
    private static Tensor Z(params int[] shape) => Tensor.Zeros(shape);

    private static void Throws<TException>(string message, Action action) where TException : Exception
    {
        var e = Assert.Throws<TException>(action);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void MmMismatch() =>
        Throws<ArgumentException>("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", () => Z(2, 3).Mm(Z(4, 5)));

    [Fact]
    public void MatmulMatrixMatrixMismatch() =>
        Throws<ArgumentException>("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", () => Z(2, 3).Matmul(Z(4, 5)));

    [Fact]
    public void MatmulVectorMatrixMismatch() =>
        Throws<ArgumentException>("mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)", () => Z(3).Matmul(Z(4, 5)));

    [Fact]
    public void MatmulMatrixVectorMismatch() =>
        Throws<ArgumentException>("size mismatch, got 2, 2x3,4", () => Z(2, 3).Matmul(Z(4)));

    [Fact]
    public void MatmulDotMismatch() =>
        Throws<ArgumentException>(
            "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively",
            () => Z(3).Matmul(Z(4)));

    [Fact]
    public void MatmulBatchedMismatchNamesBothShapes() =>
        Throws<ArgumentException>(
            "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4]. Shapes [2, 2, 3] and [2, 4, 5] cannot be multiplied.",
            () => Z(2, 2, 3).Matmul(Z(2, 4, 5)));

    [Fact]
    public void MatmulBatchedWithMatrixMismatchNamesBothShapes() =>
        Throws<ArgumentException>(
            "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4]. Shapes [2, 2, 3] and [4, 5] cannot be multiplied.",
            () => Z(2, 2, 3).Matmul(Z(4, 5)));

    [Fact]
    public void MatmulBatchDimsThatDoNotBroadcast() =>
        Throws<ArgumentException>(
            "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0; shapes [2] and [3] cannot be broadcast together; " +
            "matmul of shapes [2, 2, 3] and [3, 3, 5]",
            () => Z(2, 2, 3).Matmul(Z(3, 3, 5)));

    [Fact]
    public void MatmulOfAScalar() =>
        Throws<ArgumentException>("both arguments to matmul need to be at least 1D, but they are 0D and 1D", () => Z().Matmul(Z(3)));

    [Fact]
    public void BmmMismatchNamesBothShapes()
    {
        Throws<ArgumentException>(
            "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4]. Shapes [2, 2, 3] and [2, 4, 5] cannot be multiplied.",
            () => Z(2, 2, 3).Bmm(Z(2, 4, 5)));
        Throws<ArgumentException>(
            "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [3, 3]. Shapes [2, 2, 3] and [3, 3, 5] cannot be multiplied.",
            () => Z(2, 2, 3).Bmm(Z(3, 3, 5)));
        Throws<ArgumentException>("batch1 must be a 3D tensor", () => Z(3, 3).Bmm(Z(3, 3, 3)));
        Throws<ArgumentException>("batch2 must be a 3D tensor", () => Z(3, 3, 3).Bmm(Z(3, 3)));
    }

    [Fact]
    public void AddmmErrors()
    {
        Throws<ArgumentException>("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x4)", () => Tensor.Addmm(Z(2, 4), Z(2, 3), Z(2, 4)));
        Throws<ArgumentException>("mat1 must be a matrix, got 1-D tensor", () => Tensor.Addmm(Z(2, 4), Z(3), Z(3, 4)));
        Throws<ArgumentException>("mat2 must be a matrix, got 1-D tensor", () => Tensor.Addmm(Z(2, 4), Z(2, 3), Z(3)));
        Throws<ArgumentException>(
            "The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 0.  Target sizes: [2, 4].  Tensor sizes: [3, 4]",
            () => Tensor.Addmm(Z(3, 4), Z(2, 3), Z(3, 4)));
    }

    [Fact]
    public void FailedBroadcastNamesBothShapes()
    {
        Throws<ArgumentException>(
            "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1; shapes [2, 3] and [2, 4] cannot be broadcast together",
            () => Z(2, 3).Add(Z(2, 4)));
        Throws<ArgumentException>(
            "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1; shapes [5, 2, 1] and [3, 4] cannot be broadcast together",
            () => Z(5, 2, 1).Mul(Z(3, 4)));
        Throws<ArgumentException>(
            "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0; shapes [3] and [2] cannot be broadcast together",
            () => Tensor.Where(Tensor.Ones([3], DType.Bool), Z(3), Z(2)));
    }

    [Fact]
    public void InPlaceOutputThatWouldGrow() =>
        Throws<ArgumentException>("output with shape [3] doesn't match the broadcast shape [2, 3]", () => Z(3).Add_(Z(2, 3)));

    [Fact]
    public void ViewOfANonContiguousTensor()
    {
        string text = "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.";
        Throws<InvalidOperationException>(text, () => Z(2, 3).T().View(6));
        Throws<InvalidOperationException>(text, () => Z(4, 4).Slice(1, 0, 2).View(8));
        // Views that keep each contiguous run intact are allowed, as in PyTorch.
        Assert.Equal([8, 4, 1], Z(4, 4).Slice(1, 0, 2).View(2, 2, 2).Strides);
        Assert.Equal([2, 1, 0], Z(4, 1).Expand(4, 3).View(2, 2, 3).Strides);
        Assert.Equal([6], Z(2, 3).T().Reshape(6).Shape);
    }

    [Fact]
    public void InvalidReshape()
    {
        Throws<ArgumentException>("shape '[4]' is invalid for input of size 6", () => Z(2, 3).Reshape(4));
        Throws<ArgumentException>("shape '[-1, 4]' is invalid for input of size 6", () => Z(2, 3).View(-1, 4));
        Throws<ArgumentException>("only one dimension can be inferred", () => Z(2, 3).View(3, -1, -1));
        Throws<ArgumentException>("invalid shape dimension -2", () => Z(2, 3).View(-2, 3));
    }

    [Fact]
    public void DimOutOfRange()
    {
        Throws<ArgumentOutOfRangeException>("Dimension out of range (expected to be in range of [-2, 1], but got 2)", () => Z(2, 3).Sum(2));
        Throws<ArgumentOutOfRangeException>("Dimension out of range (expected to be in range of [-2, 1], but got -3)", () => Z(2, 3).Sum(-3));
        Throws<ArgumentOutOfRangeException>("Dimension out of range (expected to be in range of [-1, 0], but got 1)", () => Z().Sum(1));
        Throws<ArgumentOutOfRangeException>("Dimension out of range (expected to be in range of [-3, 2], but got 3)", () => Z(2, 3).Unsqueeze(3));
        Throws<ArgumentOutOfRangeException>("Dimension out of range (expected to be in range of [-2, 1], but got 2)", () => Z(2, 3).Transpose(0, 2));
        Throws<ArgumentOutOfRangeException>("Dimension out of range (expected to be in range of [-2, 1], but got 5)", () => Z(2, 3).Squeeze(5));
        Throws<ArgumentOutOfRangeException>("Dimension out of range (expected to be in range of [-2, 1], but got 2)", () => Z(2, 3).Max(2));
        Throws<ArgumentException>("dim 0 appears multiple times in the list of dims", () => Z(2, 3).Sum([0, -2]));
    }

    [Fact]
    public void IndexingErrors()
    {
        Throws<IndexOutOfRangeException>("index 5 is out of bounds for dimension 0 with size 2", () => _ = Z(2, 3)[5]);
        Throws<ArgumentOutOfRangeException>("start (2) + length (2) exceeds dimension size (3).", () => Z(2, 3).Narrow(1, 2, 2));
        Throws<ArgumentException>(
            "Size does not match at dimension 1 expected index [2, 5] to be smaller than self [2, 3] apart from dimension 0",
            () => Z(2, 3).Gather(0, Tensor.Zeros([2, 5], DType.Int64)));
        Throws<IndexOutOfRangeException>("index 3 is out of bounds for dimension 1 with size 3",
            () => Z(2, 3).Gather(1, Tensor.Full([2, 1], 3, DType.Int64)));
        Throws<IndexOutOfRangeException>("index -1 is out of bounds for dimension 1 with size 3",
            () => Z(2, 3).Gather(1, Tensor.Full([2, 1], -1, DType.Int64)));
        Throws<ArgumentException>("gather(): Expected dtype int64 for index", () => Z(2, 3).Gather(1, Z(2, 1)));
        Throws<IndexOutOfRangeException>("INDICES element is out of DATA bounds, id=3 axis_dim=3",
            () => Z(2, 3).IndexSelect(1, Tensor.FromArray([3L])));
        Assert.Equal([2, 5], Z(2, 3).Gather(1, Tensor.Zeros([2, 5], DType.Int64)).Shape);
    }

    [Fact]
    public void ShapeOpErrors()
    {
        Throws<ArgumentException>(
            "The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [3, 3].  Tensor sizes: [2, 3]",
            () => Z(2, 3).Expand(3, 3));
        Throws<ArgumentException>(
            "expand(torch.DoubleTensor{[2, 3]}, size=[2]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)",
            () => Tensor.Zeros([2, 3], DType.Float64).Expand(2));
        Throws<ArgumentException>("permute(): duplicate dims are not allowed.", () => Z(2, 3).Permute(0, 0));
        Throws<ArgumentException>(
            "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.",
            () => Tensor.Cat([Z(2, 3), Z(2, 4)]));
        Throws<ArgumentException>("zero-dimensional tensor (at position 0) cannot be concatenated", () => Tensor.Cat([Z(), Z()]));
        Throws<ArgumentException>("stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry 1",
            () => Tensor.Stack([Z(2, 3), Z(2, 4)]));
        Throws<ArgumentException>("t() expects a tensor with <= 2 dimensions, but self is 3D", () => Z(3, 3, 3).T());
        Throws<ArgumentException>("flatten() has invalid args: start_dim cannot come after end_dim", () => Z(2, 3).Flatten(1, 0));
        Throws<ArgumentException>("torch.clamp: At least one of 'min' or 'max' must not be None", () => Z(2).Clamp());
        Throws<ArgumentException>("max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.",
            () => Z(0).Max());
    }
}
