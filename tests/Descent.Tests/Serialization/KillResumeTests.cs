using System.Diagnostics;
using Descent.Cli.Experiments;
using Descent.Optim;
using Descent.Serialization;
using Xunit;
using Xunit.Abstractions;

namespace Descent.Tests.Serialization;

/// <summary>
/// Out of process: <c>descent checkpoint-train</c> is killed at random moments many times and resumed from its last
/// checkpoint each time; the final weights must be bit-identical to an uninterrupted run, and every checkpoint file
/// seen on disk (polled continuously while the trainer runs and dies) must load completely.
/// </summary>
public class KillResumeTests(ITestOutputHelper output)
{
    // Long enough that the kills (each after at most 30 checkpoints, 600 steps) never reach the end, however fast a
    // step is: the run takes seconds; the kills, even when the output they wait for lags, land within its first third.
    private const int Steps = 120000, Every = 20, Kills = 15;

    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "Descent.Cli.dll");

    private static Process Start(string dir, Action<string>? onLine = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { CliDll, "checkpoint-train", "--dir", dir, "--steps", $"{Steps}", "--every", $"{Every}" }) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine?.Invoke(e.Data); };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static void RunToEnd(string dir)
    {
        using var p = Start(dir);
        Assert.True(p.WaitForExit(60_000), "trainer did not finish");
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    [Trait("Category", "Timing")]
    public async Task KilledAndResumedTrainingEndsBitIdenticalToAnUninterruptedRun()
    {
        var root = Path.Combine(Path.GetTempPath(), $"descent-killresume-{Guid.NewGuid():N}");
        string clean = Path.Combine(root, "clean"), killed = Path.Combine(root, "killed");
        var clock = Stopwatch.StartNew();
        int checkedFiles = 0, kills = 0;
        try
        {
            RunToEnd(clean);
            Directory.CreateDirectory(killed);
            string ckpt = Path.Combine(killed, "ckpt.pt");
            using var stop = new CancellationTokenSource();
            var failures = new List<string>();
            // Every checkpoint that is visible on disk must be complete and loadable, at any moment.
            var watcher = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        Thread.Sleep(1);
                        if (!File.Exists(ckpt)) continue;
                        var net = new TutorialNet();
                        var info = Checkpoint.Load(ckpt, net, new Adam(net.Parameters(), lr: 0.01), restoreRng: false);
                        if (info.Epoch is not long s || s % Every != 0) lock (failures) failures.Add($"odd step {info.Epoch}");
                        Interlocked.Increment(ref checkedFiles);
                    }
                    catch (FileNotFoundException) { }
                    catch (Exception e) { lock (failures) failures.Add(e.GetType().Name + ": " + e.Message); }
                }
            });
            var rng = new Random(99);
            long lastStep = 0;
            while (kills < Kills)
            {
                // Kill after a random number of fresh checkpoints, plus a few ms so some kills land mid-save.
                int target = rng.Next(1, 30), seen = 0;
                using var reached = new ManualResetEventSlim();
                using var p = Start(killed, line =>
                {
                    if (line.StartsWith("step ", StringComparison.Ordinal) && Interlocked.Increment(ref seen) >= target) reached.Set();
                });
                if (!reached.Wait(30_000)) Assert.Fail("trainer made no progress");
                Thread.Sleep(rng.Next(0, 8));
                if (p.HasExited) break; // finished before this kill
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                kills++;
                if (File.Exists(ckpt))
                {
                    var net = new TutorialNet();
                    long step = Checkpoint.Load(ckpt, net, new Adam(net.Parameters()), restoreRng: false).Epoch ?? 0;
                    Assert.True(step >= lastStep, "checkpoint went backwards");
                    lastStep = step;
                }
            }
            int staleBefore = Directory.GetFiles(killed, "*.tmp").Length;
            RunToEnd(killed);
            stop.Cancel();
            await watcher;
            Assert.Empty(failures);
            // Bit-identical weights, hence byte-identical files (same archive name, same pickle).
            Assert.Equal(File.ReadAllBytes(Path.Combine(clean, "final.pt")), File.ReadAllBytes(Path.Combine(killed, "final.pt")));
            Assert.True(kills >= 10, $"only {kills} kills landed before training finished");
            // Temporaries of killed saves are removed by the next save to the same target: none is left at the end.
            Assert.Empty(Directory.GetFiles(killed, "*.tmp"));
            output.WriteLine($"{kills} kills, last checkpoint before the final run at step {lastStep}, {checkedFiles} checkpoint reads while running, {staleBefore} temporaries left by the last kill, {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
