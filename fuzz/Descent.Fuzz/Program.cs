using System.Diagnostics;
using SharpFuzz;

namespace Descent.Fuzz;

/// <summary>
/// The afl-fuzz harness: <c>Descent.Fuzz TARGET</c> serves afl-fuzz through SharpFuzz (or, outside afl-fuzz, runs the
/// target once on standard input); <c>Descent.Fuzz TARGET --replay PATH...</c> runs saved inputs and reports
/// findings. See docs/fuzzing.md.
/// </summary>
public static class Program
{
    private const string Usage = """
        usage: Descent.Fuzz TARGET                        serve afl-fuzz (outside afl-fuzz: one input from stdin)
               Descent.Fuzz TARGET --replay [--quiet] [--timeout-ms N] PATH...
                                                          run input files (directories: every file in them) and
                                                          report findings; exit code 1 when there are any
               Descent.Fuzz --list                        the targets and their contracts
        """;

    public static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "--list")
        {
            foreach (var t in Targets.All.Values) Console.WriteLine($"{t.Name,-12} {t.Contract}");
            return 0;
        }
        if (args.Length == 0 || !Targets.All.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine(Usage);
            Console.Error.WriteLine($"targets: {string.Join(", ", Targets.All.Keys)}");
            return 2;
        }
        if (args.Length > 1 && args[1] == "--replay") return Replay(target, args[2..]);
        if (args.Length > 1)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        // The out-of-process server survives what kills a process (a stack overflow, afl-fuzz's kill on a hang) by
        // restarting the child that runs the inputs; any exception escaping the check is reported as a crash.
        Fuzzer.OutOfProcess.Run(stream =>
        {
            var input = new MemoryStream();
            stream.CopyTo(input);
            target.Check(input.ToArray());
        });
        return 0;
    }

    private static unsafe int Replay(Target target, string[] args)
    {
        // Instrumented code records each branch in afl-fuzz's coverage map; outside afl-fuzz it needs a map too.
        SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
        bool quiet = false;
        int timeoutMs = 10_000;
        var paths = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quiet") quiet = true;
            else if (args[i] == "--timeout-ms" && i + 1 < args.Length && int.TryParse(args[i + 1], out timeoutMs)) i++;
            else paths.Add(args[i]);
        }
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
                files.AddRange(Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories)
                    .Where(f => Path.GetFileName(f) != "README.txt").Order(StringComparer.Ordinal));
            else if (File.Exists(p)) files.Add(p);
            else
            {
                Console.Error.WriteLine($"{p}: no such file or directory");
                return 2;
            }
        }

        var counts = new Dictionary<Outcome, int>();
        var unique = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        int findings = 0;
        foreach (var file in files)
        {
            var input = File.ReadAllBytes(file);
            var clock = Stopwatch.StartNew();
            Outcome? outcome = null;
            Exception? error = null;
            // On a thread of its own, so that a hang is reported rather than waited for.
            var thread = new Thread(() =>
            {
                try { outcome = target.Check(input); }
                catch (Exception e) { error = e; }
            }, 256 << 20)
            { IsBackground = true };
            thread.Start();
            bool finished = thread.Join(timeoutMs);
            clock.Stop();
            string? finding = !finished ? $"hang: still running after {timeoutMs} ms"
                : error is not null ? $"{error.GetType().FullName}: {FirstLine(error.Message)}"
                : null;
            if (finding is null)
            {
                counts[outcome!.Value] = counts.GetValueOrDefault(outcome.Value) + 1;
                if (!quiet) Console.WriteLine($"{file}: {outcome.Value.ToString().ToLowerInvariant()} ({clock.ElapsedMilliseconds} ms)");
                continue;
            }
            findings++;
            string key = !finished ? "hang" : $"{error!.GetType().FullName} at {FirstFrame(error)}";
            if (!unique.TryGetValue(key, out var list)) unique[key] = list = [];
            list.Add(file);
            Console.WriteLine($"{file}: FINDING {finding}");
            if (error is not null && !quiet)
                foreach (var line in (error.StackTrace ?? "").Split('\n').Take(12)) Console.WriteLine("    " + line.TrimEnd());
            if (!finished) break; // the hung thread keeps its core; later timings would be meaningless
        }

        Console.WriteLine($"{files.Count} inputs: {counts.GetValueOrDefault(Outcome.Accepted)} accepted, "
            + $"{counts.GetValueOrDefault(Outcome.Refused)} refused, {counts.GetValueOrDefault(Outcome.Skipped)} skipped, "
            + $"{findings} findings ({unique.Count} unique)");
        foreach (var (key, list) in unique)
            Console.WriteLine($"  {key}: {list.Count} input(s), e.g. {list[0]}");
        return findings > 0 ? 1 : 0;
    }

    private static string FirstLine(string s) => s.Split('\n')[0];

    /// <summary>The innermost stack frame in Descent's own code, which tells findings apart.</summary>
    private static string FirstFrame(Exception e)
    {
        var frames = (e.StackTrace ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("at ", StringComparison.Ordinal)).ToList();
        var own = frames.FirstOrDefault(l => l.Contains(" Descent.", StringComparison.Ordinal) && !l.Contains("Descent.Fuzz.", StringComparison.Ordinal));
        string frame = own ?? frames.FirstOrDefault() ?? "at ?";
        int inAt = frame.IndexOf(" in ", StringComparison.Ordinal);
        return (inAt > 0 ? frame[..inAt] : frame)[3..];
    }
}
