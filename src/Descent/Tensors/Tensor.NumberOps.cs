namespace Descent.Tensors;

// Arithmetic with C# integers and bools, which stand for Python ints and bools in PyTorch's type promotion:
// long_tensor + 1 stays int64, long_tensor + 1.0 becomes the default dtype. A C# int literal picks the long
// overload (the better conversion), so x + 1 reads as Python's x + 1.
public sealed partial class Tensor
{
    // PyTorch's sub_check: subtraction refuses bool operands.
    private static void CheckSub(Tensor a, Tensor b)
    {
        if (a.DType == DType.Bool && b.DType == DType.Bool)
            throw new ArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.");
        if (a.DType == DType.Bool || b.DType == DType.Bool)
            throw new ArgumentException("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
    }

    // alpha · other for an integral result: alpha must be integral, as PyTorch's alpha_check demands.
    private static Tensor ScaledIntegral(Tensor other, double alpha, DType dtype)
    {
        if (alpha == 1) return other;
        if (alpha != Math.Floor(alpha) || !double.IsFinite(alpha))
            throw new ArgumentException("For integral input tensors, argument alpha must not be a floating point number.");
        return ElementBinary(other, Wrap((long)alpha), dtype, ElementOp.Mul, "mul");
    }

    /// <summary>this + scalar with a C# integer (a Python int): an integer tensor keeps its dtype.</summary>
    public Tensor Add(long scalar) => DType.IsFloatingPoint() ? Add((double)scalar) : Add(Wrap(scalar));
    /// <summary>this + scalar with a C# bool (a Python bool).</summary>
    public Tensor Add(bool scalar) => DType.IsFloatingPoint() ? Add(scalar ? 1.0 : 0.0) : Add(Wrap(scalar));
    /// <summary>this - scalar with a C# integer (a Python int).</summary>
    public Tensor Sub(long scalar) => DType.IsFloatingPoint() ? Sub((double)scalar) : Sub(Wrap(scalar));
    /// <summary>this - scalar with a C# bool (a Python bool): refused, as PyTorch refuses subtracting bools.</summary>
    public Tensor Sub(bool scalar) => Sub(Wrap(scalar));
    /// <summary>scalar - this with a C# integer (a Python int).</summary>
    public Tensor Rsub(long scalar) => DType.IsFloatingPoint() ? Rsub((double)scalar) : Wrap(scalar).Sub(this);
    /// <summary>this · scalar with a C# integer (a Python int).</summary>
    public Tensor Mul(long scalar) => DType.IsFloatingPoint() ? Mul((double)scalar) : Mul(Wrap(scalar));
    /// <summary>this · scalar with a C# bool (a Python bool).</summary>
    public Tensor Mul(bool scalar) => DType.IsFloatingPoint() ? Mul(scalar ? 1.0 : 0.0) : Mul(Wrap(scalar));
    /// <summary>this / scalar with a C# integer (a Python int): true division.</summary>
    public Tensor Div(long scalar) => DType.IsFloatingPoint() ? Div((double)scalar) : Div(Wrap(scalar));
    /// <summary>this / scalar with a C# bool (a Python bool): true division.</summary>
    public Tensor Div(bool scalar) => DType.IsFloatingPoint() ? Div(scalar ? 1.0 : 0.0) : Div(Wrap(scalar));

    /// <summary><c>a + b</c> with a C# integer.</summary>
    public static Tensor operator +(Tensor a, long b) => a.Add(b);
    /// <summary><c>a + b</c> with a C# integer on the left.</summary>
    public static Tensor operator +(long a, Tensor b) => b.Add(a);
    /// <summary><c>a - b</c> with a C# integer.</summary>
    public static Tensor operator -(Tensor a, long b) => a.Sub(b);
    /// <summary><c>a - b</c> with a C# integer on the left (<c>torch.rsub</c>).</summary>
    public static Tensor operator -(long a, Tensor b) => b.Rsub(a);
    /// <summary><c>a * b</c> with a C# integer.</summary>
    public static Tensor operator *(Tensor a, long b) => a.Mul(b);
    /// <summary><c>a * b</c> with a C# integer on the left.</summary>
    public static Tensor operator *(long a, Tensor b) => b.Mul(a);
    /// <summary><c>a / b</c> with a C# integer: true division.</summary>
    public static Tensor operator /(Tensor a, long b) => a.Div(b);
    /// <summary><c>a / b</c> with a C# integer on the left: <c>b.Reciprocal() * a</c>, as PyTorch's <c>__rtruediv__</c> computes it.</summary>
    public static Tensor operator /(long a, Tensor b) => b.Reciprocal().Mul(a);
}
