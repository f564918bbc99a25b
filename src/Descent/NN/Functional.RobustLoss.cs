using Descent.Diagnostics;
using Descent.Tensors;

namespace Descent.NN;

// Smooth L1, Huber and KL divergence, written with differentiable tensor ops.
public static partial class Functional
{
    /// <summary>
    /// 0.5·d²/β where |d| &lt; β, else |d| − 0.5·β (d = x − y), like <c>F.smooth_l1_loss</c>; β = 0 is the L1 loss.
    /// Defaults: reduction "mean", β = 1.
    /// </summary>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, string reduction = "mean", double beta = 1.0)
    {
        if (beta < 0) throw new ArgumentException("smooth_l1_loss does not support negative values for beta.");
        var (a, b) = BroadcastForLoss(input, target);
        var r = ReductionOf(reduction);
        if (beta == 0) return Reduce(a.Sub(b).Abs(), r);
        var d = a.Sub(b);
        var ad = d.Abs();
        return Reduce(Tensor.Where(ad.Lt(beta), d.Mul(d).Mul(0.5 / beta), ad.Sub(0.5 * beta)), r);
    }

    /// <summary>
    /// 0.5·d² where |d| &lt; δ, else δ·(|d| − 0.5·δ), like <c>F.huber_loss</c>. Defaults: reduction "mean", δ = 1.
    /// </summary>
    public static Tensor HuberLoss(Tensor input, Tensor target, string reduction = "mean", double delta = 1.0)
    {
        if (delta <= 0) throw new ArgumentException("huber_loss does not support non-positive values for delta.");
        var (a, b) = BroadcastForLoss(input, target);
        var r = ReductionOf(reduction);
        var d = a.Sub(b);
        var ad = d.Abs();
        return Reduce(Tensor.Where(ad.Lt(delta), d.Mul(d).Mul(0.5), ad.Sub(0.5 * delta).Mul(delta)), r);
    }

    /// <summary>
    /// Kullback–Leibler divergence of log-probabilities <paramref name="input"/> from <paramref name="target"/>
    /// (probabilities, or log-probabilities with <paramref name="logTarget"/>), like <c>F.kl_div</c>: elementwise
    /// y·(log y − x), 0 where y = 0. Reduction "mean" (over elements, with PyTorch's warning), "batchmean" (the sum
    /// over the batch size, the true KL divergence), "sum" or "none".
    /// </summary>
    public static Tensor KlDiv(Tensor input, Tensor target, string reduction = "mean", bool logTarget = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (reduction == "mean")
            Warnings.Warn("reduction: 'mean' divides the total loss by both the batch size and the support size." +
                "'batchmean' divides only by the batch size, and aligns with the KL div math definition." +
                "'mean' will be changed to behave the same as 'batchmean' in the next major release.");
        Tensor pointwise;
        if (logTarget) pointwise = target.Exp().Mul(target.Sub(input));
        else
        {
            // xlogy(y, y) without 0·log 0: the logarithm is taken of 1 where y is 0.
            var positive = target.Gt(0.0);
            var safe = Tensor.Where(positive, target, Tensor.OnesLike(target));
            pointwise = target.Mul(safe.Log()).Sub(target.Mul(input));
        }
        if (reduction == "batchmean")
            return input.Dim == 0 ? pointwise.Sum() : pointwise.Sum().Div(input.shape[0]);
        return Reduce(pointwise, ReductionOf(reduction));
    }
}
