using System.Globalization;
using Descent.Plotting;
using Xunit;

namespace Descent.Tests.Plotting;

public class TicksTests
{
    [Fact]
    public void UnitRangeGivesFifths()
    {
        TickSet t = Ticks.Linear(0, 1);
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1], t.Values());
        Assert.Equal(["0", "0.2", "0.4", "0.6", "0.8", "1"], t.Labels());
        Assert.Equal(0, t.Min);
        Assert.Equal(1, t.Max);
    }

    [Fact]
    public void SmallPositiveRangeIsCoveredByRoundTicks()
    {
        TickSet t = Ticks.Linear(0.013, 0.87);
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1], t.Values());
        Assert.True(t.Min <= 0.013 && t.Max >= 0.87);
    }

    [Fact]
    public void RangeAcrossZeroUsesStepTwo()
    {
        TickSet t = Ticks.Linear(-3.2, 7.9);
        Assert.Equal([-4, -2, 0, 2, 4, 6, 8], t.Values());
        Assert.Equal(["-4", "-2", "0", "2", "4", "6", "8"], t.Labels());
    }

    [Fact]
    public void LabelsHaveNoFloatNoise()
    {
        TickSet t = Ticks.Linear(0, 0.35);
        Assert.Contains("0.3", t.Labels());
        Assert.Contains("0.15", t.Labels());
        foreach (Tick tick in t.Ticks)
        {
            Assert.True(tick.Label.Length <= 4, tick.Label);

            // The value is exactly the double nearest to the label.
            Assert.Equal(double.Parse(tick.Label, CultureInfo.InvariantCulture), tick.Value);
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.013, 0.87)]
    [InlineData(-3.2, 7.9)]
    [InlineData(1e-7, 3.3e-7)]
    [InlineData(12345, 12399)]
    [InlineData(-0.5, -0.49)]
    [InlineData(0, 7)]
    [InlineData(3, 4.5)]
    [InlineData(-1e9, 2e9)]
    public void ExpandedTicksCoverDataWithFourToEight(double min, double max)
    {
        TickSet t = Ticks.Linear(min, max);
        Assert.InRange(t.Ticks.Count, 4, 8);
        Assert.True(t.Min <= min && t.Max >= max, $"[{t.Min}, {t.Max}] must cover [{min}, {max}]");
        Assert.Equal(t.Min, t.Ticks[0].Value);
        Assert.Equal(t.Max, t.Ticks[^1].Value);
        double step = t.Ticks[1].Value - t.Ticks[0].Value;
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
        Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2.0, 5.0 });
        foreach (Tick tick in t.Ticks)
        {
            Assert.Equal(double.Parse(tick.Label, CultureInfo.InvariantCulture), tick.Value, Math.Abs(tick.Value) * 1e-12);
        }
    }

    [Fact]
    public void RandomRangesAlwaysGetFourToEightCoveringTicks()
    {
        var rng = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            double a = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-6, 7));
            double b = a + (rng.NextDouble() * Math.Pow(10, rng.Next(-6, 7)));
            TickSet t = Ticks.Linear(a, b);
            Assert.InRange(t.Ticks.Count, 4, 8);
            Assert.True(t.Min <= a && t.Max >= b);
        }
    }

    [Fact]
    public void HugeValuesUseScientificLabels()
    {
        TickSet t = Ticks.Linear(0, 5e6);
        Assert.Equal(["0", "1e6", "2e6", "3e6", "4e6", "5e6"], t.Labels());
        Assert.Equal(["0", "5e-5", "1e-4", "1.5e-4", "2e-4"], Ticks.Linear(0, 2e-4).Labels());
    }

    [Fact]
    public void FixedLimitsKeepTheLimitsAndPutTicksInside()
    {
        TickSet t = Ticks.Linear(0.05, 0.95, expand: false);
        Assert.Equal(0.05, t.Min);
        Assert.Equal(0.95, t.Max);
        Assert.Equal([0.2, 0.4, 0.6, 0.8], t.Values());
    }

    [Fact]
    public void DegenerateRangesAreWidened()
    {
        TickSet same = Ticks.Linear(5, 5);
        Assert.True(same.Min < 5 && same.Max > 5);
        Assert.InRange(same.Ticks.Count, 4, 8);

        TickSet zero = Ticks.Linear(0, 0);
        Assert.Equal(-1, zero.Min);
        Assert.Equal(1, zero.Max);

        TickSet none = Ticks.Linear(double.NaN, double.NaN);
        Assert.Equal(0, none.Min);
        Assert.Equal(1, none.Max);

        TickSet single = Ticks.Linear([42.0]);
        Assert.True(single.Min < 42 && single.Max > 42);
    }

    [Fact]
    public void NonFiniteValuesAreSkipped()
    {
        TickSet t = Ticks.Linear([1.0, double.NaN, 3.0, double.PositiveInfinity, double.NegativeInfinity]);
        Assert.Equal(Ticks.Linear(1, 3).Values(), t.Values());
        Assert.Equal(Ticks.Linear([]).Values(), Ticks.Linear([double.NaN]).Values());
    }

    [Fact]
    public void LogTicksAreDecades()
    {
        TickSet t = Ticks.Log(1e-4, 10);
        Assert.Equal(1e-4, t.Min);
        Assert.Equal(10, t.Max);
        var majors = t.Ticks.Where(x => x.IsMajor).ToList();
        Assert.Equal([1e-4, 1e-3, 1e-2, 0.1, 1, 10], majors.Select(x => x.Value));
        Assert.Equal(["1e-4", "1e-3", "1e-2", "1e-1", "1e0", "1e1"], majors.Select(x => x.Label)); // uniform once one needs it
        Assert.Equal(["0.001", "0.01", "0.1", "1", "10"], Ticks.Log(0.002, 7).Ticks.Where(x => x.IsMajor).Select(x => x.Label));

        // Five decades: unlabelled 2–9 minor ticks for the grid.
        Assert.All(t.Ticks.Where(x => !x.IsMajor), x => Assert.Equal("", x.Label));
        Assert.Equal(5 * 8, t.Ticks.Count(x => !x.IsMajor));
    }

    [Fact]
    public void NarrowLogRangeLabelsTwoAndFive()
    {
        TickSet t = Ticks.Log(2, 30);
        Assert.Equal(1, t.Min);
        Assert.Equal(100, t.Max);
        Assert.Equal([1, 2, 5, 10, 20, 50, 100], t.Values());
        Assert.Equal(["1", "2", "5", "10", "20", "50", "100"], t.Labels());
        Assert.Equal([true, false, false, true, false, false, true], t.Ticks.Select(x => x.IsMajor));
    }

    [Fact]
    public void LogSkipsNonPositiveAndNonFinite()
    {
        TickSet t = Ticks.Log([-1.0, 0.0, 0.5, double.NaN, 20.0, double.PositiveInfinity]);
        Assert.Equal(0.1, t.Min);
        Assert.Equal(100, t.Max);
        Assert.Equal(Ticks.Log(0.5, 20).Values(), t.Values());

        TickSet nothing = Ticks.Log([-3.0, 0.0]);
        Assert.Equal(1, nothing.Min);
        Assert.Equal(10, nothing.Max);
    }

    [Fact]
    public void LogSingleValueIsCovered()
    {
        TickSet t = Ticks.Log(3, 3);
        Assert.True(t.Min < 3 && t.Max > 3);
        Assert.True(t.Ticks.Count(x => x.Label.Length > 0) >= 2);
    }

    [Fact]
    public void VeryWideLogRangeStridesDecades()
    {
        TickSet t = Ticks.Log(1e-12, 1e12);
        var labelled = t.Ticks.Where(x => x.Label.Length > 0).ToList();
        Assert.InRange(labelled.Count, 2, 8);
        Assert.True(labelled[0].Value <= 1e-12 && labelled[^1].Value >= 1e12);
        Assert.Equal(t.Min, labelled[0].Value);
        Assert.Equal("1e-15", labelled[0].Label); // every 5th decade
    }

    [Fact]
    public void FixedLogRangeWithoutDecadeFallsBackToLinearTicks()
    {
        TickSet t = Ticks.Log(3, 7, expand: false);
        Assert.Equal(3, t.Min);
        Assert.Equal(7, t.Max);
        Assert.True(t.Ticks.Count >= 2);
        Assert.All(t.Ticks, x => Assert.InRange(x.Value, 3, 7));
    }
}
