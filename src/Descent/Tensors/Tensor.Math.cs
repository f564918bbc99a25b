using Descent.Autograd;
using Descent.Kernels;

namespace Descent.Tensors;

// Elementwise arithmetic with autograd. Results broadcast as in PyTorch; a C# double scalar keeps the tensor's dtype.
public sealed partial class Tensor
{
    /// <summary>this + alpha · other, like <c>torch.add(input, other, alpha=alpha)</c>.</summary>
    public Tensor Add(Tensor other, double alpha = 1)
    {
        var dtype = ResultType(this, other);
        if (!dtype.IsFloatingPoint()) return ElementBinary(this, ScaledIntegral(other, alpha, dtype), dtype, ElementOp.Add, "add");
        var r = alpha == 1 ? MapBinary(this, other, new BinaryOps.Add(), "add", dtype) : MapBinary(this, other.MulNoGrad(alpha), new BinaryOps.Add(), "add", dtype);
        return Graph.Needs(this, other) ? Graph.Attach(r, new AddBackward(shape, other.shape, alpha, false), this, other) : r;
    }

    /// <summary>this - alpha · other, like <c>torch.sub</c>.</summary>
    public Tensor Sub(Tensor other, double alpha = 1)
    {
        CheckSub(this, other);
        var dtype = ResultType(this, other);
        if (!dtype.IsFloatingPoint()) return ElementBinary(this, ScaledIntegral(other, alpha, dtype), dtype, ElementOp.Sub, "sub");
        var r = alpha == 1 ? MapBinary(this, other, new BinaryOps.Sub(), "sub", dtype) : MapBinary(this, other.MulNoGrad(alpha), new BinaryOps.Sub(), "sub", dtype);
        return Graph.Needs(this, other) ? Graph.Attach(r, new AddBackward(shape, other.shape, alpha, true), this, other) : r;
    }

    /// <summary>Elementwise product, like <c>torch.mul</c>.</summary>
    public Tensor Mul(Tensor other)
    {
        var dtype = ResultType(this, other);
        if (!dtype.IsFloatingPoint()) return ElementBinary(this, other, dtype, ElementOp.Mul, "mul");
        var r = MapBinary(this, other, new BinaryOps.Mul(), "mul", dtype);
        return Graph.Needs(this, other) ? Graph.Attach(r, new MulBackward(this, other), this, other) : r;
    }

    /// <summary>Elementwise quotient, like <c>torch.div</c>: true division, so integers divide in the default dtype.</summary>
    public Tensor Div(Tensor other)
    {
        var r = MapBinary(this, other, new BinaryOps.Div(), "div", TrueDivideType(this, other));
        return Graph.Needs(this, other) ? Graph.Attach(r, new DivBackward(this, other), this, other) : r;
    }

    /// <summary>Elementwise power with a tensor exponent, like <c>torch.pow(input, exponent)</c>.</summary>
    public Tensor Pow(Tensor exponent)
    {
        var r = MapBinary(this, exponent, new BinaryOps.Pow(), "pow");
        return Graph.Needs(this, exponent) ? Graph.Attach(r, new PowTensorBackward(this, exponent, r), this, exponent) : r;
    }

    /// <summary>Elementwise maximum, like <c>torch.maximum</c>.</summary>
    public Tensor Maximum(Tensor other)
    {
        var r = MapBinary(this, other, new BinaryOps.Maximum(), "maximum");
        return Graph.Needs(this, other) ? Graph.Attach(r, new MinMaxBackward(this, other, true), this, other) : r;
    }

    /// <summary>Elementwise minimum, like <c>torch.minimum</c>.</summary>
    public Tensor Minimum(Tensor other)
    {
        var r = MapBinary(this, other, new BinaryOps.Minimum(), "minimum");
        return Graph.Needs(this, other) ? Graph.Attach(r, new MinMaxBackward(this, other, false), this, other) : r;
    }

    /// <summary>this + scalar; an integer or bool tensor gives the default dtype, as with a Python float.</summary>
    public Tensor Add(double scalar)
    {
        if (!DType.IsFloatingPoint()) return Add(Wrap(scalar));
        var r = MapScalar(this, scalar, new BinaryOps.Add());
        return Graph.Needs(this) ? Graph.Attach(r, new ScaleBackward(1, "AddBackward0"), this) : r;
    }

    /// <summary>this - scalar.</summary>
    public Tensor Sub(double scalar)
    {
        if (!DType.IsFloatingPoint()) return Sub(Wrap(scalar));
        var r = MapScalar(this, scalar, new BinaryOps.Sub());
        return Graph.Needs(this) ? Graph.Attach(r, new ScaleBackward(1, "SubBackward0"), this) : r;
    }

    /// <summary>scalar - this, like <c>torch.rsub</c> (what <c>2 - x</c> runs).</summary>
    public Tensor Rsub(double scalar)
    {
        if (!DType.IsFloatingPoint()) return Wrap(scalar).Sub(this);
        var r = MapScalar(this, scalar, new BinaryOps.Sub(), scalarFirst: true);
        return Graph.Needs(this) ? Graph.Attach(r, new ScaleBackward(-1, "RsubBackward1"), this) : r;
    }

    /// <summary>this · scalar.</summary>
    public Tensor Mul(double scalar)
    {
        if (!DType.IsFloatingPoint()) return Mul(Wrap(scalar));
        var r = MapScalar(this, scalar, new BinaryOps.Mul());
        return Graph.Needs(this) ? Graph.Attach(r, new ScaleBackward(scalar, "MulBackward0"), this) : r;
    }

    /// <summary>this / scalar.</summary>
    public Tensor Div(double scalar)
    {
        if (!DType.IsFloatingPoint()) return Div(Wrap(scalar));
        var r = MapScalar(this, scalar, new BinaryOps.Div());
        return Graph.Needs(this) ? Graph.Attach(r, new DivScalarBackward(scalar), this) : r;
    }

    /// <summary>this ^ exponent, like <c>torch.pow(input, exponent)</c> with a number.</summary>
    public Tensor Pow(double exponent)
    {
        if (!DType.IsFloatingPoint()) return To(DefaultDType).Pow(exponent);
        var r = MapScalar(this, exponent, new BinaryOps.Pow());
        return Graph.Needs(this) ? Graph.Attach(r, new PowBackward(this, exponent), this) : r;
    }

    /// <summary>-this.</summary>
    public Tensor Neg() => Unary(new UnaryOps.Neg(), "neg", x => new ScaleBackward(-1, "NegBackward0"));

    /// <summary>e^this.</summary>
    public Tensor Exp()
    {
        if (!DType.IsFloatingPoint()) return To(DefaultDType).Exp();
        var r = MapUnary(this, new UnaryOps.Exp());
        return Graph.Needs(this) ? Graph.Attach(r, new ExpBackward(r), this) : r;
    }

    /// <summary>Sine, like <c>torch.sin</c>.</summary>
    public Tensor Sin() => DType.IsFloatingPoint() ? Unary(new UnaryOps.Sin(), "sin", x => new SinBackward(x)) : To(DefaultDType).Sin();

    /// <summary>Cosine, like <c>torch.cos</c>.</summary>
    public Tensor Cos() => DType.IsFloatingPoint() ? Unary(new UnaryOps.Cos(), "cos", x => new CosBackward(x)) : To(DefaultDType).Cos();

    /// <summary>log(1 + this), accurate for small values, like <c>torch.log1p</c>.</summary>
    public Tensor Log1p() => DType.IsFloatingPoint() ? Unary(new UnaryOps.Log1p(), "log1p", x => new Log1pBackward(x)) : To(DefaultDType).Log1p();

    /// <summary>e^this - 1, accurate for small values, like <c>torch.expm1</c>.</summary>
    public Tensor Expm1()
    {
        if (!DType.IsFloatingPoint()) return To(DefaultDType).Expm1();
        var r = MapUnary(this, new UnaryOps.Expm1());
        return Graph.Needs(this) ? Graph.Attach(r, new Expm1Backward(r), this) : r;
    }

    /// <summary>Natural logarithm.</summary>
    public Tensor Log() => DType.IsFloatingPoint() ? Unary(new UnaryOps.Log(), "log", x => new LogBackward(x)) : To(DefaultDType).Log();

    /// <summary>Square root.</summary>
    public Tensor Sqrt()
    {
        if (!DType.IsFloatingPoint()) return To(DefaultDType).Sqrt();
        var r = MapUnary(this, new UnaryOps.Sqrt());
        return Graph.Needs(this) ? Graph.Attach(r, new SqrtBackward(r), this) : r;
    }

    /// <summary>Absolute value.</summary>
    public Tensor Abs() => Unary(new UnaryOps.Abs(), "abs", x => new AbsBackward(x));

    /// <summary>-1, 0 or 1; its gradient is zero.</summary>
    public Tensor Sign() => Unary(new UnaryOps.Sign(), "sign", x => new ZeroBackward("SignBackward0"));

    /// <summary>this², like <c>torch.square</c>.</summary>
    public Tensor Square() => Pow(2);

    /// <summary>1 / this (integers give float32).</summary>
    public Tensor Reciprocal()
    {
        if (!DType.IsFloatingPoint()) return To(DefaultDType).Reciprocal();
        var r = MapUnary(this, new UnaryOps.Reciprocal());
        return Graph.Needs(this) ? Graph.Attach(r, new ReciprocalBackward(r), this) : r;
    }

    /// <summary>1 / sqrt(this), like <c>torch.rsqrt</c>.</summary>
    public Tensor Rsqrt()
    {
        if (!DType.IsFloatingPoint()) return To(DefaultDType).Rsqrt();
        var r = MapUnary(this, new UnaryOps.Rsqrt());
        return Graph.Needs(this) ? Graph.Attach(r, new RsqrtBackward(r), this) : r;
    }

    /// <summary>Clamps into [min, max] (either bound may be absent), like <c>torch.clamp</c>.</summary>
    public Tensor Clamp(double? min = null, double? max = null)
    {
        if (min is null && max is null) throw new ArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        double lo = min ?? double.NegativeInfinity, hi = max ?? double.PositiveInfinity;
        return Unary(new UnaryOps.Clamp(lo, hi), "clamp", x => new ClampBackward(x, lo, hi));
    }

    /// <summary>max(this, 0), like <c>torch.relu</c>.</summary>
    public Tensor Relu()
    {
        RequireFloat(this, "relu");
        var r = MapUnary(this, new UnaryOps.Relu());
        return Graph.Needs(this) ? Graph.Attach(r, new ReluBackward(r), this) : r;
    }

    /// <summary>1 / (1 + e^-this), like <c>torch.sigmoid</c>.</summary>
    public Tensor Sigmoid()
    {
        if (!DType.IsFloatingPoint()) return To(DefaultDType).Sigmoid();
        var r = MapUnary(this, new UnaryOps.Sigmoid());
        return Graph.Needs(this) ? Graph.Attach(r, new SigmoidBackward(r), this) : r;
    }

    /// <summary>Hyperbolic tangent, like <c>torch.tanh</c>.</summary>
    public Tensor Tanh()
    {
        if (!DType.IsFloatingPoint()) return To(DefaultDType).Tanh();
        var r = MapUnary(this, new UnaryOps.Tanh());
        return Graph.Needs(this) ? Graph.Attach(r, new TanhBackward(r), this) : r;
    }

    /// <summary>log(1 + e^(β·x)) / β, linear where β·x exceeds the threshold, like <c>F.softplus</c>.</summary>
    public Tensor Softplus(double beta = 1, double threshold = 20) =>
        Unary(new UnaryOps.Softplus(beta, threshold), "softplus", x => new SoftplusBackward(x, beta, threshold));

    private Tensor Unary<TOp>(TOp op, string name, Func<Tensor, Node> backward) where TOp : struct, IUnarySpanOp
    {
        RequireFloat(this, name);
        var r = MapUnary(this, op);
        return Graph.Needs(this) ? Graph.Attach(r, backward(this), this) : r;
    }

    private Tensor MulNoGrad(double s)
    {
        using (GradMode.Set(false)) return To(DTypeExtensions.Promote(DType, DType.Float32)).Mul(s);
    }

    /// <summary>Chooses elements of <paramref name="x"/> where <paramref name="condition"/> is true, else of <paramref name="y"/>, like <c>torch.where</c>.</summary>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y)
    {
        if (condition.DType != DType.Bool)
            throw new ArgumentException($"where expected condition to be a boolean tensor, but got a tensor with dtype {condition.DType.ScalarTypeName()}");
        var dtype = DTypeExtensions.Promote(x.DType, y.DType);
        var outShape = ShapeHelper.Broadcast(ShapeHelper.Broadcast(x.shape, y.shape), condition.shape);
        var r = Allocate(dtype, outShape);
        // Select rather than compute y + c·(x - y), which is inexact for large values and nan for infinite ones.
        var xs = x.Detach().To(dtype).Expand(outShape).Contiguous();
        var ys = y.Detach().To(dtype).Expand(outShape).Contiguous();
        var cs = condition.Detach().Expand(outShape).Contiguous();
        switch (r.storage)
        {
            case Storage<float>: Select<float>(cs, xs, ys, r); break;
            case Storage<double>: Select<double>(cs, xs, ys, r); break;
            case Storage<long>: Select<long>(cs, xs, ys, r); break;
            case Storage<int>: Select<int>(cs, xs, ys, r); break;
            default: Select<bool>(cs, xs, ys, r); break;
        }
        return Graph.Needs(x, y) ? Graph.Attach(r, new WhereBackward(condition, x.shape, y.shape), x, y) : r;
    }

    private static void Select<T>(Tensor c, Tensor x, Tensor y, Tensor r) where T : unmanaged
    {
        var cd = c.Data<bool>().AsSpan(c.offset, r.Numel);
        var xd = x.Data<T>().AsSpan(x.offset, r.Numel);
        var yd = y.Data<T>().AsSpan(y.offset, r.Numel);
        var rd = r.Data<T>();
        for (int i = 0; i < rd.Length; i++) rd[i] = cd[i] ? xd[i] : yd[i];
    }

    /// <summary><c>torch.where(condition, x, y)</c> with a number for <paramref name="y"/>; the result has x's dtype.</summary>
    public static Tensor Where(Tensor condition, Tensor x, double y) => Where(condition, x, Full([], y, x.DType));

    /// <summary><c>torch.where(condition, x, y)</c> with a number for <paramref name="x"/>; the result has y's dtype.</summary>
    public static Tensor Where(Tensor condition, double x, Tensor y) => Where(condition, Full([], x, y.DType), y);

    // Operators. C# has no == overload here: tensors keep reference equality; use Eq for elementwise.
    /// <summary><c>a + b</c>, elementwise, broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary><c>a + b</c> with a number.</summary>
    public static Tensor operator +(Tensor a, double b) => a.Add(b);
    /// <summary><c>a + b</c> with a number on the left.</summary>
    public static Tensor operator +(double a, Tensor b) => b.Add(a);
    /// <summary><c>a - b</c>, broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary><c>a - b</c> with a number.</summary>
    public static Tensor operator -(Tensor a, double b) => a.Sub(b);
    /// <summary><c>a - b</c> with a number on the left (<c>torch.rsub</c>).</summary>
    public static Tensor operator -(double a, Tensor b) => b.Rsub(a);
    /// <summary><c>a * b</c>, elementwise, broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary><c>a * b</c> with a number.</summary>
    public static Tensor operator *(Tensor a, double b) => a.Mul(b);
    /// <summary><c>a * b</c> with a number on the left.</summary>
    public static Tensor operator *(double a, Tensor b) => b.Mul(a);
    /// <summary><c>a / b</c>, true division, broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary><c>a / b</c> with a number.</summary>
    public static Tensor operator /(Tensor a, double b) => a.Div(b);
    /// <summary><c>a / b</c> with a number on the left.</summary>
    public static Tensor operator /(double a, Tensor b) => b.Reciprocal().Mul(a);
    /// <summary><c>-a</c> (<c>torch.neg</c>).</summary>
    public static Tensor operator -(Tensor a) => a.Neg();
}
