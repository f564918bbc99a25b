using Descent.Tensors;

namespace Descent.Autograd;

// Local derivatives of the elementwise ops. Broadcast inputs get their gradient summed back to their shape.

/// <summary>a ± alpha·b: ∂a = g, ∂b = ±alpha·g.</summary>
internal sealed class AddBackward(int[] aShape, int[] bShape, double alpha, bool subtract) : Node
{
    public override string Name => subtract ? "SubBackward0" : "AddBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        double k = subtract ? -alpha : alpha;
        var gb = k == 1 ? g : g.Mul(k);
        return [Next[0] is null ? null : g.SumToShape(aShape), Next[1] is null ? null : gb.SumToShape(bShape)];
    }
}

/// <summary>a·b: ∂a = g·b, ∂b = g·a.</summary>
internal sealed class MulBackward(Tensor a, Tensor b) : Node
{
    private SavedTensor sa = new(a), sb = new(b);
    private readonly int[] aShape = a.shape, bShape = b.shape;
    public override string Name => "MulBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        return [Next[0] is null ? null : g.Mul(sb.Value(Name)).SumToShape(aShape),
                Next[1] is null ? null : g.Mul(sa.Value(Name)).SumToShape(bShape)];
    }
    private protected override void ReleaseSaved() { sa = default; sb = default; }
}

/// <summary>a/b: ∂a = g/b, ∂b = -g·a/b².</summary>
internal sealed class DivBackward(Tensor a, Tensor b) : Node
{
    private SavedTensor sa = new(a), sb = new(b);
    private readonly int[] aShape = a.shape, bShape = b.shape;
    public override string Name => "DivBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var bv = sb.Value(Name);
        return [Next[0] is null ? null : g.Div(bv).SumToShape(aShape),
                Next[1] is null ? null : g.Neg().Mul(sa.Value(Name)).Div(bv.Mul(bv)).SumToShape(bShape)];
    }
    private protected override void ReleaseSaved() { sa = default; sb = default; }
}

/// <summary>x^p: ∂x = g·p·x^(p-1) (zero where p = 0, as PyTorch masks it).</summary>
internal sealed class PowBackward(Tensor x, double p) : Node
{
    private SavedTensor sx = new(x);
    public override string Name => "PowBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        if (p == 0) return [Tensor.ZerosLike(g)];
        var xv = sx.Value(Name);
        var local = p == 2 ? xv.Mul(2.0) : xv.Pow(p - 1).Mul(p);
        return [g.Mul(local)];
    }
    private protected override void ReleaseSaved() => sx = default;
}

/// <summary>a^b with a tensor exponent: ∂a = g·b·a^(b-1), ∂b = g·a^b·ln a (0 where a = 0 and b ≥ 0).</summary>
internal sealed class PowTensorBackward(Tensor a, Tensor b, Tensor result) : Node
{
    private SavedTensor sa = new(a), sb = new(b), sr = new(result, isOutput: true);
    private readonly int[] aShape = a.shape, bShape = b.shape;
    public override string Name => "PowBackward1";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var av = sa.Value(Name);
        var bv = sb.Value(Name);
        Tensor? ga = null, gb = null;
        if (Next[0] is not null)
        {
            // PyTorch masks where the exponent is 0: b·a^(b-1) would be 0·inf = nan at a = 0.
            var local = g.Mul(bv).Mul(av.Pow(bv.Sub(1.0)));
            ga = Tensor.Where(bv.Eq(0.0), Tensor.ZerosLike(local), local).SumToShape(aShape);
        }
        if (Next[1] is not null)
        {
            var lg = g.Mul(sr.Value(Name)).Mul(av.Log());
            var zeroBase = av.Eq(0.0).LogicalAnd(bv.Ge(0.0));
            gb = Tensor.Where(zeroBase, Tensor.ZerosLike(lg), lg).SumToShape(bShape);
        }
        return [ga, gb];
    }
    private protected override void ReleaseSaved() { sa = default; sb = default; sr = default; }
}

/// <summary>
/// maximum/minimum, PyTorch's formula: each input gets g (g/2 on ties) unless the other input won, so where
/// either is NaN (no comparison holds) both get g.
/// </summary>
internal sealed class MinMaxBackward(Tensor a, Tensor b, bool max) : Node
{
    private SavedTensor sa = new(a), sb = new(b);
    private readonly int[] aShape = a.shape, bShape = b.shape;
    public override string Name => max ? "MaximumBackward0" : "MinimumBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var av = sa.Value(Name);
        var bv = sb.Value(Name);
        var shared = Tensor.Where(av.Eq(bv), g.Mul(0.5), g);
        var zero = Tensor.ZerosLike(shared);
        Tensor? ga = null, gb = null;
        if (Next[0] is not null) ga = Tensor.Where(max ? av.Lt(bv) : av.Gt(bv), zero, shared).SumToShape(aShape);
        if (Next[1] is not null) gb = Tensor.Where(max ? av.Gt(bv) : av.Lt(bv), zero, shared).SumToShape(bShape);
        return [ga, gb];
    }
    private protected override void ReleaseSaved() { sa = default; sb = default; }
}

/// <summary>k·x (and x + c, -x): ∂x = k·g.</summary>
internal sealed class ScaleBackward(double k, string name) : Node
{
    public override string Name => name;
    internal override Tensor?[] Apply(Tensor g) => [k == 1 ? g : g.Mul(k)];
}

/// <summary>x / c: ∂x = g / c (divided, not multiplied by 1/c, so it rounds as PyTorch's does).</summary>
internal sealed class DivScalarBackward(double divisor) : Node
{
    public override string Name => "DivBackward0";
    internal override Tensor?[] Apply(Tensor g) => [g.Div(divisor)];
}

/// <summary>1/√x: ∂x = -0.5·g·r³ (r the saved result), PyTorch's formula.</summary>
internal sealed class RsqrtBackward(Tensor result) : Node
{
    private SavedTensor sr = new(result, isOutput: true);
    public override string Name => "RsqrtBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var r = sr.Value(Name);
        return [g.Mul(r.Pow(3.0)).Mul(-0.5)];
    }
    private protected override void ReleaseSaved() => sr = default;
}

/// <summary>Ops with zero gradient (sign).</summary>
internal sealed class ZeroBackward(string name) : Node
{
    public override string Name => name;
    internal override Tensor?[] Apply(Tensor g) => [Tensor.ZerosLike(g)];
}

/// <summary>e^x: ∂x = g·e^x (the saved result).</summary>
internal sealed class ExpBackward(Tensor result) : Node
{
    private SavedTensor sr = new(result, isOutput: true);
    public override string Name => "ExpBackward0";
    internal override Tensor?[] Apply(Tensor g) { EnsureNotReleased(); return [g.Mul(sr.Value(Name))]; }
    private protected override void ReleaseSaved() => sr = default;
}

/// <summary>ln x: ∂x = g/x.</summary>
internal sealed class LogBackward(Tensor x) : Node
{
    private SavedTensor sx = new(x);
    public override string Name => "LogBackward0";
    internal override Tensor?[] Apply(Tensor g) { EnsureNotReleased(); return [g.Div(sx.Value(Name))]; }
    private protected override void ReleaseSaved() => sx = default;
}

/// <summary>√x: ∂x = g / (2√x).</summary>
internal sealed class SqrtBackward(Tensor result) : Node
{
    private SavedTensor sr = new(result, isOutput: true);
    public override string Name => "SqrtBackward0";
    internal override Tensor?[] Apply(Tensor g) { EnsureNotReleased(); return [g.Div(sr.Value(Name).Mul(2.0))]; }
    private protected override void ReleaseSaved() => sr = default;
}

/// <summary>1/x: ∂x = -g·r².</summary>
internal sealed class ReciprocalBackward(Tensor result) : Node
{
    private SavedTensor sr = new(result, isOutput: true);
    public override string Name => "ReciprocalBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var r = sr.Value(Name);
        return [g.Mul(r.Mul(r)).Neg()];
    }
    private protected override void ReleaseSaved() => sr = default;
}

/// <summary>|x|: ∂x = g·sign(x).</summary>
internal sealed class AbsBackward(Tensor x) : Node
{
    private SavedTensor sx = new(x);
    public override string Name => "AbsBackward0";
    internal override Tensor?[] Apply(Tensor g) { EnsureNotReleased(); return [g.Mul(sx.Value(Name).Sign())]; }
    private protected override void ReleaseSaved() => sx = default;
}

/// <summary>clamp: the gradient passes where min ≤ x ≤ max.</summary>
internal sealed class ClampBackward(Tensor x, double lo, double hi) : Node
{
    private SavedTensor sx = new(x);
    public override string Name => "ClampBackward1";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var xv = sx.Value(Name);
        var pass = xv.Ge(lo).LogicalAnd(xv.Le(hi));
        return [g.Mul(pass.To(g.DType))];
    }
    private protected override void ReleaseSaved() => sx = default;
}

/// <summary>relu: the gradient passes where the output is positive.</summary>
internal sealed class ReluBackward(Tensor result) : Node
{
    private SavedTensor sr = new(result, isOutput: true);
    public override string Name => "ReluBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        return [Tensor.ThresholdBackward(g, sr.Value(Name))];
    }

    internal override Tensor?[] ApplyRecorded(Tensor g)
    {
        EnsureNotReleased();
        return [Tensor.Where(sr.Value(Name).Le(0.0), Tensor.Zeros([], g.DType), g)];
    }
    private protected override void ReleaseSaved() => sr = default;
}

/// <summary>σ(x): ∂x = g·σ(1-σ).</summary>
internal sealed class SigmoidBackward(Tensor result) : Node
{
    private SavedTensor sr = new(result, isOutput: true);
    public override string Name => "SigmoidBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var s = sr.Value(Name);
        return [g.Mul(s.Mul(s.Neg().Add(1.0)))];
    }
    private protected override void ReleaseSaved() => sr = default;
}

/// <summary>tanh: ∂x = g·(1 - t²).</summary>
internal sealed class TanhBackward(Tensor result) : Node
{
    private SavedTensor sr = new(result, isOutput: true);
    public override string Name => "TanhBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var t = sr.Value(Name);
        return [g.Mul(t.Mul(t).Neg().Add(1.0))];
    }
    private protected override void ReleaseSaved() => sr = default;
}

/// <summary>softplus: ∂x = g·σ(βx), and g where βx exceeds the threshold.</summary>
internal sealed class SoftplusBackward(Tensor x, double beta, double threshold) : Node
{
    private SavedTensor sx = new(x);
    public override string Name => "SoftplusBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var bx = sx.Value(Name).Mul(beta);
        var local = Tensor.Where(bx.Gt(threshold), Tensor.OnesLike(bx), bx.Sigmoid());
        return [g.Mul(local)];
    }
    private protected override void ReleaseSaved() => sx = default;
}

/// <summary>where(c, x, y): the gradient goes to x where c, else to y.</summary>
internal sealed class WhereBackward(Tensor condition, int[] xShape, int[] yShape) : Node
{
    private Tensor? cond = condition;
    public override string Name => "WhereBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var zero = Tensor.ZerosLike(g);
        return [Next[0] is null ? null : Tensor.Where(cond!, g, zero).SumToShape(xShape),
                Next[1] is null ? null : Tensor.Where(cond!, zero, g).SumToShape(yShape)];
    }
    private protected override void ReleaseSaved() => cond = null;
}

/// <summary>lerp with a number weight w: ∂start = g·(1 - w), ∂end = g·w.</summary>
internal sealed class LerpBackward(int[] startShape, int[] endShape, double weight) : Node
{
    public override string Name => "LerpBackward0";
    internal override Tensor?[] Apply(Tensor g) =>
        [Next[0] is null ? null : g.Mul(1 - weight).SumToShape(startShape), Next[1] is null ? null : g.Mul(weight).SumToShape(endShape)];
}

/// <summary>lerp with a weight tensor: ∂start = g·(1 - w), ∂end = g·w, ∂w = g·(end - start).</summary>
internal sealed class LerpTensorBackward(Tensor start, Tensor end, Tensor weight) : Node
{
    private SavedTensor ss = new(start), se = new(end), sw = new(weight);
    private readonly int[] startShape = start.shape, endShape = end.shape, weightShape = weight.shape;
    public override string Name => "LerpBackward1";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var w = sw.Value(Name);
        return [Next[0] is null ? null : g.Mul(w.Neg().Add(1.0)).SumToShape(startShape),
                Next[1] is null ? null : g.Mul(w).SumToShape(endShape),
                Next[2] is null ? null : g.Mul(se.Value(Name).Sub(ss.Value(Name))).SumToShape(weightShape)];
    }
    private protected override void ReleaseSaved() { ss = default; se = default; sw = default; }
}

/// <summary>masked_fill: the gradient passes where the mask is false.</summary>
internal sealed class MaskedFillBackward(Tensor mask, int[] inputShape) : Node
{
    private Tensor? m = mask;
    public override string Name => "MaskedFillBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        return [Tensor.Where(m!, Tensor.ZerosLike(g), g).SumToShape(inputShape)];
    }
    private protected override void ReleaseSaved() => m = null;
}

/// <summary>copy_: the overwritten value gets no gradient; the source gets g summed to its shape, in its dtype.</summary>
internal sealed class CopyBackwards(int[] srcShape, DType srcType) : Node
{
    public override string Name => "CopyBackwards";
    internal override Tensor?[] Apply(Tensor g) =>
        [Next[0] is null ? null : Tensor.ZerosLike(g), Next[1] is null ? null : g.SumToShape(srcShape).To(srcType)];
}

/// <summary>sin x: ∂x = g·cos x.</summary>
internal sealed class SinBackward(Tensor x) : Node
{
    private SavedTensor sx = new(x);
    public override string Name => "SinBackward0";
    internal override Tensor?[] Apply(Tensor g) { EnsureNotReleased(); return [g.Mul(sx.Value(Name).Cos())]; }
    private protected override void ReleaseSaved() => sx = default;
}

/// <summary>cos x: ∂x = -g·sin x.</summary>
internal sealed class CosBackward(Tensor x) : Node
{
    private SavedTensor sx = new(x);
    public override string Name => "CosBackward0";
    internal override Tensor?[] Apply(Tensor g) { EnsureNotReleased(); return [g.Mul(sx.Value(Name).Sin().Neg())]; }
    private protected override void ReleaseSaved() => sx = default;
}

/// <summary>log(1 + x): ∂x = g / (1 + x).</summary>
internal sealed class Log1pBackward(Tensor x) : Node
{
    private SavedTensor sx = new(x);
    public override string Name => "Log1PBackward0";
    internal override Tensor?[] Apply(Tensor g) { EnsureNotReleased(); return [g.Div(sx.Value(Name).Add(1.0))]; }
    private protected override void ReleaseSaved() => sx = default;
}

/// <summary>e^x - 1: ∂x = g·(r + 1) with r the saved result.</summary>
internal sealed class Expm1Backward(Tensor result) : Node
{
    private SavedTensor sr = new(result, isOutput: true);
    public override string Name => "Expm1Backward0";
    internal override Tensor?[] Apply(Tensor g) { EnsureNotReleased(); return [g.Mul(sr.Value(Name).Add(1.0))]; }
    private protected override void ReleaseSaved() => sr = default;
}
