using Descent.Tensors;
using Descent.Text;

namespace Descent.NN;

public static partial class Functional
{
    /// <summary>
    /// Zeroes each element with probability <paramref name="p"/> and scales the rest by 1/(1 − p) while
    /// <paramref name="training"/>, like <c>F.dropout</c>; otherwise returns the input itself. As PyTorch's CPU
    /// kernel, the mask is <c>bernoulli_(1 − p)</c> drawn from the generator (the default one unless given) and
    /// divided by 1 − p, and the result is input × mask, so the same seed drops the same elements.
    /// </summary>
    /// <exception cref="ArgumentException">"dropout probability has to be between 0 and 1, but got {p}".</exception>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true, bool inplace = false, Generator? generator = null)
    {
        CheckDropoutProbability(p);
        if (p == 0 || !training || input.Numel == 0) return input;
        if (p == 1) return inplace ? input.Mul_(0.0) : input.Mul(0.0);
        Tensor.RequireFloat(input, "bernoulli_");
        var mask = Tensor.Empty(input.Shape);
        (generator ?? Generator.Default).FillBernoulli(mask.AsSpan<float>(), 1 - p);
        // The draws do not depend on the dtype, so a float64 mask is the float32 one converted.
        mask = mask.To(input.DType);
        mask.Div_(1 - p);
        return inplace ? input.Mul_(mask) : input.Mul(mask);
    }

    internal static void CheckDropoutProbability(double p)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {PyRepr.Float(p)}");
    }
}
