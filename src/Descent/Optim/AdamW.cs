using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, 2019, "Decoupled Weight Decay Regularization"), like <c>torch.optim.AdamW</c>:
/// Adam whose weight decay shrinks the parameters directly instead of entering the gradient.
/// <code>
/// p ← p·(1 − lr·weight_decay);  g ← ∇ (negated when maximize)
/// m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  v̂ ← max(v̂, v) with amsgrad
/// p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2, amsgrad false, maximize false.
/// As in current PyTorch it is <see cref="Adam"/> with <c>decoupled_weight_decay</c> set (that option is in its groups).
/// State per parameter: <c>step</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>, and <c>max_exp_avg_sq</c> only with amsgrad.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>PyTorch's default <c>weight_decay</c> for AdamW; the other defaults are Adam's.</summary>
    public new const double DefaultWeightDecay = 1e-2;

    /// <summary>AdamW over one group of parameters.</summary>
    public AdamW(IEnumerable<Tensor> parameters, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay, bool amsgrad = DefaultAmsgrad,
        bool maximize = DefaultMaximize, bool? forEach = null, bool capturable = DefaultCapturable,
        bool differentiable = DefaultDifferentiable, bool? fused = null)
        : base(parameters, lr, betas, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay: true, forEach, capturable, differentiable, fused) { }

    /// <summary>AdamW over several groups; the named arguments are the defaults for options a group does not set.</summary>
    public AdamW(IEnumerable<ParamGroup> groups, double lr = DefaultLr, (double, double)? betas = null,
        double eps = DefaultEps, double weightDecay = DefaultWeightDecay, bool amsgrad = DefaultAmsgrad,
        bool maximize = DefaultMaximize, bool? forEach = null, bool capturable = DefaultCapturable,
        bool differentiable = DefaultDifferentiable, bool? fused = null)
        : base(groups, lr, betas, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay: true, forEach, capturable, differentiable, fused) { }
}
