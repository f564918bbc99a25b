using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// Base of the loss modules, like PyTorch's <c>_Loss</c>: a reduction ("mean", "sum" or "none") and a forward
/// over an input and a target. The reduction is checked when the loss is made (PyTorch checks at the first call),
/// with PyTorch's message.
/// </summary>
public abstract class Loss : Module
{
    /// <summary>Checks and stores the reduction.</summary>
    /// <exception cref="ArgumentException">"{reduction} is not a valid value for reduction".</exception>
    protected Loss(string reduction)
    {
        Functional.ReductionOf(reduction);
        Reduction = reduction;
    }

    /// <summary>"mean", "sum" or "none".</summary>
    public string Reduction { get; }

    /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>Calls <see cref="Forward(Tensor, Tensor)"/>, like calling the loss in Python.</summary>
    public Tensor Call(Tensor input, Tensor target) => Forward(input, target);

    /// <summary>Losses need a target; this fails as PyTorch's forward does when it is missing.</summary>
    public sealed override Tensor Forward(Tensor input) =>
        throw new ArgumentException($"{GetType().Name}.forward() missing 1 required positional argument: 'target'");
}

/// <summary>A loss with an optional per-class weight, registered as the buffer "weight", like PyTorch's <c>_WeightedLoss</c>.</summary>
public abstract class WeightedLoss : Loss
{
    /// <summary>Registers <paramref name="weight"/> (null: none) and checks the reduction.</summary>
    protected WeightedLoss(Tensor? weight, string reduction) : base(reduction)
    {
        Weight = RegisterBuffer("weight", weight);
    }

    /// <summary>The manual rescaling weight, or null.</summary>
    public Tensor? Weight { get; }
}
