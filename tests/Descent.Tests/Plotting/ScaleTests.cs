using Descent.Plotting;
using Xunit;

namespace Descent.Tests.Plotting;

public class ScaleTests
{
    [Fact]
    public void LinearMapsBothWays()
    {
        Scale s = Scale.Linear(0, 10, 100, 200);
        Assert.Equal(100, s.Map(0));
        Assert.Equal(150, s.Map(5));
        Assert.Equal(200, s.Map(10));
        Assert.Equal(250, s.Map(15)); // extrapolates
        Assert.Equal(5, s.Invert(150));
        Assert.Equal(-5, s.Invert(50));
    }

    [Fact]
    public void InvertedRangeForYAxis()
    {
        Scale s = Scale.Linear(0, 1, 300, 100);
        Assert.Equal(250, s.Map(0.25));
        Assert.Equal(0.25, s.Invert(250));
    }

    [Fact]
    public void LogMapsDecadesEvenly()
    {
        Scale s = Scale.Log(1, 1000, 0, 300);
        Assert.Equal(0, s.Map(1), 9);
        Assert.Equal(100, s.Map(10), 9);
        Assert.Equal(200, s.Map(100), 9);
        Assert.Equal(300, s.Map(1000), 9);
        Assert.Equal(Math.Pow(10, 2.5), s.Invert(250), 9);
        Assert.Equal(1, s.Invert(0), 12);
    }

    [Fact]
    public void LogRejectsNonPositive()
    {
        Scale s = Scale.Log(0.01, 100, 400, 0);
        Assert.False(s.CanMap(0));
        Assert.False(s.CanMap(-1));
        Assert.False(s.CanMap(double.NaN));
        Assert.True(double.IsNaN(s.Map(0)));
        Assert.True(double.IsNaN(s.Map(-2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Scale.Log(0, 10, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Scale.Log(-1, 10, 0, 1));
    }

    [Fact]
    public void RoundTripsRandomValues()
    {
        var rng = new Random(3);
        Scale lin = Scale.Linear(-7.5, 12.25, 480, 20);
        Scale log = Scale.Log(1e-5, 1e3, 30, 700);
        for (int i = 0; i < 500; i++)
        {
            double v = -7.5 + (rng.NextDouble() * 19.75);
            Assert.Equal(v, lin.Invert(lin.Map(v)), 9);
            double p = 30 + (rng.NextDouble() * 670);
            Assert.Equal(p, log.Map(log.Invert(p)), 9);
        }
    }

    [Fact]
    public void DegenerateDomainMapsToMiddle()
    {
        Scale s = Scale.Linear(2, 2, 0, 100);
        Assert.Equal(50, s.Map(2));
        Assert.Equal(50, s.Map(7));
        Assert.Equal(2, s.Invert(13));
    }
}
