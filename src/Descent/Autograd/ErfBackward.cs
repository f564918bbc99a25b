using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>erf: ∂x = g·2/√π·e^(−x²), in tensor ops so that it differentiates again.</summary>
internal sealed class ErfBackward(Tensor x) : Node
{
    private SavedTensor sx = new(x);
    public override string Name => "ErfBackward0";
    internal override Tensor?[] Apply(Tensor g)
    {
        EnsureNotReleased();
        var xv = sx.Value(Name);
        return [g.Mul(xv.Mul(xv).Neg().Exp().Mul(2 / Math.Sqrt(Math.PI)))];
    }
    private protected override void ReleaseSaved() => sx = default;
}
