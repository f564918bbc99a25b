using System.Diagnostics;
using Xunit;

namespace Descent.Tests.Cli;

/// <summary>A report opened in a real browser (headless Chromium) shows something: charts in colour, not a blank page.</summary>
[Collection("Console")]
public class ReportScreenshotTests
{
    [ChromiumFact]
    public void CompareReportRendersInChromium()
    {
        string browser = Chromium.Find() ?? throw new InvalidOperationException(
            "chromium is not installed but CI is set: the report screenshot check needs it (apt-get install chromium)");
        string dir = LabHarness.RunInto("compare", "--epochs", "2");
        string png = Path.Combine(dir, "report.png");
        var start = new ProcessStartInfo(browser)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--force-prefers-reduced-motion",
            $"--user-data-dir={Path.Combine(dir, "chromium-profile")}", $"--screenshot={png}", "--window-size=1200,1600",
            new Uri(Path.Combine(dir, "report.html")).AbsoluteUri,
        })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        // Read both streams so a chatty browser cannot block on a full pipe.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(20_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish the screenshot within 20 s");
        }
        Assert.True(File.Exists(png), $"no screenshot; chromium exited {process.ExitCode}: {stderr.Result}{stdout.Result}");

        var image = PngImage.Load(png);
        Assert.Equal(1200, image.Width);
        Assert.Equal(1600, image.Height);
        double nonWhite = image.NonWhiteFraction(), coloured = image.ColouredFraction(), variance = image.LuminanceVariance();
        Assert.True(nonWhite > 0.02, $"page looks blank: {nonWhite:P2} non-white pixels");
        Assert.True(coloured > 0.002, $"no coloured chart lines: {coloured:P3} coloured pixels");
        Assert.True(variance > 100, $"page has almost no contrast: luminance variance {variance:F1}");
    }

    [Fact]
    public void PngDecoderUndoesEveryFilter()
    {
        // 3×2 RGB image: row 0 with Sub, row 1 with Paeth; then the same image with Up/Average.
        byte[] pixels = [10, 20, 30, 40, 50, 60, 70, 80, 90, 15, 25, 35, 45, 55, 65, 75, 85, 95];
        foreach (var filters in new[] { new byte[] { 1, 4 }, [2, 3], [0, 2] })
        {
            var image = PngImage.Decode(Png(3, 2, pixels, filters));
            Assert.Equal(pixels, image.Rgb);
        }
    }

    private static byte[] Png(int width, int height, byte[] rgb, byte[] filters)
    {
        int stride = width * 3;
        var raw = new List<byte>();
        for (int y = 0; y < height; y++)
        {
            raw.Add(filters[y]);
            for (int i = 0; i < stride; i++)
            {
                int a = i >= 3 ? rgb[y * stride + i - 3] : 0;
                int b = y > 0 ? rgb[(y - 1) * stride + i] : 0;
                int c = i >= 3 && y > 0 ? rgb[(y - 1) * stride + i - 3] : 0;
                int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                int predictor = filters[y] switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    _ => pa <= pb && pa <= pc ? a : pb <= pc ? b : c,
                };
                raw.Add((byte)(rgb[y * stride + i] - predictor));
            }
        }
        var z = new MemoryStream();
        using (var zl = new System.IO.Compression.ZLibStream(z, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            zl.Write(raw.ToArray());
        var png = new List<byte> { 137, 80, 78, 71, 13, 10, 26, 10 };
        void Chunk(string type, byte[] data)
        {
            png.AddRange([(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length]);
            png.AddRange(System.Text.Encoding.ASCII.GetBytes(type));
            png.AddRange(data);
            png.AddRange([0, 0, 0, 0]); // CRC: not checked by the decoder
        }
        Chunk("IHDR", [0, 0, 0, (byte)width, 0, 0, 0, (byte)height, 8, 2, 0, 0, 0]);
        Chunk("IDAT", z.ToArray());
        Chunk("IEND", []);
        return png.ToArray();
    }
}
