using Descent.Autograd;
using Descent.Kernels;

namespace Descent.Tensors;

// In-place ops (PyTorch's trailing underscore). Outside autograd they write straight into the storage; when
// the graph must record them, the op runs out of place on a copy and this tensor takes over its history.
public sealed partial class Tensor
{
    private bool InPlaceNeedsGraph(Tensor? other = null, Tensor? other2 = null)
    {
        CheckNoInternalOverlap();
        if (!GradMode.IsEnabled) return false;
        if (IsLeaf && leafRequiresGrad)
            throw new InvalidOperationException("a leaf Variable that requires grad is being used in an in-place operation.");
        if (viewBase is { IsLeaf: true, leafRequiresGrad: true })
            throw new InvalidOperationException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
        return RequiresGrad || (viewBase?.RequiresGrad ?? false) || (other?.RequiresGrad ?? false) || (other2?.RequiresGrad ?? false);
    }

    /// <summary>Refuses in-place writes to a tensor whose elements share memory (an expanded tensor), as PyTorch does.</summary>
    private void CheckNoInternalOverlap()
    {
        for (int d = 0; d < shape.Length; d++)
            if (strides[d] == 0 && shape[d] > 1)
                throw new InvalidOperationException(
                    "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.");
    }

    /// <summary>
    /// Runs an in-place op that autograd must record: <paramref name="op"/> computes the new value out of place
    /// from a tensor holding the old value and the old history, the result is written into this tensor, and
    /// this tensor takes over the result's history. On a view, the base's history is rewritten instead.
    /// </summary>
    private Tensor RebaseHistory(Func<Tensor, Tensor> op)
    {
        if (viewBase is not null) return RebaseViewHistory(op);
        // The old value keeps the old history; the result's history becomes this tensor's.
        var old = new Tensor(Storage.Allocate(DType, Numel), (int[])shape.Clone()) { gradFn = gradFn };
        old.CopyFromUnchecked(this);
        var r = op(old);
        CopyFromUnchecked(r);
        BumpVersion();
        gradFn = r.gradFn;
        return this;
    }

    /// <summary>
    /// An in-place op on a view, recorded as PyTorch's CopySlices: the base's new value is its old value with
    /// the view's region replaced by op(old region). The base's history becomes that node, and this view
    /// becomes a fresh view of the base, so gradients reach both the base's old history and op's other inputs.
    /// </summary>
    private Tensor RebaseViewHistory(Func<Tensor, Tensor> op)
    {
        var b = viewBase!;
        // A copy of the base laid out with the base's strides, so this view's geometry carries over to it.
        var layout = new StridedLayout(b, this);
        var oldBase = layout.NewBaseLike(b.DType);
        oldBase.CopyFromUnchecked(b);
        oldBase.gradFn = b.gradFn;
        var oldView = layout.ViewIn(oldBase);
        if (Graph.Needs(oldBase)) Graph.Attach(oldView, new AsStridedBackward(layout), oldBase);
        var r = op(oldView);
        CopyFromUnchecked(r);
        BumpVersion();
        Graph.Attach(b, new CopySlices(layout), oldBase, r);
        Graph.Attach(this, new AsStridedBackward(layout), b);
        return this;
    }

    /// <summary>this += alpha · other.</summary>
    public Tensor Add_(Tensor other, double alpha = 1)
    {
        if (!DType.IsFloatingPoint()) return AssignResult(Add(other, alpha));
        if (InPlaceNeedsGraph(other)) return RebaseHistory(x => x.Add(other, alpha));
        MapBinaryInPlace(this, alpha == 1 ? other : other.MulNoGrad(alpha), new BinaryOps.Add(), "add_");
        return this;
    }

    /// <summary>this += scalar.</summary>
    public Tensor Add_(double scalar)
    {
        if (!DType.IsFloatingPoint()) return AssignResult(Add(scalar));
        if (InPlaceNeedsGraph()) return RebaseHistory(x => x.Add(scalar));
        MapBinaryInPlace(this, ScalarTensor(scalar), new BinaryOps.Add(), "add_");
        return this;
    }

    /// <summary>this += scalar with a C# integer (a Python int): integer tensors stay integers.</summary>
    public Tensor Add_(long scalar) => DType.IsFloatingPoint() ? Add_((double)scalar) : AssignResult(Add(scalar));

    /// <summary>this -= scalar with a C# integer.</summary>
    public Tensor Sub_(long scalar) => DType.IsFloatingPoint() ? Sub_((double)scalar) : AssignResult(Sub(scalar));

    /// <summary>this *= scalar with a C# integer.</summary>
    public Tensor Mul_(long scalar) => DType.IsFloatingPoint() ? Mul_((double)scalar) : AssignResult(Mul(scalar));

    /// <summary>this -= alpha · other.</summary>
    public Tensor Sub_(Tensor other, double alpha = 1) => Add_(other, -alpha);

    /// <summary>this -= scalar.</summary>
    public Tensor Sub_(double scalar) => Add_(-scalar);

    /// <summary>this *= other.</summary>
    public Tensor Mul_(Tensor other)
    {
        if (!DType.IsFloatingPoint()) return AssignResult(Mul(other));
        if (InPlaceNeedsGraph(other)) return RebaseHistory(x => x.Mul(other));
        MapBinaryInPlace(this, other, new BinaryOps.Mul(), "mul_");
        return this;
    }

    /// <summary>this *= scalar.</summary>
    public Tensor Mul_(double scalar)
    {
        if (!DType.IsFloatingPoint()) return AssignResult(Mul(scalar));
        if (InPlaceNeedsGraph()) return RebaseHistory(x => x.Mul(scalar));
        MapBinaryInPlace(this, ScalarTensor(scalar), new BinaryOps.Mul(), "mul_");
        return this;
    }

    /// <summary>this /= other.</summary>
    public Tensor Div_(Tensor other)
    {
        if (!DType.IsFloatingPoint()) return AssignResult(Div(other));
        if (InPlaceNeedsGraph(other)) return RebaseHistory(x => x.Div(other));
        MapBinaryInPlace(this, other, new BinaryOps.Div(), "div_");
        return this;
    }

    /// <summary>this /= scalar.</summary>
    public Tensor Div_(double scalar)
    {
        if (!DType.IsFloatingPoint()) return AssignResult(Div(scalar));
        if (InPlaceNeedsGraph()) return RebaseHistory(x => x.Div(scalar));
        MapBinaryInPlace(this, ScalarTensor(scalar), new BinaryOps.Div(), "div_");
        return this;
    }

    /// <summary>this = this ^ exponent.</summary>
    public Tensor Pow_(double exponent)
    {
        if (InPlaceNeedsGraph()) return RebaseHistory(x => x.Pow(exponent));
        MapBinaryInPlace(this, ScalarTensor(exponent), new BinaryOps.Pow(), "pow_");
        return this;
    }

    /// <summary>this = this ^ exponent (broadcast), like <c>pow_</c> with a tensor.</summary>
    public Tensor Pow_(Tensor exponent)
    {
        if (InPlaceNeedsGraph(exponent)) return RebaseHistory(x => x.Pow(exponent));
        MapBinaryInPlace(this, exponent, new BinaryOps.Pow(), "pow_");
        return this;
    }

    /// <summary>this += value · t1 · t2, like <c>addcmul_</c>.</summary>
    public Tensor Addcmul_(Tensor tensor1, Tensor tensor2, double value = 1) => Add_(tensor1.Mul(tensor2), value);

    /// <summary>this += value · t1 / t2, like <c>addcdiv_</c>.</summary>
    public Tensor Addcdiv_(Tensor tensor1, Tensor tensor2, double value = 1) => Add_(tensor1.Div(tensor2), value);

    /// <summary>this += weight · (end - this), like <c>lerp_</c> (with <see cref="Lerp(Tensor, double)"/>'s rounding).</summary>
    public Tensor Lerp_(Tensor end, double weight)
    {
        if (InPlaceNeedsGraph(end)) return RebaseHistory(x => x.Lerp(end, weight));
        RequireFloat(this, "lerp_");
        var outShape = ShapeHelper.Broadcast(shape, end.shape);
        if (!ShapeHelper.SameShape(outShape, shape))
            throw new ArgumentException($"output with shape {ShapeHelper.Format(shape)} doesn't match the broadcast shape {ShapeHelper.Format(outShape)}");
        Tensor r;
        using (GradMode.Set(false)) r = Lerp(end, weight);
        CopyFromUnchecked(r);
        BumpVersion();
        return this;
    }

    /// <summary>Negates in place.</summary>
    public Tensor Neg_() => Mul_(-1.0);

    /// <summary>Square root in place.</summary>
    public Tensor Sqrt_()
    {
        if (InPlaceNeedsGraph()) return RebaseHistory(x => x.Sqrt());
        RequireFloat(this, "sqrt_");
        MapUnaryInPlace(this, new UnaryOps.Sqrt());
        return this;
    }

    /// <summary>Exponential in place.</summary>
    public Tensor Exp_()
    {
        if (InPlaceNeedsGraph()) return RebaseHistory(x => x.Exp());
        RequireFloat(this, "exp_");
        MapUnaryInPlace(this, new UnaryOps.Exp());
        return this;
    }

    /// <summary>ReLU in place.</summary>
    public Tensor Relu_()
    {
        if (InPlaceNeedsGraph()) return RebaseHistory(x => x.Relu());
        RequireFloat(this, "relu_");
        MapUnaryInPlace(this, new UnaryOps.Relu());
        return this;
    }

    /// <summary>Clamps in place.</summary>
    public Tensor Clamp_(double? min = null, double? max = null)
    {
        if (min is null && max is null) throw new ArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        if (InPlaceNeedsGraph()) return RebaseHistory(x => x.Clamp(min, max));
        RequireFloat(this, "clamp_");
        MapUnaryInPlace(this, new UnaryOps.Clamp(min ?? double.NegativeInfinity, max ?? double.PositiveInfinity));
        return this;
    }

    /// <summary>Sets every element to zero, like <c>zero_</c>.</summary>
    public Tensor Zero_() => Fill_(0);

    /// <summary>Sets every element to <paramref name="value"/>, like <c>fill_</c>.</summary>
    public Tensor Fill_(double value)
    {
        if (InPlaceNeedsGraph())
            return RebaseHistory(old => Graph.Attach(Full(old.shape, value, DType), new ZeroBackward("FillBackward2"), old));
        FillUnchecked(value);
        BumpVersion();
        return this;
    }

    /// <summary>Copies <paramref name="src"/> (broadcast, converted) into this tensor, like <c>copy_</c>.</summary>
    public Tensor Copy_(Tensor src)
    {
        var outShape = ShapeHelper.Broadcast(shape, src.shape);
        if (!ShapeHelper.SameShape(outShape, shape))
            throw new ArgumentException($"output with shape {ShapeHelper.Format(shape)} doesn't match the broadcast shape {ShapeHelper.Format(outShape)}");
        if (ReferenceEquals(src.storage, storage) && !SameGeometry(src, this))
        {
            // PyTorch refuses a copy between partially overlapping dense tensors; where it cannot tell, copying
            // from a snapshot keeps the result what a copy from distinct memory would give.
            if (PartiallyOverlap(src, this))
                throw new InvalidOperationException(
                    "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.");
            using (GradMode.Set(false)) src = src.Detach().Clone();
        }
        if (InPlaceNeedsGraph(src))
        {
            return RebaseHistory(old =>
            {
                var r = Allocate(DType, (int[])old.shape.Clone());
                r.CopyFromUnchecked(src);
                return Graph.Attach(r, new CopyBackwards(src.shape, src.DType), old, src);
            });
        }
        CopyFromUnchecked(src);
        BumpVersion();
        return this;
    }

    private static bool SameGeometry(Tensor a, Tensor b) =>
        a.offset == b.offset && ShapeHelper.SameShape(a.shape, b.shape) && a.strides.AsSpan().SequenceEqual(b.strides);

    /// <summary>Both dense (some order of their dims is contiguous) and their memory ranges intersect.</summary>
    private static bool PartiallyOverlap(Tensor a, Tensor b)
    {
        if (a.Numel == 0 || b.Numel == 0 || !ShapeHelper.IsNonOverlappingAndDense(a.shape, a.strides)
            || !ShapeHelper.IsNonOverlappingAndDense(b.shape, b.strides)) return false;
        return a.offset < b.offset + b.Numel && b.offset < a.offset + a.Numel;
    }

    /// <summary>The ReLU gradient: 0 where x ≤ 0, else g, so NaN passes g (PyTorch's threshold_backward).</summary>
    internal static Tensor ThresholdBackward(Tensor g, Tensor x) =>
        g.DType == x.DType && g.DType.IsFloatingPoint() && ShapeHelper.SameShape(g.shape, x.shape)
            ? MapBinary(g, x, new Kernels.BinaryOps.ThresholdGrad(), "threshold_backward")
            : Where(x.Le(0.0), ZerosLike(g), g);
}
