using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// The identity a module's full backward hooks wrap its input and output in (PyTorch's BackwardHookFunction): the
/// gradient passing through is handed to <paramref name="onGrad"/>, which may replace it (null: no gradient).
/// </summary>
internal sealed class BackwardHookFunctionBackward(Func<Tensor, Tensor?> onGrad) : Node
{
    public override string Name => "BackwardHookFunctionBackward";

    internal override Tensor?[] Apply(Tensor g) => [onGrad(g)];

    /// <summary>An alias of <paramref name="x"/> whose gradient passes through <paramref name="onGrad"/>.</summary>
    public static Tensor Wrap(Tensor x, Func<Tensor, Tensor?> onGrad) =>
        Graph.Attach(x.Detach(), new BackwardHookFunctionBackward(onGrad), x);
}
