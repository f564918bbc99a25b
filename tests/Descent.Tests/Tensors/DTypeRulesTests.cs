using Descent.NN;
using Descent.Tensors;
using Xunit;
using F = Descent.NN.Functional;

namespace Descent.Tests.Tensors;

/// <summary>
/// Integer and bool tensors, and the ops PyTorch 1.13 refuses on mixed or unsupported dtypes, with its messages
/// (its RuntimeError and TypeError are <see cref="ArgumentException"/>s here, integer division by zero a
/// <see cref="DivideByZeroException"/>). Expected values were printed by PyTorch 1.13.
/// </summary>
public class DTypeRulesTests
{
    private static Tensor L(params long[] v) => Tensor.FromArray(v);
    private static Tensor F32(params float[] v) => Tensor.FromArray(v);
    private static Tensor F64(params double[] v) => Tensor.FromArray(v);

    private static string Refused(Func<object> f) => Assert.Throws<ArgumentException>(f).Message;

    [Fact]
    public void MatrixProductsRefuseMixedDtypesInPyTorchsWords()
    {
        var f32 = Tensor.Ones(2, 3);
        var f64 = Tensor.Ones([3, 2], DType.Float64);
        var i64 = Tensor.Ones([3, 2], DType.Int64);
        Assert.Equal("expected scalar type Float but found Double", Refused(() => f32.Mm(f64)));
        Assert.Equal("expected scalar type Float but found Long", Refused(() => f32.Mm(i64)));
        Assert.Equal("expected scalar type Double but found Float", Refused(() => f64.T().Mm(f32.T())));
        Assert.Equal("expected scalar type Float but found Double", Refused(() => f32.Matmul(f64)));
        Assert.Equal("self and mat2 must have the same dtype", Refused(() => Tensor.Addmm(Tensor.Ones([2], DType.Float64), f32, f32.T())));
        Assert.Equal("self and mat2 must have the same dtype", Refused(() => Tensor.Addmm(Tensor.Ones(2), f32, f64)));
        Assert.Equal("mat1 and mat2 must have the same dtype", Refused(() => Tensor.Addmm(Tensor.Ones(2), f64.T(), f32.T())));
        Assert.Equal("expected scalar type Double but found Float",
            Refused(() => Tensor.Ones([1, 2, 3], DType.Float64).Bmm(Tensor.Ones(1, 3, 2))));
        Assert.Equal("dot : expected both vectors to have same dtype, but found Float and Double",
            Refused(() => Tensor.Ones(3).Matmul(Tensor.Ones([3], DType.Float64))));
        Assert.Equal("expected scalar type Float but found Double", Refused(() => Tensor.Ones(2, 3).Matmul(Tensor.Ones([3], DType.Float64))));
        Assert.Equal("expected scalar type Float but found Double", Refused(() => Tensor.Ones(3).Matmul(Tensor.Ones([3, 2], DType.Float64))));
        Assert.Equal("expected scalar type Float but found Double", Refused(() => Tensor.Ones(2, 2, 3).Matmul(f64)));
        // A ≤2-D first operand against a batch is computed transposed, so PyTorch names the operands reversed.
        Assert.Equal("expected scalar type Double but found Float", Refused(() => f32.Matmul(Tensor.Ones([2, 3, 2], DType.Float64))));
    }

    [Fact]
    public void LinearRefusesAnInputOfAnotherDtype()
    {
        var w = Tensor.Ones(4, 3);
        Assert.Equal("expected scalar type Double but found Float", Refused(() => F.Linear(Tensor.Ones([2, 3], DType.Float64), w)));
        Assert.Equal("expected scalar type Long but found Float", Refused(() => F.Linear(Tensor.Ones([2, 3], DType.Int64), w)));
        Assert.Equal("mat1 and mat2 must have the same dtype", Refused(() => F.Linear(Tensor.Ones([2, 3], DType.Float64), w, Tensor.Ones(4))));
        Assert.Equal("self and mat2 must have the same dtype", Refused(() => F.Linear(Tensor.Ones(2, 3), w, Tensor.Ones([4], DType.Float64))));
        Assert.Equal("expected scalar type Double but found Float", Refused(() => F.Linear(Tensor.Ones([3], DType.Float64), w)));
        Assert.Equal("mat1 and mat2 must have the same dtype", Refused(() => F.Linear(Tensor.Ones([5, 2, 3], DType.Float64), w, Tensor.Ones(4))));
        var linear = new Linear(3, 4);
        Assert.Equal("mat1 and mat2 must have the same dtype", Refused(() => linear.Forward(Tensor.Ones([2, 3], DType.Int64))));
        Assert.Equal("mat1 and mat2 must have the same dtype", Refused(() => linear.Forward(Tensor.Ones([2, 3], DType.Float64))));
        Assert.Equal([2, 4], linear.Forward(Tensor.Ones(2, 3)).Shape);
    }

    [Fact]
    public void IntegerMatrixProductsAreExact()
    {
        var a = Tensor.From(new long[,] { { 1, -2 }, { 3, 4 } });
        var b = Tensor.From(new long[,] { { 5, 6 }, { -7, 8 } });
        var r = a.Matmul(b);
        Assert.Equal(DType.Int64, r.DType);
        Assert.Equal([19, -10, -13, 50], r.ToArray<long>());
        Assert.Equal(-9L, L(1, 2, 3).Matmul(L(-1, -1, -2)).Item<long>());
    }

    [Fact]
    public void LossesPromoteMixedOperandsAsPyTorchDoes()
    {
        var mse = F.MseLoss(F32(1, 2), F64(0, 0));
        Assert.Equal(DType.Float64, mse.DType);
        Assert.Equal(2.5, mse.Item());
        var mseLong = F.MseLoss(F32(1, 2), L(0, 0));
        Assert.Equal(DType.Float32, mseLong.DType);
        Assert.Equal(2.5, mseLong.Item());
        Assert.Equal(1.5, F.L1Loss(F32(1, 2), L(0, 0)).Item());
    }

    [Fact]
    public void IntegerDivisionByZeroRaisesZeroDivisionError()
    {
        var x = L(1, 2);
        Assert.Equal("ZeroDivisionError", Assert.Throws<DivideByZeroException>(() => x.FloorDivide(0)).Message);
        Assert.Equal("ZeroDivisionError", Assert.Throws<DivideByZeroException>(() => x % 0).Message);
        Assert.Equal("ZeroDivisionError", Assert.Throws<DivideByZeroException>(() => x.FloorDivide(L(1, 0))).Message);
        // Float division by zero follows IEEE: ±inf, nan for 0/0.
        Assert.Equal([float.PositiveInfinity, float.NegativeInfinity, float.NaN], F32(1, -1, 0).FloorDivide(0.0).ToArray());
        // Extremes wrap as two's complement does instead of trapping.
        Assert.Equal(long.MinValue, L(long.MinValue).FloorDivide(-1).Item<long>());
        Assert.Equal(0L, L(long.MinValue).Remainder(-1).Item<long>());
    }

    [Fact]
    public void BitwiseOpsOnIntegersAndBools()
    {
        Assert.Equal([8L, 3], (L(12, -5) & L(10, 3)).ToArray<long>());
        Assert.Equal([15L, -5], L(12, -5).BitwiseOr(Tensor.Wrap(3)).ToArray<long>());
        var xor = L(12, -5) ^ Tensor.FromArray(new[] { 10, 3 });
        Assert.Equal(DType.Int64, xor.DType);
        Assert.Equal([6L, -8], xor.ToArray<long>());
        var not = ~Tensor.FromArray(new[] { 0, -5 });
        Assert.Equal(DType.Int32, not.DType);
        Assert.Equal([-1, 4], not.ToArray<int>());
        var t = Tensor.FromArray(new[] { true, false });
        var u = Tensor.FromArray(new[] { true, true });
        Assert.Equal([false, true], (~t).ToArray<bool>());
        Assert.Equal([true, false], (t & u).ToArray<bool>());
        Assert.Equal([false, true], (t ^ u).ToArray<bool>());
        Assert.Equal([3L, 0], (t | L(2, 0)).ToArray<long>());
    }

    [Fact]
    public void BitwiseOpsRefuseFloats()
    {
        Assert.Equal("\"bitwise_and_cpu\" not implemented for 'Float'", Refused(() => F32(1, 2) & F32(1, 2)));
        Assert.Equal("\"bitwise_or_cpu\" not implemented for 'Double'", Refused(() => L(1) | F64(1)));
        Assert.Equal("\"bitwise_not_cpu\" not implemented for 'Float'", Refused(() => F32(1).BitwiseNot()));
        Assert.Equal("~ (operator.invert) is only implemented on integer and Boolean-type tensors", Refused(() => ~F32(1)));
    }

    [Fact]
    public void InPlaceOpsRefuseAResultTheTensorCannotHoldAndLeaveItUnchanged()
    {
        var x = L(1, 2);
        Assert.Equal("result type Float can't be cast to the desired output type Long", Refused(() => x.Add_(1.5)));
        Assert.Equal("result type Float can't be cast to the desired output type Long", Refused(() => x.Mul_(F32(1, 1))));
        Assert.Equal("result type Float can't be cast to the desired output type Long", Refused(() => x.Div_(2)));
        Assert.Equal("result type Long can't be cast to the desired output type Bool", Refused(() => Tensor.FromArray(new[] { true }).Add_(1)));
        Assert.Equal([1L, 2], x.ToArray<long>());
        Assert.Equal(0, x.Storage.Version);
        x.Add_(2);
        x.Mul_(L(3, -1));
        Assert.Equal([9L, -4], x.ToArray<long>());
        x.FloorDivide_(L(2, 3));
        Assert.Equal([4L, -2], x.ToArray<long>());
        x.Remainder_(L(3, 3));
        Assert.Equal([1L, 1], x.ToArray<long>());
        var f = F32(1, 2);
        f.Add_(L(1, 1));
        Assert.Equal([2f, 3f], f.ToArray());
    }

    [Fact]
    public void AlphaMustBeIntegralForIntegerTensors()
    {
        Assert.Equal("For integral input tensors, argument alpha must not be a floating point number.", Refused(() => L(5, -7).Add(L(5, -7), 2.5)));
        Assert.Equal([15L, -21], L(5, -7).Add(L(5, -7), 2).ToArray<long>());
    }

    [Fact]
    public void IntegerLiteralsKeepIntegerTensorsIntegral()
    {
        var x = L(7, -7);
        Assert.Equal(DType.Int64, (x + 1).DType);
        Assert.Equal(DType.Float32, (x + 1.0).DType);
        Assert.Equal([3L, -4], (x.FloorDivide(2)).ToArray<long>());
        Assert.Equal([1L, 1], (x % 2).ToArray<long>());
        Assert.Equal([-1L, -1], (x % -2).ToArray<long>());
        Assert.Equal([3.5f, -3.5f], (x / 2).ToArray());
        Assert.Equal(DType.Int32, (Tensor.FromArray(new[] { 1, 2 }) * 3).DType);
        Assert.Equal(DType.Float64, Torch.ResultType(x, F64(1)));
        Assert.Equal(DType.Int32, Torch.ResultType(Tensor.FromArray(new[] { 1 }), 5L));
        Assert.Equal(DType.Float32, Torch.ResultType(F32(1), Tensor.Scalar(1, DType.Float64)));
    }
}
