using Descent.Examples;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Examples;

/// <summary>
/// The float64 L-BFGS least-squares example gives PyTorch 1.13's numbers (Golden/least_squares.json,
/// tests/golden/gen_least_squares.py): the loss each step returns and the final coefficients, through the
/// strong-Wolfe line search, in double precision.
/// </summary>
public class LeastSquaresExampleTests
{
    [Fact]
    public void MatchesPyTorchInFloat64()
    {
        var golden = GoldenJson.Load("least_squares.json");
        var expected = GoldenJson.Numbers(golden.GetProperty("losses"));
        var (losses, w) = LeastSquares.Fit(expected.Length);
        Assert.Equal(DType.Float64, w.DType);
        // Float64 throughout: what is left is the order of the sums in the matrix products; after six line-searched
        // steps the losses differ in the 16th digit (measured: 7e-16 relative).
        GoldenJson.AssertClose(expected, losses, 1e-12, "loss");
        var actual = w.ToArray<double>();
        GoldenJson.AssertClose(GoldenJson.Numbers(golden.GetProperty("w")), actual, 1e-12, "w");
        // And the fit is the least-squares solution to the accuracy L-BFGS stopped at (tolerance_change 1e-9).
        GoldenJson.AssertClose(GoldenJson.Numbers(golden.GetProperty("lstsq")), actual, 1e-4, "lstsq");
    }
}
