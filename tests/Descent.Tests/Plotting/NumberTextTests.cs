using Descent.Plotting;
using Xunit;

namespace Descent.Tests.Plotting;

public class NumberTextTests
{
    [Fact]
    public void NumberTextIsExactAndInvariant()
    {
        Assert.Equal("0.3", NumberText.Decimal(3, -1));
        Assert.Equal("-0.15", NumberText.Decimal(-15, -2));
        Assert.Equal("2000", NumberText.Decimal(2, 3));
        Assert.Equal("0.0005", NumberText.Decimal(5, -4));
        Assert.Equal("2.5e-5", NumberText.Scientific(25, -6));
        Assert.Equal("1e6", NumberText.Scientific(100, 4));
        Assert.Equal("0", NumberText.Coord(-0.001));
        Assert.Equal("12.35", NumberText.Coord(12.345));
        Assert.Equal("-3", NumberText.Coord(-3.0001));
        Assert.Equal("0.316", NumberText.Compact(0.31623));
        Assert.Equal("1.5e-5", NumberText.Compact(1.5e-5));
        Assert.Equal("1e5", NumberText.Compact(100000));
        Assert.Equal(0.3, NumberText.Scaled(3, -1));
    }
}
