using System.Text.Json;
using Descent.NN;
using Descent.Optim;
using Descent.Optim.Swa;
using Descent.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace Descent.Tests.Optim;

/// <summary>AveragedModel (SWA and EMA, avg_fn and multi_avg_fn), the averaging functions and UpdateBn.</summary>
[Collection("GlobalGenerator")]
public class SwaTests(ITestOutputHelper output)
{
    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    private static Func<Module> LinearFactory => () => new Linear(4, 3);

    [Fact]
    public void AveragesMatchPyTorch()
    {
        var g = SchedulerGolden.Root.GetProperty("averaging");
        Torch.ManualSeed(0);
        var model = new Linear(4, 3);
        var init = g.GetProperty("init");
        // Same seed, same initial weights as PyTorch; loaded from the golden all the same.
        Assert.Equal(Floats(init.GetProperty("weight")), model.Weight.ToArray());
        model.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.FromArray(Floats(init.GetProperty("weight")), 3, 4),
            ["bias"] = Tensor.FromArray(Floats(init.GetProperty("bias")), 3),
        });
        var opt = new SGD(model.Parameters(), lr: g.GetProperty("lr").GetDouble(), momentum: g.GetProperty("momentum").GetDouble());
        double decay = g.GetProperty("decay").GetDouble();
        var averaged = new Dictionary<string, AveragedModel>
        {
            ["swa_default"] = new(model, LinearFactory),
            ["ema_avg_fn"] = new(model, LinearFactory, avgFn: SwaUtils.GetEmaAvgFn(decay)),
            ["swa_avg_fn"] = new(model, LinearFactory, avgFn: SwaUtils.GetSwaAvgFn()),
            ["ema_multi_avg_fn"] = new(model, LinearFactory, multiAvgFn: SwaUtils.GetEmaMultiAvgFn(decay)),
            ["swa_multi_avg_fn"] = new(model, LinearFactory, multiAvgFn: SwaUtils.GetSwaMultiAvgFn()),
        };
        var expected = g.GetProperty("averaged");
        double worst = 0;
        int step = 0;
        foreach (var grads in g.GetProperty("grads").EnumerateArray())
        {
            opt.ZeroGrad();
            model.Weight.Grad = Tensor.FromArray(Floats(grads.GetProperty("weight")), 3, 4);
            model.Bias!.Grad = Tensor.FromArray(Floats(grads.GetProperty("bias")), 3);
            opt.Step();
            foreach (var (kind, am) in averaged)
            {
                am.UpdateParameters(model);
                var want = expected.GetProperty(kind)[step];
                var got = am.Module.Parameters().ToList();
                for (int p = 0; p < got.Count; p++)
                {
                    var e = Floats(want[p]);
                    var a = got[p].ToArray();
                    for (int i = 0; i < e.Length; i++)
                    {
                        double err = Math.Abs(a[i] - e[i]) / Math.Max(Math.Abs(e[i]), 1e-3);
                        worst = Math.Max(worst, err);
                        Assert.True(err <= 1e-6, $"{kind} step {step} param {p} [{i}]: expected {e[i]:R}, got {a[i]:R}");
                    }
                }
            }
            step++;
        }
        foreach (var am in averaged.Values) Assert.Equal(step, am.NAveraged.Item<long>());
        output.WriteLine($"worst relative error of averaged weights: {worst:E2}");
    }

    [Fact]
    public void CopyIsIndependentAndDrawsNoRandomNumbers()
    {
        Torch.ManualSeed(5);
        var model = new Linear(4, 3);
        var before = Generator.Default.GetState();
        var am = new AveragedModel(model, LinearFactory);
        Assert.Equal(before, Generator.Default.GetState());
        Assert.Equal(model.Weight.ToArray(), ((Linear)am.Module).Weight.ToArray());
        Assert.NotSame(model.Weight, ((Linear)am.Module).Weight);
        using (Torch.NoGrad()) model.Weight.Add_(1.0);
        Assert.NotEqual(model.Weight.ToArray(), ((Linear)am.Module).Weight.ToArray());
        Assert.Equal(DType.Int64, am.NAveraged.DType);
        Assert.Contains(am.StateDict().Keys, k => k == "n_averaged");
        Assert.Contains(am.StateDict().Keys, k => k == "module.weight");
        var x = Tensor.Ones(2, 4);
        Assert.Equal(am.Module.Forward(x).ToArray(), am.Forward(x).ToArray());
    }

    [Fact]
    public void ArgumentErrorsUsePyTorchMessages()
    {
        var model = new Linear(2, 2);
        var e = Assert.Throws<ArgumentException>(() =>
            new AveragedModel(model, () => new Linear(2, 2), SwaUtils.GetSwaAvgFn(), SwaUtils.GetSwaMultiAvgFn()));
        Assert.Equal("Only one of avg_fn and multi_avg_fn should be provided", e.Message);
        Assert.Equal("Invalid decay value 1.5 provided. Please provide a value in [0,1] range.",
            Assert.Throws<ArgumentException>(() => SwaUtils.GetEmaMultiAvgFn(1.5)).Message);
        Assert.Equal("Invalid decay value -0.1 provided. Please provide a value in [0,1] range.",
            Assert.Throws<ArgumentException>(() => SwaUtils.GetEmaAvgFn(-0.1)).Message);
    }

    [Fact]
    public void UseBuffersAveragesBuffersOtherwiseCopiesThem()
    {
        var model = new WithBuffer();
        var plain = new AveragedModel(model, () => new WithBuffer());
        var withBuffers = new AveragedModel(model, () => new WithBuffer(), useBuffers: true);
        foreach (var v in new[] { 2f, 4f, 9f })
        {
            model.Stat.Fill_(v);
            plain.UpdateParameters(model);
            withBuffers.UpdateParameters(model);
        }
        Assert.Equal(9f, ((WithBuffer)plain.Module).Stat.ToArray()[0]);
        Assert.Equal(5f, ((WithBuffer)withBuffers.Module).Stat.ToArray()[0]);
    }

    [Fact]
    public void UpdateBnRecomputesStatisticsAndRestoresState()
    {
        var bn = new FakeBatchNorm { Momentum = 0.1 };
        bn.Eval();
        var batches = new[] { Tensor.Full([2], 1.0), Tensor.Full([2], 2.0), Tensor.Full([2], 6.0) };
        SwaUtils.UpdateBn(batches, bn);
        Assert.Equal(3.0, bn.RunningMean, 6);
        Assert.Equal(0.1, bn.Momentum);
        Assert.False(bn.Training);
        Assert.Equal(1, bn.Resets);

        // Batches given as [input, target] use the input.
        SwaUtils.UpdateBn(batches.Select(b => new[] { b, Tensor.Zeros(1) }), bn);
        Assert.Equal(3.0, bn.RunningMean, 6);
    }

    [Fact]
    public void UpdateBnIsANoOpWithoutBatchNorm()
    {
        var model = new Linear(2, 2);
        SwaUtils.UpdateBn(NeverEnumerated(), model);
        Assert.True(model.Training);
    }

    private static IEnumerable<Tensor> NeverEnumerated()
    {
        throw new InvalidOperationException("the loader must not be read");
#pragma warning disable CS0162
        yield break;
#pragma warning restore CS0162
    }

    private sealed class WithBuffer : Module
    {
        public WithBuffer()
        {
            RegisterParameter("w", Parameter.Create(Tensor.Zeros(1)));
            Stat = RegisterBuffer("stat", Tensor.Zeros(1))!;
        }
        public Tensor Stat { get; }
        public override Tensor Forward(Tensor input) => input;
    }

    /// <summary>Tracks the mean of its inputs like a batch norm's running mean (cumulative when momentum is null).</summary>
    private sealed class FakeBatchNorm : Module, IBatchNormStats
    {
        private int tracked;
        public double RunningMean { get; private set; }
        public int Resets { get; private set; }
        public double? Momentum { get; set; }

        public void ResetRunningStats()
        {
            RunningMean = 0;
            tracked = 0;
            Resets++;
        }

        public override Tensor Forward(Tensor input)
        {
            if (!Training) return input;
            tracked++;
            double m = input.Mean().Item();
            double f = Momentum ?? 1.0 / tracked;
            RunningMean = (1 - f) * RunningMean + f * m;
            return input;
        }
    }
}
