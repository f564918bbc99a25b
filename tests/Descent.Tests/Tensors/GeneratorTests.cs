using System.Text.Json;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Tensors;

/// <summary>
/// Bit-exact agreement of <see cref="Generator"/> with PyTorch 1.13's CPU
/// generator, against Golden/rng.json (tests/golden/gen_rng.py).
/// </summary>
[Collection("GlobalGenerator")]
public class GeneratorTests
{
    public static IEnumerable<object[]> RandnCases() => RngGolden.CaseNames(n => n.StartsWith("randn_", StringComparison.Ordinal));

    public static IEnumerable<object[]> SequenceCases() => RngGolden.CaseNames(n => !n.StartsWith("randn_", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(RandnCases))]
    public void RandnMatchesPyTorch(string name) => ReplayCase(name);

    [Theory]
    [MemberData(nameof(SequenceCases))]
    public void SequenceMatchesPyTorch(string name) => ReplayCase(name);

    private static void ReplayCase(string name)
    {
        JsonElement c = RngGolden.Case(name);
        // "default" (torch.manual_seed + global functions) and "explicit"
        // (torch.Generator + generator=g) are the same algorithm; a fresh
        // instance keeps tests independent of Generator.Default.
        var g = new Generator(c.GetProperty("seed").GetInt64());
        RngGolden.Replay(g, c.GetProperty("ops"), name);
    }
}
