using System.Numerics;
using Descent.Optim.Kernels;
using Xunit;
using static Descent.Tests.Optim.KernelTestData;

namespace Descent.Tests.Optim;

/// <summary>
/// Every vectorised optimizer kernel against its scalar reference, bit for bit, in float32 and float64: each option
/// set, on random data of awkward lengths, at every vector width this machine runs (512, 256 and the scalar fallback),
/// including the scalar tails. Inputs span many binades and include exact zeros, so rounding differences cannot hide.
/// </summary>
public class FastKernelTests
{
    public static readonly int[] Lengths = [0, 1, 15, 16, 17, 1000, 100003];

    /// <summary>One kernel call over buffers (param first), in either dtype: the reference, or the fast kernel.</summary>
    public abstract record KernelCall
    {
        public abstract void Run<T>(T[][] b, bool fast) where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    }

    /// <summary>A named kernel call and how its buffers are filled.</summary>
    public sealed record Case(string Name, Fill[] Buffers, KernelCall Call);

    private static readonly Dictionary<string, Case> Table = BuildCases().ToDictionary(c => c.Name);

    public static TheoryData<string, string> Names()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Table.Keys)
            foreach (var dtype in new[] { "float32", "float64" }) data.Add(name, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void FastKernelMatchesReferenceBitForBit(string name, string dtype)
    {
        if (dtype == "float64") MatchesReference<double>(name);
        else MatchesReference<float>(name);
    }

    private static void MatchesReference<T>(string name) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var c = Table[name];
        foreach (int n in Lengths)
        {
            var input = Buffers<T>(c.Buffers, n, seed: n * 31 + name.Length);
            var expected = Clone(input);
            c.Call.Run(expected, fast: false);
            foreach (int width in Widths)
            {
                var actual = Clone(input);
                RunAtWidth(width, () => c.Call.Run(actual, fast: true));
                for (int b = 0; b < actual.Length; b++) AssertSameBits(expected[b], actual[b], $"{name} {typeof(T).Name}, n={n}, width {width}, buffer {b}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SpecialValuesGiveTheSameResults(string name, string dtype)
    {
        if (dtype == "float64") SpecialValues<double>(name, [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0, -0.0, 1e-310, -1e-310, double.MaxValue]);
        else SpecialValues<float>(name, [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-40f, -1e-40f, float.MaxValue]);
    }

    // NaN, infinities, signed zeros and subnormals in every buffer: the vector code must branch like the scalar code
    // (selects for Rprop's comparisons, Max's NaN rule). NaNs compare as NaN, whatever their payload.
    private static void SpecialValues<T>(string name, T[] specials) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var c = Table[name];
        var input = Buffers<T>(c.Buffers, 1000, seed: 7);
        var rng = new Random(11);
        foreach (var buffer in input)
            for (int k = 0; k < 40 && buffer.Length > 0; k++) buffer[rng.Next(buffer.Length)] = specials[rng.Next(specials.Length)];
        var expected = Clone(input);
        c.Call.Run(expected, fast: false);
        foreach (int width in Widths)
        {
            var actual = Clone(input);
            RunAtWidth(width, () => c.Call.Run(actual, fast: true));
            for (int b = 0; b < actual.Length; b++) AssertSameBits(expected[b], actual[b], $"{name} {typeof(T).Name} with specials, width {width}, buffer {b}", nanAsOne: true);
        }
    }

    private sealed record Sgd(SgdHyper H, bool First) : KernelCall
    {
        public override void Run<T>(T[][] b, bool fast)
        {
            if (fast) SgdKernel.Step<T>(b[0], b[1], b[2], H, First);
            else SgdKernel.StepReference<T>(b[0], b[1], b[2], H, First);
        }
    }

    private sealed record Adam(AdamHyper H) : KernelCall
    {
        public override void Run<T>(T[][] b, bool fast)
        {
            if (fast) AdamKernel.Step<T>(b[0], b[1], b[2], b[3], b[4], H);
            else AdamKernel.StepReference<T>(b[0], b[1], b[2], b[3], b[4], H);
        }
    }

    private sealed record Adadelta(AdadeltaHyper H) : KernelCall
    {
        public override void Run<T>(T[][] b, bool fast)
        {
            if (fast) AdadeltaKernel.Step<T>(b[0], b[1], b[2], b[3], H);
            else AdadeltaKernel.StepReference<T>(b[0], b[1], b[2], b[3], H);
        }
    }

    private sealed record Adagrad(AdagradHyper H) : KernelCall
    {
        public override void Run<T>(T[][] b, bool fast)
        {
            if (fast) AdagradKernel.Step<T>(b[0], b[1], b[2], H);
            else AdagradKernel.StepReference<T>(b[0], b[1], b[2], H);
        }
    }

    private sealed record Adamax(AdamaxHyper H) : KernelCall
    {
        public override void Run<T>(T[][] b, bool fast)
        {
            if (fast) AdamaxKernel.Step<T>(b[0], b[1], b[2], b[3], H);
            else AdamaxKernel.StepReference<T>(b[0], b[1], b[2], b[3], H);
        }
    }

    private sealed record Asgd(AsgdHyper H) : KernelCall
    {
        public override void Run<T>(T[][] b, bool fast)
        {
            if (fast) AsgdKernel.Step<T>(b[0], b[1], b[2], H);
            else AsgdKernel.StepReference<T>(b[0], b[1], b[2], H);
        }
    }

    private sealed record Nadam(NadamHyper H) : KernelCall
    {
        public override void Run<T>(T[][] b, bool fast)
        {
            if (fast) NadamKernel.Step<T>(b[0], b[1], b[2], b[3], H);
            else NadamKernel.StepReference<T>(b[0], b[1], b[2], b[3], H);
        }
    }

    private sealed record Radam(RadamHyper H) : KernelCall
    {
        public override void Run<T>(T[][] b, bool fast)
        {
            if (fast) RadamKernel.Step<T>(b[0], b[1], b[2], b[3], H);
            else RadamKernel.StepReference<T>(b[0], b[1], b[2], b[3], H);
        }
    }

    private sealed record Rmsprop(RmspropHyper H) : KernelCall
    {
        public override void Run<T>(T[][] b, bool fast)
        {
            if (fast) RmspropKernel.Step<T>(b[0], b[1], b[2], b[3], b[4], H);
            else RmspropKernel.StepReference<T>(b[0], b[1], b[2], b[3], b[4], H);
        }
    }

    private sealed record Rprop(RpropHyper H) : KernelCall
    {
        public override void Run<T>(T[][] b, bool fast)
        {
            if (fast) RpropKernel.Step<T>(b[0], b[1], b[2], b[3], H);
            else RpropKernel.StepReference<T>(b[0], b[1], b[2], b[3], H);
        }
    }

    private sealed record SparseAdam(SparseAdamHyper H) : KernelCall
    {
        public override void Run<T>(T[][] b, bool fast)
        {
            int[] rows = Enumerable.Range(0, b[0].Length).ToArray();
            if (fast) SparseAdamKernel.Step<T>(b[0], b[1], b[2], b[3], rows, 1, H);
            else SparseAdamKernel.StepReference<T>(b[0], b[1], b[2], b[3], rows, 1, H);
        }
    }

    private static IEnumerable<Case> BuildCases()
    {
        bool[] tf = [false, true];
        foreach (var momentum in new[] { 0.0, 0.9 })
            foreach (var nesterov in tf)
                foreach (var wd in new[] { 0.0, 0.01 })
                    foreach (var maximize in tf)
                        foreach (var first in tf)
                        {
                            if (nesterov && momentum == 0 || first && momentum == 0) continue;
                            var h = new SgdHyper(0.05, momentum, nesterov ? 0 : 0.25, wd, nesterov, maximize);
                            yield return new($"SGD m={momentum} nesterov={nesterov} wd={wd} max={maximize} first={first}", [Fill.Signed, Fill.Signed, Fill.Signed], new Sgd(h, first));
                        }
        foreach (var (beta1, beta2) in new[] { (0.9, 0.999), (0.3, 0.6) })
            foreach (var decay in new[] { "none", "coupled", "decoupled" })
                foreach (var amsgrad in tf)
                    foreach (var maximize in tf)
                    {
                        var h = AdamHyper.For(amsgrad ? 7 : 1, 1e-3, beta1, beta2, 1e-8, decay == "none" ? 0 : 0.01, decay == "decoupled", amsgrad, maximize);
                        yield return new($"Adam betas=({beta1},{beta2}) wd={decay} amsgrad={amsgrad} max={maximize}",
                            [Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive, Fill.Positive], new Adam(h));
                    }
        foreach (var rho in new[] { 0.9, 0.3 })
            foreach (var wd in new[] { 0.0, 0.01 })
                foreach (var maximize in tf)
                    yield return new($"Adadelta rho={rho} wd={wd} max={maximize}", [Fill.Signed, Fill.Signed, Fill.Positive, Fill.Positive],
                        new Adadelta(AdadeltaHyper.For(1.0, rho, 1e-6, wd, maximize)));
        foreach (var wd in new[] { 0.0, 0.01 })
            foreach (var maximize in tf)
                yield return new($"Adagrad wd={wd} max={maximize}", [Fill.Signed, Fill.Signed, Fill.Positive],
                    new Adagrad(AdagradHyper.For(3, 0.01, 0.1, 1e-10, wd, maximize)));
        foreach (var beta1 in new[] { 0.9, 0.3 })
            foreach (var wd in new[] { 0.0, 0.01 })
                foreach (var maximize in tf)
                    yield return new($"Adamax beta1={beta1} wd={wd} max={maximize}", [Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive],
                        new Adamax(AdamaxHyper.For(4, 2e-3, beta1, 0.999, 1e-8, wd, maximize)));
        foreach (var mu in new[] { 1f, 0.5f })
            foreach (var wd in new[] { 0.0, 0.01 })
                foreach (var maximize in tf)
                    yield return new($"ASGD mu={mu} wd={wd} max={maximize}", [Fill.Signed, Fill.Signed, Fill.Signed],
                        new Asgd(AsgdHyper.For(0.01f, mu, 1e-4, wd, maximize)));
        foreach (var beta1w in new[] { 0.1, 0.7 })
            foreach (var decay in new[] { "none", "coupled", "decoupled" })
                foreach (var maximize in tf)
                {
                    double wd = decay == "none" ? 0 : 0.01;
                    var nh = new NadamHyper(beta1w, 0.999, 0.001, 1e-8, wd, decay == "decoupled", 0.99999, 0.003, -2e-4, -1e-3, maximize);
                    yield return new($"NAdam w={beta1w} wd={decay} max={maximize}", [Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive], new Nadam(nh));
                    foreach (var rectify in tf)
                    {
                        var rh = new RadamHyper(beta1w, 0.999, 0.001, 1e-8, wd, decay == "decoupled", 0.99999, 1e-3, 0.271, 0.0774, rectify, 0.0179, maximize);
                        yield return new($"RAdam w={beta1w} wd={decay} rectify={rectify} max={maximize}", [Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive],
                            new Radam(rh));
                    }
                }
        foreach (var centered in tf)
            foreach (var momentum in new[] { 0.0, 0.9 })
                foreach (var wd in new[] { 0.0, 0.01 })
                    foreach (var maximize in tf)
                        yield return new($"RMSprop centered={centered} m={momentum} wd={wd} max={maximize}",
                            [Fill.Signed, Fill.Signed, Fill.Positive, Fill.Signed, Fill.Signed], new Rmsprop(new RmspropHyper(0.01, 0.99, 1e-8, wd, momentum, centered, maximize)));
        foreach (var (etaMinus, etaPlus) in new[] { (0.5, 1.2), (0.3, 1.5) })
            foreach (var maximize in tf)
                yield return new($"Rprop etas=({etaMinus},{etaPlus}) max={maximize}", [Fill.Signed, Fill.Sparse, Fill.Sparse, Fill.Positive],
                    new Rprop(new RpropHyper(etaMinus, etaPlus, 1e-6, 50, maximize)));
        foreach (var maximize in tf)
            yield return new($"SparseAdam dense rows max={maximize}", [Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive],
                new SparseAdam(SparseAdamHyper.For(3, 1e-3, 0.9, 0.999, 1e-8, maximize)));
    }
}
