using System.Buffers.Binary;
using System.IO.Compression;

namespace Descent.Tests.Cli;

/// <summary>
/// A minimal PNG decoder for screenshots: 8-bit greyscale, grey+alpha, RGB or RGBA, not interlaced. Reads IHDR,
/// joins the IDAT chunks, inflates them (zlib) and undoes the per-row filters (None, Sub, Up, Average, Paeth).
/// </summary>
internal sealed class PngImage
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

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
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature)) throw new InvalidDataException("not a PNG file");
        int width = 0, height = 0, colorType = -1;
        var idat = new MemoryStream();
        for (int pos = 8; pos + 12 <= png.Length;)
        {
            int length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos)));
            string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                width = (int)BinaryPrimitives.ReadUInt32BigEndian(data);
                height = (int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
                if (data[8] != 8) throw new NotSupportedException($"bit depth {data[8]}");
                colorType = data[9];
                if (data[12] != 0) throw new NotSupportedException("interlaced PNG");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            pos += 12 + length;
        }
        int channels = colorType switch
        {
            0 => 1,
            2 => 3,
            4 => 2,
            6 => 4,
            _ => throw new NotSupportedException($"PNG colour type {colorType}"),
        };
        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflater.CopyTo(raw);
        var bytes = raw.ToArray();
        int stride = width * channels;
        if (bytes.Length < height * (stride + 1)) throw new InvalidDataException("PNG image data is truncated");
        var pixels = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            int filter = bytes[y * (stride + 1)];
            var src = bytes.AsSpan(y * (stride + 1) + 1, stride);
            var row = pixels.AsSpan(y * stride, stride);
            var prior = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : default;
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? row[i - channels] : 0;
                int b = y > 0 ? prior[i] : 0;
                int c = i >= channels && y > 0 ? prior[i - channels] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                };
                row[i] = (byte)(src[i] + predictor);
            }
        }
        var rgb = new byte[width * height * 3];
        for (int p = 0; p < width * height; p++)
        {
            int o = p * channels;
            (int r, int g, int b, int alpha) = channels switch
            {
                1 => (pixels[o], pixels[o], pixels[o], 255),
                2 => (pixels[o], pixels[o], pixels[o], pixels[o + 1]),
                3 => (pixels[o], pixels[o + 1], pixels[o + 2], 255),
                _ => (pixels[o], pixels[o + 1], pixels[o + 2], pixels[o + 3]),
            };
            rgb[3 * p] = Over(r, alpha);
            rgb[3 * p + 1] = Over(g, alpha);
            rgb[3 * p + 2] = Over(b, alpha);
        }
        return new PngImage(width, height, rgb);
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

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte Over(int v, int alpha) => (byte)((v * alpha + 255 * (255 - alpha) + 127) / 255);
}
