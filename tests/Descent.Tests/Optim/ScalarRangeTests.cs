using Descent.Optim;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>
/// Hyperparameters at the edges of their ranges, as PyTorch 1.13 and current PyTorch treat them: SGD checks with
/// <c>&lt;</c> (NaN passes) and passes −lr, weight_decay, 1 − dampening and Nesterov's momentum to float32 ops as
/// <c>alpha</c>, which c10's <c>checked_convert</c> refuses past float32's range; LBFGS's default max_eval is
/// <c>max_iter * 5 // 4</c> in Python integers.
/// </summary>
public class ScalarRangeTests
{
    private static Tensor Param() => Tensor.FromArray(new float[] { 1, -2 }).RequiresGrad_();

    private static void Step(Optimizer o, Tensor p, float g = 1)
    {
        p.Grad = Tensor.FromArray(new[] { g, g });
        o.Step();
    }

    [Fact]
    public void SgdWithNaNMomentumRunsAndTurnsNaNAfterItsFirstStep()
    {
        var p = Param();
        var sgd = new SGD([p], lr: 0.5, momentum: double.NaN);
        Step(sgd, p);
        Assert.Equal([0.5f, -2.5f], p.ToArray()); // the first step only copies the gradient into the buffer
        Step(sgd, p);
        Assert.All(p.ToArray(), v => Assert.True(float.IsNaN(v)));
    }

    [Theory]
    [InlineData(1e308, 0.0, 0.0, false, 1)]     // −lr
    [InlineData(-1e39, 0.0, 0.0, false, 1)]     // a NaN-free negative lr is refused by the constructor, see below
    [InlineData(0.1, 1e39, 0.0, false, 1)]      // weight_decay
    [InlineData(0.1, 0.0, -1e39, false, 2)]     // 1 − dampening, once the momentum buffer exists
    public void SgdRefusesAnAlphaPastFloat32WhenPyTorchDoes(double lr, double weightDecay, double dampening, bool nesterov, int failingStep)
    {
        var p = Param();
        if (lr < 0)
        {
            Assert.Equal("Invalid learning rate: -1e+39", Assert.Throws<ArgumentOutOfRangeException>(() => new SGD([p], lr: lr)).Message);
            return;
        }
        var sgd = new SGD([p], lr: lr, momentum: 0.9, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov);
        for (int step = 1; step < failingStep; step++) Step(sgd, p);
        var e = Assert.Throws<OverflowException>(() => Step(sgd, p));
        Assert.Equal("value cannot be converted to type float without overflow", e.Message);
    }

    [Fact]
    public void SgdTakesInfinitiesAndTheLargestFloatAsTheyAre()
    {
        // checked_convert lets infinities through; 3.4028234663852886e38 is float32's largest value.
        var p = Param();
        Step(new SGD([p], lr: double.PositiveInfinity), p);
        Assert.Equal([float.NegativeInfinity, float.NegativeInfinity], p.ToArray());
        p = Param();
        Step(new SGD([p], lr: float.MaxValue), p, 0.5f);
        Assert.Equal([-float.MaxValue / 2, -float.MaxValue / 2], p.ToArray());
    }

    [Theory]
    [InlineData(20, 25)]
    [InlineData(int.MaxValue, int.MaxValue)] // Python: 2684354558, past int
    [InlineData(-1, -2)]                     // Python's floor division: -5 // 4 == -2
    public void LbfgsDefaultMaxEvalIsMaxIterTimesFiveFloorDivFour(int maxIter, int maxEval) =>
        Assert.Equal(maxEval, new LBFGS([Param()], maxIter: maxIter).ParamGroups[0].GetInt("max_eval"));
}
