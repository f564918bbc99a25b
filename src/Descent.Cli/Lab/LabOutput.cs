using System.Globalization;
using Descent.IO;
using Descent.Plotting;

namespace Descent.Cli.Lab;

/// <summary>
/// A verb's output folder (<c>--out DIR</c>, default <c>./descent-out/&lt;verb&gt;</c>) and the files written to it,
/// so the verb can list them at the end.
/// </summary>
internal sealed class LabOutput
{
    private readonly List<string> written = [];

    private LabOutput(string directory) => Directory = directory;

    /// <summary>The folder, as an absolute path.</summary>
    public string Directory { get; }

    /// <summary>The file names written so far, in order.</summary>
    public IReadOnlyList<string> Written => written;

    /// <summary>
    /// Reads <c>--out</c> (or the default for <paramref name="verb"/>). The folder is created with the first file,
    /// so a command line rejected later leaves nothing behind.
    /// </summary>
    public static LabOutput FromArgs(CliArgs args, string verb)
    {
        string dir = args.String("out") ?? Path.Combine("descent-out", verb);
        string full = Path.GetFullPath(dir);
        if (File.Exists(full)) throw new CliException($"--out {dir} is a file, not a folder");
        return new LabOutput(full);
    }

    /// <summary>The full path of <paramref name="fileName"/> in the folder, creating the folder if needed.</summary>
    public string PathOf(string fileName)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return Path.Combine(Directory, fileName);
    }

    /// <summary>Saves a chart as SVG.</summary>
    public void Save(Chart chart, string fileName)
    {
        chart.Save(PathOf(fileName));
        written.Add(fileName);
    }

    /// <summary>Saves the HTML report as <c>report.html</c>.</summary>
    public void Save(HtmlReport report)
    {
        report.Save(PathOf("report.html"));
        written.Add("report.html");
    }

    /// <summary>Saves a text file (CSV, JSON) as UTF-8 without a byte-order mark, atomically like the plots.</summary>
    public void SaveText(string fileName, string content)
    {
        AtomicFile.WriteAllText(PathOf(fileName), content);
        written.Add(fileName);
    }

    /// <summary>Prints where the files went: the folder, then the file names on one line.</summary>
    public void PrintSummary(LabConsole console)
    {
        console.Line($"wrote {written.Count} files to {Directory}: {string.Join(", ", written)}");
        console.Line($"open {PathOf("report.html")}");
    }

    /// <summary>Formats a number for CSV/JSON: shortest round-trip form, invariant culture; empty for NaN.</summary>
    public static string Number(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);
}
