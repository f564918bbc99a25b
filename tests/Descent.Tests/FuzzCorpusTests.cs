using Descent.Fuzz;
using Xunit;

namespace Descent.Tests;

/// <summary>
/// Replays the committed fuzzing inputs — the seed corpora (fuzz/corpus/TARGET) and the regressions found by fuzzing
/// (fuzz/regressions/TARGET) — through the harness's own targets, so every reader keeps its contract on them: no
/// exception other than the documented one, no allocation beyond the budget, no hang. Long fuzzing runs are not part
/// of the test run; see docs/fuzzing.md.
/// </summary>
public class FuzzCorpusTests
{
    private static readonly TimeSpan PerInput = TimeSpan.FromSeconds(10);

    private static string Root => Path.Combine(AppContext.BaseDirectory, "FuzzCorpus");

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "corpus", "regressions" })
            foreach (var target in Targets.All.Keys)
            {
                var dir = Path.Combine(Root, kind, target);
                if (!Directory.Exists(dir)) continue;
                foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                    data.Add(target, Path.GetRelativePath(Root, file));
            }
        return data;
    }

    [Fact]
    public void EveryTargetHasSeeds()
    {
        foreach (var target in Targets.All.Keys)
            Assert.True(Directory.Exists(Path.Combine(Root, "corpus", target)) && Directory.EnumerateFiles(Path.Combine(Root, "corpus", target)).Any(),
                $"no seeds for the '{target}' target in fuzz/corpus/{target}");
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task CommittedInputKeepsTheContract(string target, string file)
    {
        var input = File.ReadAllBytes(Path.Combine(Root, file));
        Exception? error = null;
        var task = Task.Run(() =>
        {
            try { Targets.All[target].Check(input); }
            catch (Exception e) { error = e; }
        });
        Assert.True(await Task.WhenAny(task, Task.Delay(PerInput)) == task, $"{file}: the '{target}' target did not finish within {PerInput.TotalSeconds} s");
        if (error is not null) Assert.Fail($"{file}: {error.GetType().Name}: {error.Message}\n{error.StackTrace}");
    }

    [Fact]
    public void SeedsLoad()
    {
        // The seeds are valid files (the pickle target's data.pkl seeds name storages, which a bare pickle refuses):
        // a seed that no longer loads would leave the fuzzer starting from refusals.
        foreach (var target in new[] { "torch", "legacy", "safetensors", "idx", "replay-spec" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "corpus", target)))
                Assert.True(Targets.All[target].Check(File.ReadAllBytes(file)) == Outcome.Accepted, $"{file} no longer loads");
    }
}
