using Descent.Tensors;
using Descent.Text;

namespace Descent.NN;

/// <summary>x clamped to [minVal, maxVal], like <c>nn.Hardtanh</c>; defaults −1 and 1.</summary>
public sealed class Hardtanh(double minVal = -1.0, double maxVal = 1.0) : Module
{
    /// <summary>The lower bound.</summary>
    public double MinVal { get; } = maxVal > minVal ? minVal : throw new ArgumentException("max_val must be greater than min_val");

    /// <summary>The upper bound.</summary>
    public double MaxVal { get; } = maxVal;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Hardtanh(input, MinVal, MaxVal);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"min_val={PyRepr.Float(MinVal)}, max_val={PyRepr.Float(MaxVal)}";
}
