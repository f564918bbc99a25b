using Xunit;

namespace Descent.Tests.Cli;

/// <summary>
/// A test that needs headless Chromium. Skipped on a developer machine without it; on CI (<c>CI</c> set) it is
/// never skipped, so a missing browser fails the run instead of silently dropping the check.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Find() is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = "chromium is not installed (apt-get install chromium); required when CI is set";
    }
}

/// <summary>Locates and runs headless Chromium.</summary>
internal static class Chromium
{
    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    /// <summary>The browser's path on PATH, or null.</summary>
    public static string? Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in Names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
