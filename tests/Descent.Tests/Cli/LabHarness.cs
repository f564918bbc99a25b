using System.Xml.Linq;

namespace Descent.Tests.Cli;

/// <summary>Runs <c>descent</c> verbs in-process with captured output, and reads what they wrote.</summary>
internal static class LabHarness
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Runs the CLI with <paramref name="args"/>; returns the exit code, stdout and stderr.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var (previousOut, previousErr) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            int code = Descent.Cli.Cli.Main(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousErr);
        }
    }

    /// <summary>Runs a verb into a fresh temporary <c>--out</c> folder and asserts success; returns the folder.</summary>
    public static string RunInto(string verb, params string[] extra)
    {
        string dir = TempDir(verb);
        var (code, stdout, err) = Run([verb, "--out", dir, .. extra]);
        Xunit.Assert.True(code == 0, $"descent {verb} exited {code}: {err}\n{stdout}");
        Xunit.Assert.Equal("", err);
        Xunit.Assert.True(File.Exists(Path.Combine(dir, "report.html")), "report.html missing");
        return dir;
    }

    // One folder per test process, so runs do not pile up output in /tmp: removed at exit where the host lets that
    // run, and otherwise by the next run, which clears folders of processes that are gone.
    private static readonly Lazy<string> Root = new(() =>
    {
        string parent = Path.Combine(Path.GetTempPath(), "descent-lab-tests");
        string root = Path.Combine(parent, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Directory.Exists(parent))
            foreach (var stale in Directory.GetDirectories(parent))
                if (int.TryParse(Path.GetFileName(stale), out int pid) && pid != Environment.ProcessId && !IsRunning(pid))
                {
                    try { Directory.Delete(stale, recursive: true); }
                    catch (IOException) { }
                    catch (UnauthorizedAccessException) { }
                }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        };
        return root;
    });

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A new empty folder under the system temp folder.</summary>
    public static string TempDir(string tag)
    {
        string dir = Path.Combine(Root.Value, tag + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Parses an SVG file (it must be well-formed XML).</summary>
    public static XDocument LoadSvg(string path)
    {
        Xunit.Assert.True(File.Exists(path), $"{Path.GetFileName(path)} missing");
        var doc = XDocument.Load(path);
        Xunit.Assert.Equal(Svg + "svg", doc.Root!.Name);
        return doc;
    }

    /// <summary>The legend's labels, in order: one per labelled series.</summary>
    public static string[] LegendLabels(XDocument svg) =>
        svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "legend")
            .SelectMany(g => g.Elements(Svg + "text")).Select(t => t.Value).ToArray();

    /// <summary>The data rows of a CSV file (header excluded), each split on commas (the lab quotes no numbers).</summary>
    public static string[][] CsvRows(string path, out string[] header)
    {
        var lines = File.ReadAllLines(path);
        header = lines[0].Split(',');
        return lines.Skip(1).Select(l => l.Split(',')).ToArray();
    }

    /// <summary>Parses report.html as XML (the report writer promises well-formed XHTML).</summary>
    public static XDocument LoadReport(string dir) => XDocument.Load(Path.Combine(dir, "report.html"));
}
