using Descent.Optim.Kernels;
using Xunit;
using static Descent.Tests.Optim.KernelTestData;

namespace Descent.Tests.Optim;

/// <summary>
/// Every vectorised optimizer kernel against its scalar reference, bit for bit: each option set, on random data of
/// awkward lengths, at every vector width this machine runs (512, 256 and the scalar fallback), including the scalar
/// tails. Inputs span many binades and include exact zeros, so rounding differences cannot hide.
/// </summary>
public class FastKernelTests
{
    public static readonly int[] Lengths = [0, 1, 15, 16, 17, 1000, 100003];

    /// <summary>A kernel call over buffers (param first); the same call is made with the reference and the fast kernel.</summary>
    public sealed record Case(string Name, Fill[] Buffers, Action<float[][]> Reference, Action<float[][]> Fast);

    private static readonly Dictionary<string, Case> Table = BuildCases().ToDictionary(c => c.Name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Table.Keys) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void FastKernelMatchesReferenceBitForBit(string name)
    {
        var c = Table[name];
        foreach (int n in Lengths)
        {
            var input = Buffers(c.Buffers, n, seed: n * 31 + name.Length);
            var expected = Clone(input);
            c.Reference(expected);
            foreach (int width in Widths)
            {
                var actual = Clone(input);
                RunAtWidth(width, () => c.Fast(actual));
                for (int b = 0; b < actual.Length; b++) AssertSameBits(expected[b], actual[b], $"{name}, n={n}, width {width}, buffer {b}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SpecialValuesGiveTheSameResults(string name)
    {
        // NaN, infinities, signed zeros and subnormals in every buffer: the vector code must branch like the scalar
        // code (selects for Rprop's comparisons, MathF.Max's NaN rule). NaNs compare as NaN, whatever their payload.
        var c = Table[name];
        var input = Buffers(c.Buffers, 1000, seed: 7);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-40f, -1e-40f, float.MaxValue];
        var rng = new Random(11);
        foreach (var buffer in input)
            for (int k = 0; k < 40 && buffer.Length > 0; k++) buffer[rng.Next(buffer.Length)] = specials[rng.Next(specials.Length)];
        var expected = Clone(input);
        c.Reference(expected);
        foreach (int width in Widths)
        {
            var actual = Clone(input);
            RunAtWidth(width, () => c.Fast(actual));
            for (int b = 0; b < actual.Length; b++) AssertSameBits(expected[b], actual[b], $"{name} with specials, width {width}, buffer {b}", nanAsOne: true);
        }
    }

    private static IEnumerable<Case> BuildCases()
    {
        bool[] tf = [false, true];
        foreach (var momentum in new[] { 0f, 0.9f })
            foreach (var nesterov in tf)
                foreach (var wd in new[] { 0f, 0.01f })
                    foreach (var maximize in tf)
                        foreach (var first in tf)
                        {
                            if (nesterov && momentum == 0 || first && momentum == 0) continue;
                            var h = new SgdHyper(0.05f, momentum, nesterov ? 0 : 0.25f, wd, nesterov, maximize);
                            yield return new($"SGD m={momentum} nesterov={nesterov} wd={wd} max={maximize} first={first}", [Fill.Signed, Fill.Signed, Fill.Signed],
                                b => SgdKernel.StepReference(b[0], b[1], b[2], h, first), b => SgdKernel.Step(b[0], b[1], b[2], h, first));
                        }
        foreach (var (beta1, beta2) in new[] { (0.9, 0.999), (0.3, 0.6) })
            foreach (var decay in new[] { "none", "coupled", "decoupled" })
                foreach (var amsgrad in tf)
                    foreach (var maximize in tf)
                    {
                        var h = AdamHyper.For(amsgrad ? 7 : 1, 1e-3, beta1, beta2, 1e-8, decay == "none" ? 0 : 0.01, decay == "decoupled", amsgrad, maximize);
                        yield return new($"Adam betas=({beta1},{beta2}) wd={decay} amsgrad={amsgrad} max={maximize}",
                            [Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive, Fill.Positive],
                            b => AdamKernel.StepReference(b[0], b[1], b[2], b[3], b[4], h), b => AdamKernel.Step(b[0], b[1], b[2], b[3], b[4], h));
                    }
        foreach (var rho in new[] { 0.9, 0.3 })
            foreach (var wd in new[] { 0.0, 0.01 })
                foreach (var maximize in tf)
                {
                    var h = AdadeltaHyper.For(1.0, rho, 1e-6, wd, maximize);
                    yield return new($"Adadelta rho={rho} wd={wd} max={maximize}", [Fill.Signed, Fill.Signed, Fill.Positive, Fill.Positive],
                        b => AdadeltaKernel.StepReference(b[0], b[1], b[2], b[3], h), b => AdadeltaKernel.Step(b[0], b[1], b[2], b[3], h));
                }
        foreach (var wd in new[] { 0.0, 0.01 })
            foreach (var maximize in tf)
            {
                var h = AdagradHyper.For(3, 0.01, 0.1, 1e-10, wd, maximize);
                yield return new($"Adagrad wd={wd} max={maximize}", [Fill.Signed, Fill.Signed, Fill.Positive],
                    b => AdagradKernel.StepReference(b[0], b[1], b[2], h), b => AdagradKernel.Step(b[0], b[1], b[2], h));
            }
        foreach (var beta1 in new[] { 0.9, 0.3 })
            foreach (var wd in new[] { 0.0, 0.01 })
                foreach (var maximize in tf)
                {
                    var h = AdamaxHyper.For(4, 2e-3, beta1, 0.999, 1e-8, wd, maximize);
                    yield return new($"Adamax beta1={beta1} wd={wd} max={maximize}", [Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive],
                        b => AdamaxKernel.StepReference(b[0], b[1], b[2], b[3], h), b => AdamaxKernel.Step(b[0], b[1], b[2], b[3], h));
                }
        foreach (var mu in new[] { 1f, 0.5f })
            foreach (var wd in new[] { 0.0, 0.01 })
                foreach (var maximize in tf)
                {
                    var h = AsgdHyper.For(0.01f, mu, 1e-4, wd, maximize);
                    yield return new($"ASGD mu={mu} wd={wd} max={maximize}", [Fill.Signed, Fill.Signed, Fill.Signed],
                        b => AsgdKernel.StepReference(b[0], b[1], b[2], h), b => AsgdKernel.Step(b[0], b[1], b[2], h));
                }
        foreach (var beta1w in new[] { 0.1f, 0.7f })
            foreach (var decay in new[] { "none", "coupled", "decoupled" })
                foreach (var maximize in tf)
                {
                    float wd = decay == "none" ? 0 : 0.01f;
                    var nh = new NadamHyper(beta1w, 0.999f, 0.001f, 1e-8f, wd, decay == "decoupled", 0.99999f, 0.003f, -2e-4f, -1e-3f, maximize);
                    yield return new($"NAdam w={beta1w} wd={decay} max={maximize}", [Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive],
                        b => NadamKernel.StepReference(b[0], b[1], b[2], b[3], nh), b => NadamKernel.Step(b[0], b[1], b[2], b[3], nh));
                    foreach (var rectify in tf)
                    {
                        var rh = new RadamHyper(beta1w, 0.999f, 0.001f, 1e-8f, wd, decay == "decoupled", 0.99999f, 1e-3f, 0.271f, 0.0774f, rectify, 0.0179f, maximize);
                        yield return new($"RAdam w={beta1w} wd={decay} rectify={rectify} max={maximize}", [Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive],
                            b => RadamKernel.StepReference(b[0], b[1], b[2], b[3], rh), b => RadamKernel.Step(b[0], b[1], b[2], b[3], rh));
                    }
                }
        foreach (var centered in tf)
            foreach (var momentum in new[] { 0f, 0.9f })
                foreach (var wd in new[] { 0f, 0.01f })
                    foreach (var maximize in tf)
                    {
                        var h = new RmspropHyper(0.01f, 0.99f, 1e-8f, wd, momentum, centered, maximize) { OneMinusAlpha = (float)(1 - 0.99) };
                        yield return new($"RMSprop centered={centered} m={momentum} wd={wd} max={maximize}",
                            [Fill.Signed, Fill.Signed, Fill.Positive, Fill.Signed, Fill.Signed],
                            b => RmspropKernel.StepReference(b[0], b[1], b[2], b[3], b[4], h), b => RmspropKernel.Step(b[0], b[1], b[2], b[3], b[4], h));
                    }
        foreach (var (etaMinus, etaPlus) in new[] { (0.5f, 1.2f), (0.3f, 1.5f) })
            foreach (var maximize in tf)
            {
                var h = new RpropHyper(etaMinus, etaPlus, 1e-6f, 50f, maximize);
                yield return new($"Rprop etas=({etaMinus},{etaPlus}) max={maximize}", [Fill.Signed, Fill.Sparse, Fill.Sparse, Fill.Positive],
                    b => RpropKernel.StepReference(b[0], b[1], b[2], b[3], h), b => RpropKernel.Step(b[0], b[1], b[2], b[3], h));
            }
        foreach (var maximize in tf)
        {
            var h = SparseAdamHyper.For(3, 1e-3, 0.9, 0.999, 1e-8, maximize);
            yield return new($"SparseAdam dense rows max={maximize}", [Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive],
                b => SparseAdamKernel.StepReference(b[0], b[1], b[2], b[3], AllRows(b[0].Length), 1, h),
                b => SparseAdamKernel.Step(b[0], b[1], b[2], b[3], AllRows(b[0].Length), 1, h));
        }
    }

    private static int[] AllRows(int n) => Enumerable.Range(0, n).ToArray();
}
