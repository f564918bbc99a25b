using Descent.Autograd;

namespace Descent.Tensors;

// Comparisons and logical ops: results are torch.bool tensors and carry no gradient.
public sealed partial class Tensor
{
    private Tensor Compare(Tensor other, Func<double, double, bool> predicate)
    {
        var outShape = ShapeHelper.Broadcast(shape, other.shape);
        var r = Allocate(DType.Bool, outShape);
        var a = Expand(outShape).Contiguous();
        var b = other.Expand(outShape).Contiguous();
        var rd = r.Data<bool>();
        if (a.storage is Storage<float> fa && b.storage is Storage<float> fb)
        {
            float[] ad = fa.Data, bd = fb.Data;
            for (int i = 0; i < rd.Length; i++) rd[i] = predicate(ad[a.offset + i], bd[b.offset + i]);
        }
        else
        {
            for (int i = 0; i < rd.Length; i++) rd[i] = predicate(a.GetAsDouble(a.offset + i), b.GetAsDouble(b.offset + i));
        }
        return r;
    }

    private Tensor CompareNoGrad(Tensor other, Func<double, double, bool> predicate)
    {
        using (GradMode.Set(false)) return Compare(other, predicate);
    }

    private Tensor ScalarTensor(double v) => Scalar(v, DType == DType.Float64 ? DType.Float64 : DType == DType.Float32 ? DType.Float32 : DType.Float64);

    private enum Relation { Eq, Ne, Lt, Le, Gt, Ge }

    // Both operands are converted to their promoted dtype first, as PyTorch compares: int64 and float32 compare as float32.
    private Tensor Relate(Tensor other, Relation rel)
    {
        var dtype = ResultType(this, other);
        var outShape = ShapeHelper.Broadcast(shape, other.shape);
        var a = Detach().To(dtype).Expand(outShape).Contiguous();
        var b = other.Detach().To(dtype).Expand(outShape).Contiguous();
        var r = Allocate(DType.Bool, outShape);
        var rd = r.AsSpan<bool>();
        int n = rd.Length;
        switch (dtype)
        {
            case DType.Float32: RelateLoop(a.Data<float>().AsSpan(a.offset, n), b.Data<float>().AsSpan(b.offset, n), rd, rel); break;
            case DType.Float64: RelateLoop(a.Data<double>().AsSpan(a.offset, n), b.Data<double>().AsSpan(b.offset, n), rd, rel); break;
            case DType.Int64: RelateLoop(a.Data<long>().AsSpan(a.offset, n), b.Data<long>().AsSpan(b.offset, n), rd, rel); break;
            case DType.Int32: RelateLoop(a.Data<int>().AsSpan(a.offset, n), b.Data<int>().AsSpan(b.offset, n), rd, rel); break;
            default:
                var ai = a.To(DType.Int32);
                var bi = b.To(DType.Int32);
                RelateLoop(ai.AsSpan<int>(), bi.AsSpan<int>(), rd, rel);
                break;
        }
        return r;
    }

    private static void RelateLoop<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> r, Relation rel)
        where T : System.Numerics.IComparisonOperators<T, T, bool>
    {
        switch (rel)
        {
            case Relation.Eq: for (int i = 0; i < r.Length; i++) r[i] = a[i] == b[i]; break;
            case Relation.Ne: for (int i = 0; i < r.Length; i++) r[i] = a[i] != b[i]; break;
            case Relation.Lt: for (int i = 0; i < r.Length; i++) r[i] = a[i] < b[i]; break;
            case Relation.Le: for (int i = 0; i < r.Length; i++) r[i] = a[i] <= b[i]; break;
            case Relation.Gt: for (int i = 0; i < r.Length; i++) r[i] = a[i] > b[i]; break;
            default: for (int i = 0; i < r.Length; i++) r[i] = a[i] >= b[i]; break;
        }
    }

    /// <summary>Elementwise ==, like <c>torch.eq</c>.</summary>
    public Tensor Eq(Tensor other) => Relate(other, Relation.Eq);
    /// <summary>Elementwise !=, like <c>torch.ne</c>.</summary>
    public Tensor Ne(Tensor other) => Relate(other, Relation.Ne);
    /// <summary>Elementwise &lt;, like <c>torch.lt</c>.</summary>
    public Tensor Lt(Tensor other) => Relate(other, Relation.Lt);
    /// <summary>Elementwise ≤, like <c>torch.le</c>.</summary>
    public Tensor Le(Tensor other) => Relate(other, Relation.Le);
    /// <summary>Elementwise &gt;, like <c>torch.gt</c>.</summary>
    public Tensor Gt(Tensor other) => Relate(other, Relation.Gt);
    /// <summary>Elementwise ≥, like <c>torch.ge</c>.</summary>
    public Tensor Ge(Tensor other) => Relate(other, Relation.Ge);

    /// <summary>Elementwise == a C# double (a Python float).</summary>
    public Tensor Eq(double v) => Eq(Wrap(v));
    /// <summary>Elementwise != a C# double.</summary>
    public Tensor Ne(double v) => Ne(Wrap(v));
    /// <summary>Elementwise &lt; a C# double.</summary>
    public Tensor Lt(double v) => Lt(Wrap(v));
    /// <summary>Elementwise ≤ a C# double.</summary>
    public Tensor Le(double v) => Le(Wrap(v));
    /// <summary>Elementwise &gt; a C# double.</summary>
    public Tensor Gt(double v) => Gt(Wrap(v));
    /// <summary>Elementwise ≥ a C# double.</summary>
    public Tensor Ge(double v) => Ge(Wrap(v));

    /// <summary>Elementwise == a C# integer (a Python int).</summary>
    public Tensor Eq(long v) => Eq(Wrap(v));
    /// <summary>Elementwise != a C# integer.</summary>
    public Tensor Ne(long v) => Ne(Wrap(v));
    /// <summary>Elementwise &lt; a C# integer.</summary>
    public Tensor Lt(long v) => Lt(Wrap(v));
    /// <summary>Elementwise ≤ a C# integer.</summary>
    public Tensor Le(long v) => Le(Wrap(v));
    /// <summary>Elementwise &gt; a C# integer.</summary>
    public Tensor Gt(long v) => Gt(Wrap(v));
    /// <summary>Elementwise ≥ a C# integer.</summary>
    public Tensor Ge(long v) => Ge(Wrap(v));

    /// <summary>Elementwise == a C# bool (a Python bool).</summary>
    public Tensor Eq(bool v) => Eq(Wrap(v));
    /// <summary>Elementwise != a C# bool.</summary>
    public Tensor Ne(bool v) => Ne(Wrap(v));
    /// <summary>Elementwise &lt; a C# bool.</summary>
    public Tensor Lt(bool v) => Lt(Wrap(v));

    /// <summary>Elementwise and of truth values, like <c>torch.logical_and</c>.</summary>
    public Tensor LogicalAnd(Tensor other) => CompareNoGrad(other, static (a, b) => a != 0 && b != 0);
    /// <summary>Elementwise or of truth values, like <c>torch.logical_or</c>.</summary>
    public Tensor LogicalOr(Tensor other) => CompareNoGrad(other, static (a, b) => a != 0 || b != 0);
    /// <summary>Elementwise not, like <c>torch.logical_not</c>.</summary>
    public Tensor LogicalNot() => CompareNoGrad(Scalar(0), static (a, _) => a == 0);

    /// <summary>Elementwise NaN test, like <c>torch.isnan</c>.</summary>
    public Tensor IsNan() => MapPredicate(static v => double.IsNaN(v));

    /// <summary>Elementwise ±∞ test, like <c>torch.isinf</c>.</summary>
    public Tensor IsInf() => MapPredicate(static v => double.IsInfinity(v));

    /// <summary>Elementwise finiteness test, like <c>torch.isfinite</c>.</summary>
    public Tensor IsFinite() => MapPredicate(static v => double.IsFinite(v));

    private Tensor MapPredicate(Func<double, bool> predicate)
    {
        var src = Detach().Contiguous();
        var r = Allocate(DType.Bool, (int[])shape.Clone());
        var rd = r.Data<bool>();
        for (int i = 0; i < rd.Length; i++) rd[i] = predicate(src.GetAsDouble(src.offset + i));
        return r;
    }

    /// <summary>Whether all elements are close, like <c>torch.allclose</c>.</summary>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        var outShape = ShapeHelper.Broadcast(shape, other.shape);
        var a = Detach().Expand(outShape).Contiguous();
        var b = other.Detach().Expand(outShape).Contiguous();
        int n = a.Numel;
        for (int i = 0; i < n; i++)
        {
            double x = a.GetAsDouble(a.offset + i), y = b.GetAsDouble(b.offset + i);
            if (double.IsNaN(x) || double.IsNaN(y)) return false;
            if (x == y) continue;
            if (Math.Abs(x - y) > atol + rtol * Math.Abs(y)) return false;
        }
        return true;
    }

    /// <summary>Same shape and same values, like <c>torch.equal</c>.</summary>
    public bool Equal(Tensor other)
    {
        if (!ShapeHelper.SameShape(shape, other.shape)) return false;
        var a = Detach().Contiguous();
        var b = other.Detach().Contiguous();
        for (int i = 0; i < a.Numel; i++)
            if (a.GetAsDouble(a.offset + i) != b.GetAsDouble(b.offset + i)) return false;
        return true;
    }

    /// <summary><c>a &lt; b</c>, elementwise: a bool tensor (<c>torch.lt</c>).</summary>
    public static Tensor operator <(Tensor a, Tensor b) => a.Lt(b);
    /// <summary><c>a &gt; b</c>, elementwise: a bool tensor (<c>torch.gt</c>).</summary>
    public static Tensor operator >(Tensor a, Tensor b) => a.Gt(b);
    /// <summary><c>a &lt;= b</c>, elementwise: a bool tensor (<c>torch.le</c>).</summary>
    public static Tensor operator <=(Tensor a, Tensor b) => a.Le(b);
    /// <summary><c>a &gt;= b</c>, elementwise: a bool tensor (<c>torch.ge</c>).</summary>
    public static Tensor operator >=(Tensor a, Tensor b) => a.Ge(b);
    /// <summary><c>a &lt; b</c> with a number.</summary>
    public static Tensor operator <(Tensor a, double b) => a.Lt(b);
    /// <summary><c>a &gt; b</c> with a number.</summary>
    public static Tensor operator >(Tensor a, double b) => a.Gt(b);
    /// <summary><c>a &lt;= b</c> with a number.</summary>
    public static Tensor operator <=(Tensor a, double b) => a.Le(b);
    /// <summary><c>a &gt;= b</c> with a number.</summary>
    public static Tensor operator >=(Tensor a, double b) => a.Ge(b);
    /// <summary><c>a &lt; b</c> with a C# integer.</summary>
    public static Tensor operator <(Tensor a, long b) => a.Lt(b);
    /// <summary><c>a &gt; b</c> with a C# integer.</summary>
    public static Tensor operator >(Tensor a, long b) => a.Gt(b);
    /// <summary><c>a &lt;= b</c> with a C# integer.</summary>
    public static Tensor operator <=(Tensor a, long b) => a.Le(b);
    /// <summary><c>a &gt;= b</c> with a C# integer.</summary>
    public static Tensor operator >=(Tensor a, long b) => a.Ge(b);
}
