using Descent.Tensors;
using Xunit;

namespace Descent.Tests;

/// <summary>
/// Whether Descent's <see cref="Generator"/> reproduces PyTorch's CPU generator: torch.manual_seed(1);
/// torch.rand(1) is 0.7576316. Tests of seed-dependent values against PyTorch run only when it does, so they
/// turn themselves on when the PyTorch-exact generator replaces the System.Random stand-in.
/// </summary>
internal static class PyTorchGenerator
{
    public const string SkipReason = "needs PyTorch's generator (Generator is still the System.Random stand-in)";

    public static readonly bool Available = Check();

    private static bool Check()
    {
        try
        {
            var t = Tensor.Rand([1], new Generator().ManualSeed(1));
            return t.Item<float>() == 0.757631599903106689453125f;
        }
        catch (Exception)
        {
            return false;
        }
    }
}

/// <summary>A fact about seed-dependent values that is skipped until the generator matches PyTorch's.</summary>
public sealed class SeededFactAttribute : FactAttribute
{
    public SeededFactAttribute()
    {
        if (!PyTorchGenerator.Available) Skip = PyTorchGenerator.SkipReason;
    }
}

/// <summary>A theory about seed-dependent values that is skipped until the generator matches PyTorch's.</summary>
public sealed class SeededTheoryAttribute : TheoryAttribute
{
    public SeededTheoryAttribute()
    {
        if (!PyTorchGenerator.Available) Skip = PyTorchGenerator.SkipReason;
    }
}
