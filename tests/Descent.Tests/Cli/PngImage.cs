using StbImageSharp;

namespace Descent.Tests.Cli;

/// <summary>A screenshot's pixels (decoded by StbImageSharp) and the measures the report test asserts on.</summary>
internal sealed class PngImage
{
    private PngImage(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Pixels as R, G, B bytes, row by row (alpha composited over white).</summary>
    public byte[] Rgb { get; }

    public static PngImage Load(string path) => Decode(File.ReadAllBytes(path));

    public static PngImage Decode(byte[] png)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlueAlpha);
        int n = image.Width * image.Height;
        var rgb = new byte[3 * n];
        for (int p = 0; p < n; p++)
        {
            int alpha = image.Data[4 * p + 3];
            for (int c = 0; c < 3; c++) rgb[3 * p + c] = Over(image.Data[4 * p + c], alpha);
        }
        return new PngImage(image.Width, image.Height, rgb);
    }

    /// <summary>Fraction of pixels that are not (nearly) white.</summary>
    public double NonWhiteFraction()
    {
        int n = 0;
        for (int p = 0; p < Width * Height; p++)
            if (Rgb[3 * p] < 245 || Rgb[3 * p + 1] < 245 || Rgb[3 * p + 2] < 245) n++;
        return (double)n / (Width * Height);
    }

    /// <summary>Fraction of clearly coloured pixels (channels differ by more than 60): lines, fills, not text.</summary>
    public double ColouredFraction()
    {
        int n = 0;
        for (int p = 0; p < Width * Height; p++)
        {
            int r = Rgb[3 * p], g = Rgb[3 * p + 1], b = Rgb[3 * p + 2];
            if (Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)) > 60) n++;
        }
        return (double)n / (Width * Height);
    }

    /// <summary>Variance of the pixels' luminance (0–255 scale).</summary>
    public double LuminanceVariance()
    {
        double sum = 0, sq = 0;
        int count = Width * Height;
        for (int p = 0; p < count; p++)
        {
            double l = 0.299 * Rgb[3 * p] + 0.587 * Rgb[3 * p + 1] + 0.114 * Rgb[3 * p + 2];
            sum += l;
            sq += l * l;
        }
        double mean = sum / count;
        return sq / count - mean * mean;
    }

    private static byte Over(int v, int alpha) => (byte)((v * alpha + 255 * (255 - alpha) + 127) / 255);
}
