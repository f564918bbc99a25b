namespace Descent.Tensors;

/// <summary>Prints tensors as PyTorch does (placeholder until the full formatter lands).</summary>
internal static class TensorFormatter
{
    public static string Format(Tensor t) => $"tensor({string.Join(", ", t.Detach().To(DType.Float64).ToArray<double>())})";
}
