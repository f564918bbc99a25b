using Descent.Examples;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Examples;

/// <summary>
/// The RNN regression tutorial (examples/RnnRegression): its windows of sin and cos, the network's shapes, and the
/// whole 100-step run against PyTorch's losses for torch.manual_seed(1) (Golden/tutorials_rnn.json,
/// tests/golden/gen_tutorials_rnn.py). Seed-dependent, so in the generator's collection.
/// </summary>
[Collection("GlobalGenerator")]
public class RnnRegressionExampleTests
{
    [Fact]
    public void WindowsAreConsecutiveTenthsOfPiOfSinAndCos()
    {
        for (int step = 0; step < 3; step++)
        {
            var (x, y) = RnnRegression.Window(step);
            Assert.Equal([1, RnnRegression.TimeStep, 1], x.Shape);
            Assert.Equal([1, RnnRegression.TimeStep, 1], y.Shape);
            var xs = x.Reshape(-1).ToArray<float>();
            var ys = y.Reshape(-1).ToArray<float>();
            for (int i = 0; i < xs.Length; i++)
            {
                double t = (step + i / 10.0) * Math.PI;   // the end of a window is the start of the next, not in it
                Assert.Equal(Math.Sin(t), xs[i], 1e-6);
                Assert.Equal(Math.Cos(t), ys[i], 1e-6);
            }
        }
    }

    [Fact]
    public void NetPredictsEveryStepAndReturnsTheState()
    {
        Torch.ManualSeed(1);
        var net = new RnnRegression.Net();
        var (x, _) = RnnRegression.Window(0);
        var (prediction, h) = net.Forward(x, null);
        Assert.Equal([1, 10, 1], prediction.Shape);
        Assert.Equal([1, 1, 32], h.Shape);
        // Carrying the state on changes the prediction for the same window.
        var (again, _) = net.Forward(x, h);
        Assert.NotEqual(prediction.ToArray<float>(), again.ToArray<float>());
    }

    [Fact]
    public void LossCurveMatchesPyTorch()
    {
        var expected = GoldenJson.Numbers(GoldenJson.Load("tutorials_rnn.json").GetProperty("regression").GetProperty("losses"));
        Torch.ManualSeed(1);
        var seen = 0;
        var losses = RnnRegression.Fit(new RnnRegression.Net(), steps: expected.Length, lr: 0.02, onStep: (step, _) => seen++);
        Assert.Equal(expected.Length, seen);
        // Float32 rounding in another order is all that differs, but the state carried from window to window lets it
        // grow: measured 3e-6 relative over the first 10 steps, 6e-5 at worst (step 78; 5e-6 absolute), where PyTorch's
        // own float32 run is up to 2e-4 from its float64 run. The bound is |Δ| ≤ 2e-5·(1 + loss).
        GoldenJson.AssertClose(expected, losses, tol: 2e-5, what: "loss");
    }
}
