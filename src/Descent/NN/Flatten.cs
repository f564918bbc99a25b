using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// Flattens dimensions <see cref="StartDim"/> to <see cref="EndDim"/> into one, like <c>nn.Flatten</c>; by
/// default everything but the batch dimension. Prints as <c>Flatten(start_dim=1, end_dim=-1)</c>.
/// </summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    /// <summary>First dimension flattened.</summary>
    public int StartDim { get; } = startDim;

    /// <summary>Last dimension flattened (negative counts from the end).</summary>
    public int EndDim { get; } = endDim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        // Wrap first so a 0-d or 1-d input fails with PyTorch's "Dimension out of range" as torch.flatten does.
        int s = ShapeHelper.WrapDim(StartDim, input.Dim), e = ShapeHelper.WrapDim(EndDim, input.Dim);
        return input.Flatten(s, e);
    }

    /// <inheritdoc/>
    public override string ExtraRepr() => $"start_dim={StartDim}, end_dim={EndDim}";
}
