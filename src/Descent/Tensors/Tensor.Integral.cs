using System.Numerics;

namespace Descent.Tensors;

/// <summary>The elementwise ops that integer and bool tensors support, and floor division and remainder on all types.</summary>
internal enum ElementOp
{
    Add,
    Sub,
    Mul,
    FloorDivide,
    Remainder,
    BitwiseAnd,
    BitwiseOr,
    BitwiseXor,
}

// Integer, bool and floor/remainder arithmetic: a plain loop over operands broadcast and converted to the
// promoted dtype. These are not the hot float paths (MapBinary), so clarity wins over vectorisation.
public sealed partial class Tensor
{
    /// <summary>a op b computed in <paramref name="dtype"/>, without autograd.</summary>
    internal static Tensor ElementBinary(Tensor a, Tensor b, DType dtype, ElementOp op, string name)
    {
        CheckElementOp(dtype, op, name);
        var outShape = ShapeHelper.Broadcast(a.shape, b.shape);
        var ac = a.Detach().To(dtype).Expand(outShape).Contiguous();
        var bc = b.Detach().To(dtype).Expand(outShape).Contiguous();
        var r = AllocateForOverwrite(dtype, outShape);
        int n = r.Numel;
        switch (dtype)
        {
            case DType.Int64: IntegerLoop(ac.Data<long>().AsSpan(ac.offset, n), bc.Data<long>().AsSpan(bc.offset, n), r.AsSpan<long>(), op); break;
            case DType.Int32: IntegerLoop(ac.Data<int>().AsSpan(ac.offset, n), bc.Data<int>().AsSpan(bc.offset, n), r.AsSpan<int>(), op); break;
            case DType.Float32: FloatLoop(ac.Data<float>().AsSpan(ac.offset, n), bc.Data<float>().AsSpan(bc.offset, n), r.AsSpan<float>(), op); break;
            case DType.Float64: FloatLoop(ac.Data<double>().AsSpan(ac.offset, n), bc.Data<double>().AsSpan(bc.offset, n), r.AsSpan<double>(), op); break;
            default: BoolLoop(ac.Data<bool>().AsSpan(ac.offset, n), bc.Data<bool>().AsSpan(bc.offset, n), r.AsSpan<bool>(), op); break;
        }
        return r;
    }

    // PyTorch's refusals, in its words: its kernels are not compiled for these dtypes.
    private static void CheckElementOp(DType dtype, ElementOp op, string name)
    {
        bool bitwise = op is ElementOp.BitwiseAnd or ElementOp.BitwiseOr or ElementOp.BitwiseXor;
        if (bitwise && dtype.IsFloatingPoint())
            throw new ArgumentException($"\"{name}_cpu\" not implemented for '{dtype.ScalarTypeName()}'");
        if (dtype != DType.Bool) return;
        if (op == ElementOp.FloorDivide) throw new ArgumentException("\"div_floor_cpu\" not implemented for 'Bool'");
        if (op == ElementOp.Remainder) throw new ArgumentException("\"remainder_cpu\" not implemented for 'Bool'");
    }

    private static void IntegerLoop<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> r, ElementOp op) where T : IBinaryInteger<T>
    {
        switch (op)
        {
            case ElementOp.Add: for (int i = 0; i < r.Length; i++) r[i] = unchecked(a[i] + b[i]); break;
            case ElementOp.Sub: for (int i = 0; i < r.Length; i++) r[i] = unchecked(a[i] - b[i]); break;
            case ElementOp.Mul: for (int i = 0; i < r.Length; i++) r[i] = unchecked(a[i] * b[i]); break;
            case ElementOp.FloorDivide: for (int i = 0; i < r.Length; i++) r[i] = FloorDivide(a[i], b[i]); break;
            case ElementOp.Remainder: for (int i = 0; i < r.Length; i++) r[i] = Remainder(a[i], b[i]); break;
            case ElementOp.BitwiseAnd: for (int i = 0; i < r.Length; i++) r[i] = a[i] & b[i]; break;
            case ElementOp.BitwiseOr: for (int i = 0; i < r.Length; i++) r[i] = a[i] | b[i]; break;
            default: for (int i = 0; i < r.Length; i++) r[i] = a[i] ^ b[i]; break;
        }
    }

    // PyTorch's div_floor_integer: Python's floor division. PyTorch's CPU kernel raises "ZeroDivisionError".
    private static T FloorDivide<T>(T a, T b) where T : IBinaryInteger<T>
    {
        if (T.IsZero(b)) throw new DivideByZeroException("ZeroDivisionError");
        // MinValue / -1 overflows in .NET; two's complement wraps it to MinValue, as C++ on x86 computes it.
        if (b == -T.One) return unchecked(-a);
        var q = a / b;
        return T.IsNegative(a) != T.IsNegative(b) && !T.IsZero(a % b) ? q - T.One : q;
    }

    // Python's modulo: the result takes the divisor's sign.
    private static T Remainder<T>(T a, T b) where T : IBinaryInteger<T>
    {
        if (T.IsZero(b)) throw new DivideByZeroException("ZeroDivisionError");
        if (b == -T.One) return T.Zero;
        var m = a % b;
        return !T.IsZero(m) && T.IsNegative(m) != T.IsNegative(b) ? m + b : m;
    }

    private static void FloatLoop<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> r, ElementOp op) where T : IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case ElementOp.Add: for (int i = 0; i < r.Length; i++) r[i] = a[i] + b[i]; break;
            case ElementOp.Sub: for (int i = 0; i < r.Length; i++) r[i] = a[i] - b[i]; break;
            case ElementOp.Mul: for (int i = 0; i < r.Length; i++) r[i] = a[i] * b[i]; break;
            case ElementOp.FloorDivide: for (int i = 0; i < r.Length; i++) r[i] = FloorDivideFloat(a[i], b[i]); break;
            default: for (int i = 0; i < r.Length; i++) r[i] = RemainderFloat(a[i], b[i]); break;
        }
    }

    // c10's div_floor_floating: floor of the exact quotient, rounded as Python's float // is.
    private static T FloorDivideFloat<T>(T a, T b) where T : IFloatingPointIeee754<T>
    {
        if (T.IsZero(b)) return a / b;
        var mod = a % b;
        var div = (a - mod) / b;
        if (!T.IsZero(mod) && (b < T.Zero) != (mod < T.Zero)) div -= T.One;
        if (T.IsZero(div)) return T.CopySign(T.Zero, a / b);
        var floor = T.Floor(div);
        return div - floor > T.CreateTruncating(0.5) ? floor + T.One : floor;
    }

    // PyTorch's remainder kernel: fmod, moved into the divisor's sign.
    private static T RemainderFloat<T>(T a, T b) where T : IFloatingPointIeee754<T>
    {
        var mod = a % b;
        return !T.IsZero(mod) && (b < T.Zero) != (mod < T.Zero) ? mod + b : mod;
    }

    private static void BoolLoop(ReadOnlySpan<bool> a, ReadOnlySpan<bool> b, Span<bool> r, ElementOp op)
    {
        switch (op)
        {
            // bool + bool is computed as integers and cast back: or; bool · bool: and.
            case ElementOp.Add or ElementOp.BitwiseOr: for (int i = 0; i < r.Length; i++) r[i] = a[i] | b[i]; break;
            case ElementOp.Mul or ElementOp.BitwiseAnd: for (int i = 0; i < r.Length; i++) r[i] = a[i] & b[i]; break;
            case ElementOp.BitwiseXor: for (int i = 0; i < r.Length; i++) r[i] = a[i] ^ b[i]; break;
            default: throw new InvalidOperationException($"no bool kernel for {op}");
        }
    }
}
