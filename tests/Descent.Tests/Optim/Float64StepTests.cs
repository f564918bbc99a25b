using Descent.Optim;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>
/// Float64 parameters: hyperparameters meet them as doubles (PyTorch computes in the tensor's dtype with Python-float
/// scalars), state lives in the parameter's dtype with PyTorch's float32 scalars, and one optimizer steps float32 and
/// float64 parameters side by side, each exactly as an optimizer of its dtype alone would.
/// </summary>
public class Float64StepTests
{
    [Fact]
    public void SgdUsesLrAndWeightDecayAsDoubles()
    {
        var p = Tensor.FromArray(new[] { 1.0, -2.0 }).RequiresGrad_();
        p.Grad = Tensor.FromArray(new[] { 0.3, 0.7 });
        new SGD([p], lr: 0.1, momentum: 0.9, weightDecay: 0.01).Step();
        // g ← p·wd + g, then p ← g·(−lr) + p, each one fused multiply-add in double (the buffer is g on the first step).
        double[] expected = [Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(1.0, 0.01, 0.3), -0.1, 1.0),
            Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(-2.0, 0.01, 0.7), -0.1, -2.0)];
        Assert.Equal(expected, p.ToArray<double>());
        // With lr rounded to float32 first (0.10000000149…) the result moves in the 9th digit.
        Assert.NotEqual(Math.FusedMultiplyAdd(0.31, -(double)0.1f, 1.0), expected[0]);
    }

    [Fact]
    public void AdamFirstStepIsTheDoubleFormula()
    {
        var p = Tensor.FromArray(new[] { 0.5, -1.5, 2.0 }).RequiresGrad_();
        double[] g = [0.25, -3.0, 1e-3];
        p.Grad = Tensor.FromArray(g);
        new Adam([p], lr: 1e-3).Step();
        double stepSize = 1e-3 / (1 - 0.9), bc2Sqrt = Math.Sqrt(1 - 0.999);
        double[] p0 = [0.5, -1.5, 2.0];
        var expected = new double[3];
        for (int i = 0; i < 3; i++)
        {
            double m = Math.FusedMultiplyAdd(1 - 0.9, g[i], 0);           // lerp(0, g, 1 − β₁)
            double v = Math.FusedMultiplyAdd((1 - 0.999) * g[i], g[i], 0); // β₂·0 + (1 − β₂)·g²
            expected[i] = p0[i] + -stepSize * m / (Math.Sqrt(v) / bc2Sqrt + 1e-8);
        }
        Assert.Equal(expected, p.ToArray<double>());
    }

    public static IEnumerable<object[]> All() => OptimizerCases.All();

    [Theory]
    [MemberData(nameof(All))]
    public void StateLivesInTheParameterDtype(string name, int config)
    {
        var ps = OptimizerCases.Params(dtype: DType.Float64);
        var opt = OptimizerCases.Make(name, config, ps);
        for (int i = 0; i < 2; i++) OptimizerCases.StepOnce(opt);
        int tensors = 0;
        foreach (var (_, entries) in opt.StateDict().State)
            foreach (var (key, value) in entries)
                foreach (var t in Tensors(value))
                {
                    // PyTorch keeps step counts and ASGD's η, μ and NAdam's μ product as float32 scalars (the default
                    // dtype), whatever the parameter's dtype; everything else is of the parameter's dtype.
                    var expected = key is "step" or "eta" or "mu" or "mu_product" ? DType.Float32 : DType.Float64;
                    Assert.True(t.DType == expected, $"{name} config {config}: state '{key}' is {t.DType.TorchName()}");
                    tensors++;
                }
        Assert.True(tensors > 0 || (name, config) == ("SGD", 0)); // SGD without momentum keeps none
        Assert.All(ps, p => Assert.Equal(DType.Float64, p.DType));
    }

    private static IEnumerable<Tensor> Tensors(object? v) => v switch
    {
        Tensor t => [t],
        System.Collections.IEnumerable e and not string => e.Cast<object?>().SelectMany(Tensors),
        _ => [],
    };

    public static IEnumerable<object[]> Elementwise()
    {
        foreach (var c in OptimizerCases.All())
            if ((string)c[0] != "LBFGS")
                foreach (bool doubleFirst in new[] { false, true }) yield return [.. c, doubleFirst];
    }

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void MixedDtypesStepLikeOptimizersOfEachDtype(string name, int config, bool doubleFirst)
    {
        // One group of three parameters alternating in dtype, against one optimizer per dtype over its own ones.
        DType first = doubleFirst ? DType.Float64 : DType.Float32, second = doubleFirst ? DType.Float32 : DType.Float64;
        var a = OptimizerCases.Params(3, seed: 1, first);
        var b = OptimizerCases.Params(3, seed: 1, second);
        var mixed = new List<Tensor> { a[0], b[1], a[2] };
        var alone1 = new List<Tensor> { Copy(a[0]), Copy(a[2]) };
        var alone2 = new List<Tensor> { Copy(b[1]) };
        var options = new Dictionary<string, object?>(OptimizerCases.ConfigsOf(name)[config]);
        var opt = OptimizerRegistry.Create(name, [new ParamGroup(mixed)], options);
        // Adafactor's ε₁ None is torch.finfo of the group's first parameter stepped, for every parameter after it too.
        if (name == "Adafactor") options["eps"] = new List<object?> { doubleFirst ? 2.220446049250313e-16 : 1.1920928955078125e-07, 1e-3 };
        var opt1 = OptimizerRegistry.Create(name, [new ParamGroup(alone1)], options);
        var opt2 = OptimizerRegistry.Create(name, [new ParamGroup(alone2)], options);
        for (int step = 0; step < 3; step++)
        {
            SetGrads(mixed, [0, 1, 2]);
            SetGrads(alone1, [0, 2]);
            SetGrads(alone2, [1]);
            opt.Step();
            opt1.Step();
            opt2.Step();
        }
        var pairs = new[] { (mixed[0], alone1[0], opt1), (mixed[1], alone2[0], opt2), (mixed[2], alone1[1], opt1) };
        foreach (var (m, s, sOpt) in pairs)
        {
            Assert.Equal(s.DType, m.DType);
            KernelTestData.AssertSameBits(s.Detach(), m.Detach(), $"{name} config {config}: {m.DType.TorchName()} parameter");
            var ms = opt.State[m].ToStateDict().ToList();
            var ss = sOpt.State[s].ToStateDict().ToList();
            Assert.Equal(ss.Select(e => e.Key), ms.Select(e => e.Key));
            for (int i = 0; i < ms.Count; i++)
                if (ms[i].Value is Tensor mt)
                    KernelTestData.AssertSameBits((Tensor)ss[i].Value, mt, $"{name} config {config}: state '{ms[i].Key}' of a {m.DType.TorchName()} parameter");
        }
    }

    private static Tensor Copy(Tensor p) => p.Detach().Clone().RequiresGrad_();

    // Gradient k of a parameter: (2k + 2)·p + 0.3, in the parameter's dtype.
    private static void SetGrads(List<Tensor> ps, int[] ks)
    {
        for (int i = 0; i < ps.Count; i++) ps[i].Grad = (ps[i].Detach() * (2.0 * (ks[i] + 1)) + 0.3).Contiguous();
    }

    [Fact]
    public void LbfgsOverMixedDtypesComputesInFloat64()
    {
        var a = OptimizerCases.Params(1, seed: 2, DType.Float32)[0];
        var b = OptimizerCases.Params(1, seed: 3, DType.Float64)[0];
        var opt = new LBFGS([a, b], maxIter: 5);
        double before = OptimizerCases.Loss(opt).Item();
        var loss = opt.Step(() => OptimizerCases.Loss(opt))!;
        var state = Assert.IsType<LbfgsState>(opt.State[a]);
        Assert.Equal(DType.Float64, state.D!.DType);
        Assert.Equal(DType.Float64, state.PrevFlatGrad!.DType);
        Assert.Equal(DType.Float32, a.DType);
        Assert.Equal(DType.Float64, b.DType);
        Assert.True(OptimizerCases.Loss(opt).Item() < before / 10, "five iterations of L-BFGS on a quadratic");
        Assert.Equal(before, loss.Item());
    }

    [Fact]
    public void GradientOfAnotherDtypeIsRefused()
    {
        var p = Tensor.FromArray(new[] { 1.0, 2.0 }).RequiresGrad_();
        p.Grad = Tensor.FromArray(new[] { 1f, 1f });
        var e = Assert.Throws<ArgumentException>(() => new Adam([p]).Step());
        Assert.Equal("Adam: the gradient of a torch.float64 parameter is torch.float32", e.Message);
        Assert.Equal([1.0, 2.0], p.ToArray<double>());
    }
}
