using Descent.Kernels;
using Descent.Tensors;

namespace Descent.Autograd;

// Gradients of the fused losses. Each takes the gradient of the loss (one value after a mean or sum reduction,
// one per element without) and a scale (1/n for a mean), so the node is the loss's grad_fn as in PyTorch.

/// <summary>
/// binary_cross_entropy (and _with_logits): the closed-form input and target gradients of ATen's backward
/// functions. Weight and pos_weight are constants here, as PyTorch refuses to differentiate them.
/// </summary>
internal sealed class BinaryCrossEntropyBackward(bool logits, Tensor input, Tensor target, Tensor? weight, Tensor? posWeight, double scale) : Node
{
    private SavedTensor sx = new(input), st = new(target);
    public override string Name => logits ? "BinaryCrossEntropyWithLogitsBackward0" : "BinaryCrossEntropyBackward0";

    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var x = sx.Value(Name).Detach().Contiguous();
        var t = st.Value(Name).Detach().Contiguous();
        var gc = g.To(x.DType).Contiguous();
        Tensor? gx = Next[0] is null ? null : Tensor.EmptyLike(x);
        Tensor? gt = Next[1] is null ? null : Tensor.EmptyLike(x);
        if (x.DType == DType.Float32)
        {
            ReadOnlySpan<float> w = weight is null ? default : weight.AsSpan<float>(), p = posWeight is null ? default : posWeight.AsSpan<float>();
            Span<float> dx = gx is null ? default : gx.AsSpan<float>(), dt = gt is null ? default : gt.AsSpan<float>();
            if (logits) BinaryLossKernels.BceWithLogitsBackward(gc.AsSpan<float>(), (float)scale, x.AsSpan<float>(), t.AsSpan<float>(), w, p, dx, dt);
            else BinaryLossKernels.BceBackward(gc.AsSpan<float>(), (float)scale, x.AsSpan<float>(), t.AsSpan<float>(), w, dx, dt);
        }
        else
        {
            ReadOnlySpan<double> w = weight is null ? default : weight.AsSpan<double>(), p = posWeight is null ? default : posWeight.AsSpan<double>();
            Span<double> dx = gx is null ? default : gx.AsSpan<double>(), dt = gt is null ? default : gt.AsSpan<double>();
            if (logits) BinaryLossKernels.BceWithLogitsBackward(gc.AsSpan<double>(), scale, x.AsSpan<double>(), t.AsSpan<double>(), w, p, dx, dt);
            else BinaryLossKernels.BceBackward(gc.AsSpan<double>(), scale, x.AsSpan<double>(), t.AsSpan<double>(), w, dx, dt);
        }
        return [gx, gt];
    }

    /// <summary>The kernels' formulas (see <see cref="BinaryLossKernels"/>) in tensor ops, for create_graph.</summary>
    internal override Tensor?[] ApplyRecorded(Tensor g)
    {
        EnsureNotReleased();
        var x = sx.Value(Name);
        var t = st.Value(Name);
        var gi = g.To(x.DType).Mul(scale);
        if (weight is not null) gi = gi.Mul(weight);
        Tensor? gx = null, gt = null;
        if (!logits)
        {
            if (Next[0] is not null) gx = gi.Mul(x.Sub(t)).Div(x.Rsub(1.0).Mul(x).Clamp(min: 1e-12));
            if (Next[1] is not null) gt = gi.Mul(x.Rsub(1.0).Log().Sub(x.Log()));
            return [gx, gt];
        }
        var sig = x.Sigmoid();
        if (Next[0] is not null)
            gx = posWeight is null ? gi.Mul(sig.Sub(t)) : gi.Mul(posWeight.Mul(t).Add(t.Rsub(1.0)).Mul(sig).Sub(posWeight.Mul(t)));
        if (Next[1] is not null)
        {
            // log(1 + e^−x) without overflow: m + log(e^−m + e^(−x−m)) with m = max(−x, 0).
            var m = x.Neg().Clamp(min: 0.0);
            var softplusNeg = m.Neg().Exp().Add(x.Neg().Sub(m).Exp()).Log().Add(m);
            gt = posWeight is null ? gi.Mul(x.Neg()) : gi.Mul(x.Neg().Add(posWeight.Sub(1.0).Mul(softplusNeg)));
        }
        return [gx, gt];
    }

    private protected override void ReleaseSaved() { sx = default; st = default; }
}

/// <summary>
/// nll_loss: each counted element sends −w[target]·g (·scale) to its input entry at the target class; every
/// other entry, and ignored elements, get zero.
/// </summary>
/// <param name="inputShape">The input's shape, seen as [N, C, S].</param>
/// <param name="classes">C.</param>
/// <param name="spatial">S, the product of the dimensions after the class dimension.</param>
/// <param name="targets">Per element of [N, S]: the class, or -1 when ignored.</param>
/// <param name="weights">Per element: the class weight.</param>
/// <param name="scale">1 / total weight for a mean, else 1.</param>
/// <param name="reduced">Whether the loss was reduced to one value (else the gradient has one value per element).</param>
internal sealed class NllLossBackward(int[] inputShape, int classes, int spatial, long[] targets, double[] weights, double scale, bool reduced) : Node
{
    public override string Name => "NllLossBackward0";

    internal override Tensor?[] Apply(Tensor g)
    {
        var gc = g.Contiguous();
        var gx = Tensor.Zeros(inputShape, gc.DType);
        if (gx.DType == DType.Float32) Scatter(gc.AsSpan<float>(), gx.AsSpan<float>(), !reduced);
        else Scatter(gc.AsSpan<double>(), gx.AsSpan<double>(), !reduced);
        return [gx];
    }

    internal override Tensor?[] ApplyRecorded(Tensor g)
    {
        // Linear in g: the coefficients (the scatter of a unit gradient) times g, broadcast over the classes.
        var coef = Tensor.Zeros(inputShape, g.DType);
        using (GradMode.Set(false))
        {
            var ones = Tensor.Ones(reduced ? [] : g.Shape, g.DType);
            if (coef.DType == DType.Float32) Scatter(ones.AsSpan<float>(), coef.AsSpan<float>(), !reduced);
            else Scatter(ones.AsSpan<double>(), coef.AsSpan<double>(), !reduced);
        }
        return [coef.Mul(reduced || g.Dim == 0 ? g : g.Unsqueeze(1))];
    }

    private void Scatter<T>(ReadOnlySpan<T> g, Span<T> gx, bool perElement) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int k = 0; k < targets.Length; k++)
        {
            long c = targets[k];
            if (c < 0) continue;
            int n = k / spatial, s = k % spatial;
            double gk = double.CreateTruncating(perElement ? g[k] : g[0]);
            gx[(n * classes + (int)c) * spatial + s] = T.CreateTruncating(-weights[k] * gk * scale);
        }
    }
}

/// <summary>mse_loss (mean or sum): ∂x = norm·(x − y)·g and ∂y = −∂x, PyTorch's mse_loss_backward.</summary>
internal sealed class MseLossBackward(Tensor input, Tensor target, double norm) : Node
{
    private SavedTensor si = new(input), st = new(target);
    public override string Name => "MseLossBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        Tensor x = si.Value(Name), y = st.Value(Name);
        var gx = x.DType == y.DType && g.DType == x.DType && g.Numel == 1 && x.IsContiguous && y.IsContiguous &&
                 ShapeHelper.SameShape(x.shape, y.shape)
            ? x.DType == DType.Float32 ? Scaled<float>(x, y, (float)norm, g.Item<float>()) : Scaled<double>(x, y, norm, g.Item<double>())
            : x.Sub(y).Mul(norm).Mul(g);
        return [gx, Next[1] is null ? null : gx.Neg()];
    }

    internal override Tensor?[] ApplyRecorded(Tensor g)
    {
        EnsureNotReleased();
        var gx = si.Value(Name).Sub(st.Value(Name)).Mul(norm).Mul(g);
        return [gx, Next[1] is null ? null : gx.Neg()];
    }

    /// <summary>((x − y)·norm)·g in one pass, rounding after each operation as the three ops do.</summary>
    private static Tensor Scaled<T>(Tensor x, Tensor y, T norm, T g) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var r = Tensor.AllocateForOverwrite(x.DType, (int[])x.shape.Clone());
        ReadOnlySpan<T> xs = x.AsSpan<T>(), ys = y.AsSpan<T>();
        var rs = r.AsSpan<T>();
        for (int i = 0; i < rs.Length; i++) rs[i] = (xs[i] - ys[i]) * norm * g;
        return Fresh(r);
    }
    private protected override void ReleaseSaved() { si = default; st = default; }
}
