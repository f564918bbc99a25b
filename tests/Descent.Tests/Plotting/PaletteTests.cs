using Descent.Plotting;
using Xunit;

namespace Descent.Tests.Plotting;

public class PaletteTests
{
    [Fact]
    public void OkabeItoOrderWithBlackLast()
    {
        Assert.Equal(
            ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000"],
            Palette.OkabeIto.Select(c => c.ToHex()));
    }

    [Fact]
    public void GetCycles()
    {
        Assert.Equal(Palette.Get(0), Palette.Get(8));
        Assert.Equal(Palette.Get(3), Palette.Get(19));
        Assert.Equal(Palette.Black, Palette.Get(-1));
        Assert.Equal([Palette.Orange, Palette.SkyBlue, Palette.Orange], Palette.ForClasses([0, 1, 8]));
    }

    [Fact]
    public void ColorParsesFormatsAndMixes()
    {
        Assert.Equal(new Color(0x12, 0xAB, 0xEF), Color.FromHex("#12abEF"));
        Assert.Equal(new Color(0xFF, 0x00, 0x88), Color.FromHex("f08"));
        Assert.Equal("#12abef", new Color(0x12, 0xAB, 0xEF).ToString());
        Assert.Throws<FormatException>(() => Color.FromHex("#12345"));
        Assert.Throws<FormatException>(() => Color.FromHex("#ggg"));
        Assert.Equal(new Color(128, 128, 128), Color.Black.Mix(Color.White, 0.5));
        Assert.Equal(Color.White, Color.Black.Mix(Color.White, 7));
    }

    [Fact]
    public void ColormapInterpolatesBetweenStops()
    {
        var map = new Colormap([Color.Black, Color.White]);
        Assert.Equal(Color.Black, map.At(0));
        Assert.Equal(Color.White, map.At(1));
        Assert.Equal(new Color(64, 64, 64), map.At(0.25));
        Assert.Equal(Color.Black, map.At(double.NaN));
        Assert.Equal("#440154", Colormap.Viridis.At(0).ToHex());
        Assert.Equal("#fde725", Colormap.Viridis.At(1).ToHex());
    }
}
