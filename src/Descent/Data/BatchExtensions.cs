using Descent.Tensors;

namespace Descent.Data;

/// <summary>
/// Lets a batch unpack like a Python tuple: <c>foreach (var (bx, by) in loader)</c>, as
/// <c>for b_x, b_y in loader:</c> does.
/// </summary>
public static class BatchExtensions
{
    /// <summary>Unpacks a batch of two fields (input and target).</summary>
    /// <exception cref="ArgumentException">The batch does not have exactly two fields.</exception>
    public static void Deconstruct(this Tensor[] batch, out Tensor first, out Tensor second)
    {
        if (batch.Length != 2) throw new ArgumentException($"too many values to unpack (expected 2, got {batch.Length})");
        (first, second) = (batch[0], batch[1]);
    }

    /// <summary>Unpacks a batch of three fields.</summary>
    /// <exception cref="ArgumentException">The batch does not have exactly three fields.</exception>
    public static void Deconstruct(this Tensor[] batch, out Tensor first, out Tensor second, out Tensor third)
    {
        if (batch.Length != 3) throw new ArgumentException($"too many values to unpack (expected 3, got {batch.Length})");
        (first, second, third) = (batch[0], batch[1], batch[2]);
    }
}
