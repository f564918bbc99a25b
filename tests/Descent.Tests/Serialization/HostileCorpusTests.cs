using System.Diagnostics;
using Descent.Serialization;
using Descent.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace Descent.Tests.Serialization;

/// <summary>
/// The hostile corpus (<see cref="HostileCorpus"/>): every file refused by the library with
/// <see cref="InvalidDataException"/> and a short message, within 2 s and 64× its size (+ 4 MiB) of allocation,
/// and by <c>descent replay --load-state</c> with one line on stderr and a non-zero exit.
/// </summary>
public class HostileCorpusTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(2);

    [Fact]
    public void CorpusCoversEveryClassWithSeveralHundredFiles()
    {
        var byClass = HostileCorpus.All().GroupBy(c => c.Class).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (cls, n) in byClass) output.WriteLine($"{cls}: {n}");
        Assert.True(byClass.Values.Sum() >= 400, $"{byClass.Values.Sum()} cases");
        string[] expected = ["deep-nesting", "quadratic-work", "flood", "wrapped-geometry", "grammar", "globals", "legacy-storage", "zip", "modules", "half-precision", "deflate"];
        Assert.Equal(expected.Order(), byClass.Keys.Order());
        Assert.All(byClass.Values, n => Assert.True(n >= 10));
    }

    [Fact]
    [Trait("Category", "Timing")]
    public async Task LibraryRefusesEveryHostileFileQuicklyWithinMemory()
    {
        var failures = new List<string>();
        var slowest = (Name: "", Ms: 0.0);
        long worstRatio = 0;
        string worstName = "";
        int n = 0;
        foreach (var c in HostileCorpus.All())
        {
            n++;
            Exception? error = null;
            long allocated = 0;
            var clock = Stopwatch.StartNew();
            var task = Task.Run(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    var obj = TorchFile.Load(new MemoryStream(c.Bytes));
                    error = new Exception("loaded");
                    _ = obj;
                }
                catch (Exception e) { error = e; }
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            });
            if (await Task.WhenAny(task, Task.Delay(PerCase)) != task) { failures.Add($"{c}: still running after {PerCase.TotalSeconds} s"); continue; }
            double ms = clock.Elapsed.TotalMilliseconds;
            if (ms > slowest.Ms) slowest = (c.ToString(), ms);
            if ((allocated - (4 << 20)) / c.Bytes.Length > worstRatio) (worstRatio, worstName) = ((allocated - (4 << 20)) / c.Bytes.Length, c.ToString());
            if (c.Loads)
            {
                if (error?.Message != "loaded") failures.Add($"{c}: a valid file was refused: {error?.Message}");
            }
            else if (error is not InvalidDataException ide) failures.Add($"{c}: {error?.GetType().Name}: {error?.Message}");
            else if (ide.Data.Contains(LoaderGuard.UnexpectedKey)) failures.Add($"{c}: a missed check: {ide.Message}");
            else if (ide.Message.Length > 600 || ide.Message.Contains('\n')) failures.Add($"{c}: message of {ide.Message.Length} characters");
            if (allocated > 64L * TorchFile.ContentLength(c.Bytes) + (4 << 20)) failures.Add($"{c}: allocated {allocated} bytes for {c.Bytes.Length}");
        }
        output.WriteLine($"{n} files; slowest {slowest.Name} {slowest.Ms:F0} ms; worst allocation beyond 4 MiB {worstRatio}x the file ({worstName})");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }

    [Fact]
    public void ReplayLoadStateRefusesEveryHostileFileInOneLine()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"descent-hostile-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string spec = Path.Combine(AppContext.BaseDirectory, "Golden", "conformance", "SGD.default.json");
            string outPath = Path.Combine(dir, "out.json");
            var failures = new List<string>();
            int n = 0;
            foreach (var c in HostileCorpus.All())
            {
                string path = Path.Combine(dir, $"case-{n++}.pt");
                File.WriteAllBytes(path, c.Bytes);
                var (code, stdout, err) = LabHarness.Run("replay", "--spec", spec, "--out", outPath, "--load-state", path);
                var lines = err.TrimEnd('\n').Split('\n');
                if (code == 0 || lines.Length != 1 || err.Contains("   at ", StringComparison.Ordinal) || File.Exists(outPath))
                    failures.Add($"{c}: exit {code}, {lines.Length} lines: {err[..Math.Min(err.Length, 300)]}");
                File.Delete(path);
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
