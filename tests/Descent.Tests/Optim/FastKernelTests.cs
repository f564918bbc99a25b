using CsCheck;
using Descent.Optim.Kernels;
using Descent.Tests.Support;
using Xunit;
using static Descent.Tests.Optim.KernelTestData;

namespace Descent.Tests.Optim;

/// <summary>
/// Every vectorised optimizer kernel against its scalar reference, bit for bit, as properties: for any options and
/// hyperparameters, any length (every tail of the 8- and 16-lane loops) and any values, at every vector width this
/// machine runs (512, 256 and the scalar fallback). A failure shrinks to the shortest buffers and plainest values
/// that still differ, and prints the seed that reproduces it.
/// </summary>
public class FastKernelTests
{
    /// <summary>One call of a kernel with generated hyperparameters, in its reference and fast forms, over buffers (param first).</summary>
    public sealed record Call(string Hyper, Action<float[][]> Reference, Action<float[][]> Fast)
    {
        public override string ToString() => Hyper;
    }

    /// <summary>A kernel: how each buffer it takes is filled, and its calls.</summary>
    public sealed record Kernel(Fill[] Buffers, Gen<Call> Calls);

    // Every tail of the 8- and 16-lane loops after up to a dozen whole vectors.
    private static readonly Gen<int> Length = Gen.Int[0, 200];

    private static readonly Gen<long> Step = Gen.Long[1, 1000];
    private static readonly Gen<double> Lr = Gen.Double[-4, 0].Select(e => Math.Pow(10, e));
    private static readonly Gen<double> Beta = Gen.Double[0, 0.999];
    private static readonly Gen<double> Eps = Gen.Double[-10, -3].Select(e => Math.Pow(10, e));
    private static readonly Gen<double> WeightDecay = Gen.Frequency((1, Gen.Const(0.0)), (2, Gen.Double[0, 0.1]));
    private static readonly Gen<double> Momentum = Gen.Frequency((1, Gen.Const(0.0)), (2, Beta));

    private static readonly Dictionary<string, Kernel> Kernels = new()
    {
        ["SGD"] = new([Fill.Signed, Fill.Signed, Fill.Signed],
            Gen.Select(Lr, Momentum, Beta, WeightDecay, Gen.Bool, Gen.Bool, Gen.Bool, (lr, momentum, dampening, wd, nesterov, maximize, first) =>
            {
                // Nesterov needs momentum and no dampening; the first step (buffer = grad) needs a buffer.
                nesterov &= momentum != 0;
                first &= momentum != 0;
                var h = new SgdHyper((float)lr, (float)momentum, nesterov ? 0 : (float)dampening, (float)wd, nesterov, maximize);
                return new Call($"{h} first={first}",
                    b => SgdKernel.StepReference(b[0], b[1], b[2], h, first), b => SgdKernel.Step(b[0], b[1], b[2], h, first));
            })),
        ["Adam"] = new([Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive, Fill.Positive],
            Gen.Select(Step, Lr, Beta, Beta, Eps, WeightDecay, Gen.Bool, Gen.Bool, Gen.Bool, (step, lr, beta1, beta2, eps, wd, decoupled, amsgrad, maximize) =>
            {
                var h = AdamHyper.For(step, lr, beta1, beta2, eps, wd, decoupled, amsgrad, maximize);
                return new Call(h.ToString(),
                    b => AdamKernel.StepReference(b[0], b[1], b[2], b[3], b[4], h), b => AdamKernel.Step(b[0], b[1], b[2], b[3], b[4], h));
            })),
        ["Adadelta"] = new([Fill.Signed, Fill.Signed, Fill.Positive, Fill.Positive],
            Gen.Select(Lr, Beta, Eps, WeightDecay, Gen.Bool, (lr, rho, eps, wd, maximize) =>
            {
                var h = AdadeltaHyper.For(lr, rho, eps, wd, maximize);
                return new Call(h.ToString(),
                    b => AdadeltaKernel.StepReference(b[0], b[1], b[2], b[3], h), b => AdadeltaKernel.Step(b[0], b[1], b[2], b[3], h));
            })),
        ["Adagrad"] = new([Fill.Signed, Fill.Signed, Fill.Positive],
            Gen.Select(Step, Lr, Gen.Double[0, 0.1], Eps, WeightDecay, Gen.Bool, (step, lr, lrDecay, eps, wd, maximize) =>
            {
                var h = AdagradHyper.For(step, lr, lrDecay, eps, wd, maximize);
                return new Call(h.ToString(),
                    b => AdagradKernel.StepReference(b[0], b[1], b[2], h), b => AdagradKernel.Step(b[0], b[1], b[2], h));
            })),
        ["Adamax"] = new([Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive],
            Gen.Select(Step, Lr, Beta, Beta, Eps, WeightDecay, Gen.Bool, (step, lr, beta1, beta2, eps, wd, maximize) =>
            {
                var h = AdamaxHyper.For(step, lr, beta1, beta2, eps, wd, maximize);
                return new Call(h.ToString(),
                    b => AdamaxKernel.StepReference(b[0], b[1], b[2], b[3], h), b => AdamaxKernel.Step(b[0], b[1], b[2], b[3], h));
            })),
        ["ASGD"] = new([Fill.Signed, Fill.Signed, Fill.Signed],
            Gen.Select(Lr, Gen.Double[0.001, 1], Gen.Double[0, 1e-3], WeightDecay, Gen.Bool, (eta, mu, lambd, wd, maximize) =>
            {
                var h = AsgdHyper.For((float)eta, (float)mu, lambd, wd, maximize);
                return new Call(h.ToString(),
                    b => AsgdKernel.StepReference(b[0], b[1], b[2], h), b => AsgdKernel.Step(b[0], b[1], b[2], h));
            })),
        ["NAdam"] = new([Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive],
            Gen.Select(Gen.Select(Beta, Beta, Eps, WeightDecay, Lr), Gen.Select(Gen.Double[0, 1], Gen.Double[-0.01, 0], Gen.Double[-0.01, 0], Gen.Bool, Gen.Bool),
                (o, s) =>
                {
                    var (beta1, beta2, eps, wd, lr) = o;
                    var (bc2, gradStep, avgStep, decoupled, maximize) = s;
                    var h = new NadamHyper((float)(1 - beta1), (float)beta2, (float)(1 - beta2), (float)eps, (float)wd, decoupled,
                        (float)(1 - lr * wd), (float)bc2, (float)gradStep, (float)avgStep, maximize);
                    return new Call(h.ToString(),
                        b => NadamKernel.StepReference(b[0], b[1], b[2], b[3], h), b => NadamKernel.Step(b[0], b[1], b[2], b[3], h));
                })),
        ["RAdam"] = new([Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive],
            Gen.Select(Gen.Select(Beta, Beta, Eps, WeightDecay, Lr, Gen.Bool), Gen.Select(Gen.Double[0, 1], Gen.Double[0, 1], Gen.Double[0, 1], Gen.Bool, Gen.Bool),
                (o, s) =>
                {
                    var (beta1, beta2, eps, wd, lr, decoupled) = o;
                    var (bc1, sqrtBc2, rect, rectify, maximize) = s;
                    var h = new RadamHyper((float)(1 - beta1), (float)beta2, (float)(1 - beta2), (float)eps, (float)wd, decoupled,
                        (float)(1 - lr * wd), (float)lr, (float)bc1, (float)sqrtBc2, rectify, (float)rect, maximize);
                    return new Call(h.ToString(),
                        b => RadamKernel.StepReference(b[0], b[1], b[2], b[3], h), b => RadamKernel.Step(b[0], b[1], b[2], b[3], h));
                })),
        ["RMSprop"] = new([Fill.Signed, Fill.Signed, Fill.Positive, Fill.Signed, Fill.Signed],
            Gen.Select(Lr, Beta, Eps, WeightDecay, Momentum, Gen.Bool, Gen.Bool, (lr, alpha, eps, wd, momentum, centered, maximize) =>
            {
                var h = new RmspropHyper((float)lr, (float)alpha, (float)eps, (float)wd, (float)momentum, centered, maximize) { OneMinusAlpha = (float)(1 - alpha) };
                return new Call(h.ToString(),
                    b => RmspropKernel.StepReference(b[0], b[1], b[2], b[3], b[4], h), b => RmspropKernel.Step(b[0], b[1], b[2], b[3], b[4], h));
            })),
        ["Rprop"] = new([Fill.Signed, Fill.Sparse, Fill.Sparse, Fill.Positive],
            Gen.Select(Gen.Float[0.1f, 0.9f], Gen.Float[1.1f, 2f], Gen.Float[1e-7f, 1e-5f], Gen.Float[1f, 100f], Gen.Bool, (etaMinus, etaPlus, min, max, maximize) =>
            {
                var h = new RpropHyper(etaMinus, etaPlus, min, max, maximize);
                return new Call(h.ToString(),
                    b => RpropKernel.StepReference(b[0], b[1], b[2], b[3], h), b => RpropKernel.Step(b[0], b[1], b[2], b[3], h));
            })),
        ["SparseAdam dense rows"] = new([Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive],
            Gen.Select(Step, Lr, Beta, Beta, Eps, Gen.Bool, (step, lr, beta1, beta2, eps, maximize) =>
            {
                var h = SparseAdamHyper.For(step, lr, beta1, beta2, eps, maximize);
                return new Call(h.ToString(),
                    b => SparseAdamKernel.StepReference(b[0], b[1], b[2], b[3], AllRows(b[0].Length), 1, h),
                    b => SparseAdamKernel.Step(b[0], b[1], b[2], b[3], AllRows(b[0].Length), 1, h));
            })),
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Kernels.Keys) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void FastKernelMatchesReferenceBitForBit(string name) => AssertFastMatchesReference(name, FloatGen.Finite, nanAsOne: false);

    /// <summary>
    /// NaN, infinities and ±float.MaxValue among the values: the vector code must branch like the scalar code (selects
    /// for Rprop's comparisons, MathF.Max's NaN rule). NaNs compare as NaN, whatever their payload.
    /// </summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void SpecialValuesGiveTheSameResults(string name) => AssertFastMatchesReference(name, FloatGen.WithSpecials, nanAsOne: true);

    private static void AssertFastMatchesReference(string name, Gen<float> values, bool nanAsOne)
    {
        var kernel = Kernels[name];
        // The length first, so that shrinking shortens the buffers before it simplifies values and hyperparameters;
        // one thread, since the vector width is process-wide.
        Length.SelectMany(n => Gen.Select(Buffers(kernel.Buffers, n, values), kernel.Calls)).Sample((input, call) =>
        {
            var expected = Clone(input);
            call.Reference(expected);
            foreach (int width in Widths)
            {
                var actual = Clone(input);
                RunAtWidth(width, () => call.Fast(actual));
                for (int b = 0; b < actual.Length; b++)
                    AssertSameBits(expected[b], actual[b], $"{name} {call}, n={input[0].Length}, width {width}, buffer {b}", nanAsOne);
            }
        }, iter: Check.Iter * 4, threads: 1);
    }

    private static int[] AllRows(int n) => Enumerable.Range(0, n).ToArray();
}
