using Descent.Autograd;

namespace Descent.Tensors;

// Floor division, remainder and bitwise ops, on any dtype PyTorch's kernels take, with its type promotion.
public sealed partial class Tensor
{
    /// <summary>
    /// Elementwise floor(this / other), like <c>torch.floor_divide</c> and Python's <c>//</c>: rounds toward −∞, and
    /// keeps the promoted dtype (integers stay integers). Integer division by zero throws
    /// <see cref="DivideByZeroException"/> ("ZeroDivisionError"), as PyTorch's CPU kernel raises.
    /// </summary>
    public Tensor FloorDivide(Tensor other)
    {
        var r = ElementBinary(this, other, ResultType(this, other), ElementOp.FloorDivide, "floor_divide");
        // PyTorch's gradient is zero (the result is piecewise constant).
        return Graph.Needs(this) ? Graph.Attach(r, new ZeroBackward("DivBackward1"), this) : r;
    }

    /// <summary>floor(this / number) with a C# double (a Python float).</summary>
    public Tensor FloorDivide(double other) => FloorDivide(Wrap(other));

    /// <summary>floor(this / number) with a C# integer (a Python int).</summary>
    public Tensor FloorDivide(long other) => FloorDivide(Wrap(other));

    /// <summary>floor(this / number) with a C# bool (a Python bool).</summary>
    public Tensor FloorDivide(bool other) => FloorDivide(Wrap(other));

    /// <summary>
    /// Python's modulo, like <c>torch.remainder</c> and <c>%</c>: the result has the divisor's sign. Integer division by
    /// zero throws <see cref="DivideByZeroException"/> ("ZeroDivisionError"). The gradient reaches this tensor only.
    /// </summary>
    public Tensor Remainder(Tensor other)
    {
        if (Graph.Needs(other))
            throw new NotSupportedException("remainder: the gradient with respect to the divisor is not implemented; detach() it");
        var r = ElementBinary(this, other, ResultType(this, other), ElementOp.Remainder, "remainder");
        return Graph.Needs(this) ? Graph.Attach(r, new ScaleBackward(1, "RemainderBackward0"), this) : r;
    }

    /// <summary>this mod number with a C# double (a Python float).</summary>
    public Tensor Remainder(double other) => Remainder(Wrap(other));

    /// <summary>this mod number with a C# integer (a Python int).</summary>
    public Tensor Remainder(long other) => Remainder(Wrap(other));

    /// <summary>this mod number with a C# bool (a Python bool).</summary>
    public Tensor Remainder(bool other) => Remainder(Wrap(other));

    /// <summary>Elementwise and of integer or bool tensors, like <c>torch.bitwise_and</c> and <c>&amp;</c>.</summary>
    public Tensor BitwiseAnd(Tensor other) => ElementBinary(this, other, ResultType(this, other), ElementOp.BitwiseAnd, "bitwise_and");

    /// <summary>Elementwise or of integer or bool tensors, like <c>torch.bitwise_or</c> and <c>|</c>.</summary>
    public Tensor BitwiseOr(Tensor other) => ElementBinary(this, other, ResultType(this, other), ElementOp.BitwiseOr, "bitwise_or");

    /// <summary>Elementwise exclusive or of integer or bool tensors, like <c>torch.bitwise_xor</c> and <c>^</c>.</summary>
    public Tensor BitwiseXor(Tensor other) => ElementBinary(this, other, ResultType(this, other), ElementOp.BitwiseXor, "bitwise_xor");

    /// <summary>Elementwise not of an integer or bool tensor, like <c>torch.bitwise_not</c> and <c>~</c>.</summary>
    public Tensor BitwiseNot()
    {
        if (DType.IsFloatingPoint()) throw new ArgumentException($"\"bitwise_not_cpu\" not implemented for '{DType.ScalarTypeName()}'");
        // ~x is x xor all-ones: -1 for integers, true for bools.
        return ElementBinary(this, DType == DType.Bool ? Wrap(true) : Full([], -1, DType), DType, ElementOp.BitwiseXor, "bitwise_not");
    }

    /// <summary>The out-of-place result written back into this tensor, refused as PyTorch refuses an unsafe cast.</summary>
    private Tensor AssignResult(Tensor result)
    {
        if (!CanCast(result.DType, DType))
            throw new ArgumentException($"result type {result.DType.ScalarTypeName()} can't be cast to the desired output type {DType.ScalarTypeName()}");
        var outShape = ShapeHelper.Broadcast(shape, result.shape);
        if (!ShapeHelper.SameShape(outShape, shape))
            throw new ArgumentException(
                $"output with shape {ShapeHelper.Format(shape)} doesn't match the broadcast shape {ShapeHelper.Format(outShape)}");
        CheckNoInternalOverlap();
        CopyFromUnchecked(result);
        BumpVersion();
        return this;
    }

    /// <summary>this = floor(this / other), like <c>floor_divide_</c>.</summary>
    public Tensor FloorDivide_(Tensor other) =>
        InPlaceNeedsGraph(other) ? RebaseHistory(x => x.FloorDivide(other)) : AssignResult(FloorDivide(other));

    /// <summary>this = this mod other, like <c>remainder_</c>.</summary>
    public Tensor Remainder_(Tensor other) =>
        InPlaceNeedsGraph(other) ? RebaseHistory(x => x.Remainder(other)) : AssignResult(Remainder(other));

    /// <summary><c>a % b</c>: Python's modulo (<c>torch.remainder</c>).</summary>
    public static Tensor operator %(Tensor a, Tensor b) => a.Remainder(b);
    /// <summary><c>a % b</c> with a C# integer.</summary>
    public static Tensor operator %(Tensor a, long b) => a.Remainder(b);
    /// <summary><c>a % b</c> with a C# double.</summary>
    public static Tensor operator %(Tensor a, double b) => a.Remainder(b);
    /// <summary><c>a &amp; b</c> (<c>torch.bitwise_and</c>).</summary>
    public static Tensor operator &(Tensor a, Tensor b) => a.BitwiseAnd(b);
    /// <summary><c>a | b</c> (<c>torch.bitwise_or</c>).</summary>
    public static Tensor operator |(Tensor a, Tensor b) => a.BitwiseOr(b);
    /// <summary><c>a ^ b</c> (<c>torch.bitwise_xor</c>).</summary>
    public static Tensor operator ^(Tensor a, Tensor b) => a.BitwiseXor(b);
    /// <summary><c>~a</c> (<c>torch.bitwise_not</c>); PyTorch's TypeError for a floating tensor becomes an <see cref="ArgumentException"/>.</summary>
    public static Tensor operator ~(Tensor a) =>
        a.DType.IsFloatingPoint() ? throw new ArgumentException("~ (operator.invert) is only implemented on integer and Boolean-type tensors") : a.BitwiseNot();
}
