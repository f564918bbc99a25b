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
}
