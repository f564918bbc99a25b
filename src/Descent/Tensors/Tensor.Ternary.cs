using Descent.Autograd;

namespace Descent.Tensors;

// Fused elementwise ops of several tensors: addcmul, addcdiv, lerp, masked_fill.
public sealed partial class Tensor
{
    /// <summary>this + value · tensor1 · tensor2, like <c>torch.addcmul</c>.</summary>
    public Tensor Addcmul(Tensor tensor1, Tensor tensor2, double value = 1) => Add(tensor1.Mul(tensor2), value);

    /// <summary>this + value · tensor1 / tensor2, like <c>torch.addcdiv</c>.</summary>
    public Tensor Addcdiv(Tensor tensor1, Tensor tensor2, double value = 1) => Add(tensor1.Div(tensor2), value);

    /// <summary>
    /// this + weight · (end - this), like <c>torch.lerp</c> with a number weight. As in PyTorch, weights of
    /// magnitude 0.5 or more use end - (end - this)·(1 - weight), which is exact at weight 1.
    /// </summary>
    public Tensor Lerp(Tensor end, double weight)
    {
        var dtype = FloatResultType(this, end, "lerp");
        Tensor r;
        using (GradMode.Set(false))
        {
            var a = Detach().To(dtype);
            var b = end.Detach().To(dtype);
            var diff = b.Sub(a);
            r = Math.Abs(weight) < 0.5 ? a.Add(diff.Mul(weight)) : b.Sub(diff.Mul(1 - weight));
        }
        return Graph.Needs(this, end) ? Graph.Attach(r, new LerpBackward(shape, end.shape, weight), this, end) : r;
    }

    /// <summary>this + weight · (end - this) with a weight per element (broadcast), like <c>torch.lerp</c>.</summary>
    public Tensor Lerp(Tensor end, Tensor weight)
    {
        var dtype = FloatResultType(this, end, "lerp");
        Tensor r;
        using (GradMode.Set(false))
        {
            var a = Detach().To(dtype);
            var b = end.Detach().To(dtype);
            var w = weight.Detach().To(dtype);
            var diff = b.Sub(a);
            var low = a.Add(diff.Mul(w));
            var high = b.Sub(diff.Mul(w.Neg().Add(1.0)));
            r = Where(w.Abs().Lt(0.5), low, high);
        }
        if (!Graph.Needs(this, end) && !Graph.Needs(weight)) return r;
        return Graph.Attach(r, new LerpTensorBackward(this, end, weight), this, end, weight);
    }

    /// <summary>
    /// A copy with <paramref name="value"/> where <paramref name="mask"/> (bool, broadcast) is true, like
    /// <c>masked_fill</c>; the gradient is zero at the filled positions.
    /// </summary>
    public Tensor MaskedFill(Tensor mask, double value)
    {
        if (mask.DType != DType.Bool)
            throw new ArgumentException($"masked_fill_ only supports boolean masks, but got mask with dtype {mask.DType.ScalarTypeName()}");
        Tensor r;
        using (GradMode.Set(false)) r = Where(mask, Full([], value, DType), Detach());
        return Graph.Needs(this) ? Graph.Attach(r, new MaskedFillBackward(mask, shape), this) : r;
    }

    /// <summary>Fills <paramref name="value"/> where <paramref name="mask"/> is true, in place, like <c>masked_fill_</c>.</summary>
    public Tensor MaskedFill_(Tensor mask, double value)
    {
        var outShape = ShapeHelper.Broadcast(shape, mask.shape);
        if (!ShapeHelper.SameShape(outShape, shape))
            throw new ArgumentException($"output with shape {ShapeHelper.Format(shape)} doesn't match the broadcast shape {ShapeHelper.Format(outShape)}");
        if (InPlaceNeedsGraph()) return RebaseHistory(x => x.MaskedFill(mask, value));
        Tensor filled;
        using (GradMode.Set(false)) filled = MaskedFill(mask, value);
        CopyFromUnchecked(filled);
        BumpVersion();
        return this;
    }
}
