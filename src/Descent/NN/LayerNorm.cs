using Descent.Tensors;
using Descent.Text;

namespace Descent.NN;

/// <summary>
/// Layer normalisation over the trailing dimensions <see cref="NormalizedShape"/>, like <c>nn.LayerNorm</c>, with
/// an elementwise <c>weight</c> (ones) and <c>bias</c> (zeros) of that shape. Prints as
/// <c>LayerNorm((4,), eps=1e-05, elementwise_affine=True)</c>.
/// </summary>
public sealed class LayerNorm : Module
{
    /// <summary>
    /// Creates the layer; <paramref name="bias"/> false (PyTorch 2.1's argument) keeps the weight and drops the bias.
    /// </summary>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        var shape = (int[])normalizedShape.Clone();
        NormalizedShape = shape;
        Eps = eps;
        ElementwiseAffine = elementwiseAffine;
        Weight = RegisterParameter("weight", elementwiseAffine ? Parameter.Create(Tensor.Ones(shape)) : null);
        Bias = RegisterParameter("bias", elementwiseAffine && bias ? Parameter.Create(Tensor.Zeros(shape)) : null);
    }

    /// <summary>A layer normalising the last dimension, of size <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true)
        : this([normalizedShape], eps, elementwiseAffine, bias) { }

    /// <summary>The trailing dimensions normalised over.</summary>
    public IReadOnlyList<int> NormalizedShape { get; }

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <summary>Whether there is a weight (and a bias unless it was turned off).</summary>
    public bool ElementwiseAffine { get; }

    /// <summary>The elementwise scale, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The elementwise shift, or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Resets weight to ones and bias to zeros, like <c>reset_parameters</c>.</summary>
    public void ResetParameters()
    {
        if (Weight is not null) Init.Ones_(Weight);
        if (Bias is not null) Init.Zeros_(Bias);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, [.. NormalizedShape], Weight, Bias, Eps);

    /// <inheritdoc/>
    public override string ExtraRepr() =>
        $"({string.Join(", ", NormalizedShape)}{(NormalizedShape.Count == 1 ? "," : "")}), eps={PyRepr.Float(Eps)}, elementwise_affine={PyRepr.Bool(ElementwiseAffine)}";
}
