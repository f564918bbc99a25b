using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Tensors;

/// <summary>
/// <see cref="Torch.SetDefaultDtype"/> and how factories pick their dtype, as PyTorch 1.13 does (values printed by it):
/// a C# double stands for a Python float, a C# integer for a Python int.
/// </summary>
public class DefaultDtypeTests
{
    [Fact]
    public void OnlyFloatingTypesCanBeTheDefault()
    {
        foreach (var d in new[] { DType.Int64, DType.Int32, DType.Bool })
            Assert.Equal("only floating-point types are supported as the default type",
                Assert.Throws<ArgumentException>(() => Torch.SetDefaultDtype(d)).Message);
        Assert.Equal(DType.Float32, Torch.GetDefaultDtype());
    }

    [Fact]
    public void FactoriesInferTheirDtypeAsTorchTensorDoes()
    {
        Assert.Equal(DType.Float32, Torch.Tensor(new[] { 2.0 }).DType);
        Assert.Equal(DType.Float32, Torch.Tensor(2.5).DType);
        Assert.Equal(DType.Int64, Torch.Tensor(new[] { 1, 2 }).DType);
        Assert.Equal(DType.Int64, Torch.Tensor(3).DType);
        Assert.Equal(DType.Int64, Torch.Tensor(new long[,] { { 1 }, { 2 } }).DType);
        Assert.Equal(DType.Float32, Torch.Tensor(new float[] { 1 }).DType);
        Assert.Equal(DType.Bool, Torch.Tensor(new[] { true }).DType);
        Assert.Equal(DType.Int32, Torch.Tensor(new[] { 1.7, -1.7 }, DType.Int32).DType);
        Assert.Equal([1, -1], Torch.Tensor(new[] { 1.7, -1.7 }, DType.Int32).ToArray<int>());
        Assert.Equal([2, 2], Torch.Tensor(new double[,] { { 1, 2 }, { 3, 4 } }).Shape);
        Assert.Equal(long.MaxValue, Torch.Tensor(long.MaxValue).Item<long>());
        Assert.Equal(DType.Float32, Tensor.Zeros(2).DType);
        Assert.Equal(DType.Int64, Tensor.Arange(0, 3).DType);   // torch.arange(0, 3): Python ints give int64
        Assert.Equal(DType.Float32, Tensor.Arange(0.0, 3).DType);
        Assert.Equal(DType.Int64, Tensor.Arange(3).DType);
    }

    [Fact]
    public void Int32TensorsPrintTheirDtype()
    {
        Assert.Equal("tensor([ 1, -2], dtype=torch.int32)", Tensor.FromArray(new[] { 1, -2 }).ToString());
        Assert.Equal("tensor([], dtype=torch.int32)", Tensor.FromArray(Array.Empty<int>()).ToString());
    }

    [Fact]
    public void TheDefaultDrivesFactoriesAndIntegerToFloatPromotion()
    {
        Torch.SetDefaultDtype(DType.Float64);
        try
        {
            Assert.Equal(DType.Float64, Torch.GetDefaultDtype());
            Assert.Equal(DType.Float64, Tensor.Zeros(2).DType);
            Assert.Equal(DType.Float64, Tensor.Ones(2).DType);
            Assert.Equal(DType.Float64, Tensor.Randn(2).DType);
            Assert.Equal(DType.Float64, Tensor.Full([2], 1.5).DType);
            Assert.Equal(DType.Float64, Tensor.Arange(0.0, 3).DType);
            Assert.Equal(DType.Float64, Tensor.Linspace(0, 1, 3).DType);
            Assert.Equal(DType.Float64, Torch.Tensor(new[] { 2.0 }).DType);
            Assert.Equal(DType.Float64, Tensor.Scalar(1).DType);
            var half = Torch.Tensor(new[] { 1, 2 }) / 2;
            Assert.Equal(DType.Float64, half.DType);
            Assert.Equal([0.5, 1.0], half.ToArray<double>());
            Assert.Equal(DType.Float64, Torch.Tensor(new[] { 1, 2 }).Sqrt().DType);
            // A float32 tensor stays float32 with a number or a 0-dim tensor: they do not outrank it.
            Assert.Equal(DType.Float32, (Tensor.Ones([2], DType.Float32) + 1.5).DType);
            Assert.Equal(DType.Float32, (Tensor.Ones([1], DType.Float32) + Torch.Tensor(1.5)).DType);
            Assert.Equal(3.5f, (Tensor.Full([1], 2, DType.Float32) + Torch.Tensor(1.5)).Item<float>());
            // Printing names the dtype unless it is the default (or int64 or bool).
            Assert.Equal("tensor([1.5000], dtype=torch.float32)", Tensor.Full([1], 1.5, DType.Float32).ToString());
            Assert.Equal("tensor([1.5000])", Tensor.Full([1], 1.5).ToString());
        }
        finally
        {
            Torch.SetDefaultDtype(DType.Float32);
        }
        Assert.Equal(DType.Float32, Tensor.Zeros(2).DType);
    }
}
