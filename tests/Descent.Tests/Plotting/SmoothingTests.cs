using Descent.Plotting;
using Xunit;

namespace Descent.Tests.Plotting;

public class SmoothingTests
{
    [Fact]
    public void EmaIsDebiased()
    {
        double[] s = Smoothing.Ema([1.0, 2.0], 0.5);
        Assert.Equal(1, s[0], 12);
        Assert.Equal(1.25 / 0.75, s[1], 12);

        // A constant series stays constant from the first value (no pull towards zero).
        Assert.All(Smoothing.Ema(Enumerable.Repeat(3.5, 50).ToArray(), 0.99), v => Assert.Equal(3.5, v, 10));
    }

    [Fact]
    public void EmaWithZeroWeightIsIdentityAndPassesNonFiniteThrough()
    {
        double[] input = [3, 1, 4, 1, 5];
        Assert.Equal(input, Smoothing.Ema(input, 0));

        double[] withNaN = Smoothing.Ema([1.0, double.NaN, 1.0, double.PositiveInfinity, 1.0], 0.9);
        Assert.True(double.IsNaN(withNaN[1]));
        Assert.Equal(double.PositiveInfinity, withNaN[3]);
        Assert.Equal(1, withNaN[2], 12);
        Assert.Equal(1, withNaN[4], 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Smoothing.Ema(input, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Smoothing.Ema(input, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Smoothing.Ema(input, double.NaN));
    }

    [Fact]
    public void MovingAverageIsTrailing()
    {
        Assert.Equal([1, 1.5, 2.5, 3.5, 4.5], Smoothing.MovingAverage([1.0, 2, 3, 4, 5], 2));
        Assert.Equal([1, 1.5, 2], Smoothing.MovingAverage([1.0, 2, 3], 10));
        Assert.Equal([2, 2, 4, 3], Smoothing.MovingAverage([2.0, double.NaN, 4, 2], 2));
        Assert.True(double.IsNaN(Smoothing.MovingAverage([double.NaN, double.NaN, 1.0], 2)[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Smoothing.MovingAverage([1.0], 0));
    }

    [Fact]
    public void MovingAverageMatchesNaiveOnLongNoisySeries()
    {
        var rng = new Random(11);
        double[] values = Enumerable.Range(0, 5000).Select(i => i % 97 == 0 ? double.NaN : (rng.NextDouble() * 1e6) - 5e5).ToArray();
        int window = 37;
        double[] fast = Smoothing.MovingAverage(values, window);
        for (int i = 0; i < values.Length; i++)
        {
            var win = values.Skip(Math.Max(0, i - window + 1)).Take(Math.Min(window, i + 1)).Where(double.IsFinite).ToList();
            if (win.Count == 0)
            {
                Assert.True(double.IsNaN(fast[i]));
            }
            else
            {
                Assert.Equal(win.Average(), fast[i], 1e-6);
            }
        }
    }
}
