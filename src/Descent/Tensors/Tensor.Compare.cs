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

    /// <summary>Elementwise ==, like <c>torch.eq</c>.</summary>
    public Tensor Eq(Tensor other) => CompareNoGrad(other, static (a, b) => a == b);
    /// <summary>Elementwise !=, like <c>torch.ne</c>.</summary>
    public Tensor Ne(Tensor other) => CompareNoGrad(other, static (a, b) => a != b);
    /// <summary>Elementwise &lt;, like <c>torch.lt</c>.</summary>
    public Tensor Lt(Tensor other) => CompareNoGrad(other, static (a, b) => a < b);
    /// <summary>Elementwise ≤, like <c>torch.le</c>.</summary>
    public Tensor Le(Tensor other) => CompareNoGrad(other, static (a, b) => a <= b);
    /// <summary>Elementwise &gt;, like <c>torch.gt</c>.</summary>
    public Tensor Gt(Tensor other) => CompareNoGrad(other, static (a, b) => a > b);
    /// <summary>Elementwise ≥, like <c>torch.ge</c>.</summary>
    public Tensor Ge(Tensor other) => CompareNoGrad(other, static (a, b) => a >= b);

    /// <summary>Elementwise == scalar.</summary>
    public Tensor Eq(double v) => Eq(ScalarTensor(v));
    /// <summary>Elementwise != scalar.</summary>
    public Tensor Ne(double v) => Ne(ScalarTensor(v));
    /// <summary>Elementwise &lt; scalar.</summary>
    public Tensor Lt(double v) => Lt(ScalarTensor(v));
    /// <summary>Elementwise ≤ scalar.</summary>
    public Tensor Le(double v) => Le(ScalarTensor(v));
    /// <summary>Elementwise &gt; scalar.</summary>
    public Tensor Gt(double v) => Gt(ScalarTensor(v));
    /// <summary>Elementwise ≥ scalar.</summary>
    public Tensor Ge(double v) => Ge(ScalarTensor(v));

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
}
