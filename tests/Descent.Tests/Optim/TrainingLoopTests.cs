using System.Text.Json;
using Descent.Cli.Experiments;
using Descent.Data;
using Descent.NN;
using Descent.NN.Utils;
using Descent.Optim;
using Descent.Optim.Schedulers;
using Descent.Optim.Swa;
using Descent.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace Descent.Tests.Optim;

/// <summary>
/// The tutorial's data and 1-20-1 network trained with a scheduler, gradient clipping and an EMA copy, step by
/// step against PyTorch (tests/golden/gen_sched.py, <c>training_cases</c>).
/// </summary>
[Collection("GlobalGenerator")]
public class TrainingLoopTests(ITestOutputHelper output)
{
    private static JsonElement Golden => SchedulerGolden.Root.GetProperty("training");

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static DataLoader TutorialData(long seed)
    {
        Torch.ManualSeed(seed);
        var (x, y) = Comparison.QuadraticData();
        return new DataLoader(new TensorDataset(x, y), batchSize: 32, shuffle: true);
    }

    [Fact]
    public void OneCycleWithNormClippingAndEma()
    {
        var g = Golden.GetProperty("one_cycle_clip_ema");
        var loader = TutorialData(1);
        var net = new TutorialNet();
        var opt = new SGD(net.Parameters(), lr: 0.01, momentum: 0.9);
        var sched = new OneCycleLR(opt, maxLr: 0.1, epochs: 3, stepsPerEpoch: loader.Count);
        var ema = new AveragedModel(net, () => new TutorialNet(), avgFn: SwaUtils.GetEmaAvgFn(0.95));
        var lossFn = new MSELoss();
        double[] losses = Doubles(g.GetProperty("losses")), norms = Doubles(g.GetProperty("norms"));
        double[] lrs = Doubles(g.GetProperty("lrs")), momenta = Doubles(g.GetProperty("momenta"));
        int t = 0;
        double worstLoss = 0, worstNorm = 0;
        for (int epoch = 0; epoch < 3; epoch++)
            foreach (var batch in loader)
            {
                var loss = lossFn.Forward(net.Forward(batch[0]), batch[1]);
                opt.ZeroGrad();
                loss.Backward();
                var norm = ClipGrad.ClipGradNorm_(net.Parameters(), 1.0);
                opt.Step();
                sched.Step();
                ema.UpdateParameters(net);
                Assert.True(Math.Abs(loss.Item() - losses[t]) <= 1e-4, $"step {t}: loss {loss.Item()} vs {losses[t]}");
                Assert.True(Math.Abs(norm.Item() - norms[t]) <= 1e-4 * norms[t], $"step {t}: norm {norm.Item()} vs {norms[t]}");
                worstLoss = Math.Max(worstLoss, Math.Abs(loss.Item() - losses[t]));
                worstNorm = Math.Max(worstNorm, Math.Abs(norm.Item() - norms[t]) / norms[t]);
                Assert.Equal(lrs[t], opt.ParamGroups[0].Lr);
                Assert.Equal(momenta[t], opt.ParamGroups[0].GetDouble("momentum"));
                t++;
            }
        Assert.Equal(losses.Length, t);
        output.WriteLine($"worst loss difference {worstLoss:E2}, worst relative norm difference {worstNorm:E2}");
        var state = ema.Module.StateDict();
        foreach (var p in g.GetProperty("ema").EnumerateObject())
        {
            var want = Doubles(p.Value);
            var got = state[p.Name].ToArray();
            for (int i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(got[i] - want[i]) <= 1e-4, $"ema {p.Name}[{i}]: {got[i]} vs {want[i]}");
        }
    }

    [Fact]
    public void PlateauWithValueClipping()
    {
        var g = Golden.GetProperty("plateau_clip_value");
        var loader = TutorialData(2);
        var net = new TutorialNet();
        var opt = new Adam(net.Parameters(), lr: 0.05);
        var sched = new ReduceLROnPlateau(opt, patience: 0, factor: 0.5, threshold: 0.05);
        var lossFn = new MSELoss();
        double[] losses = Doubles(g.GetProperty("losses")), epochLrs = Doubles(g.GetProperty("epoch_lrs"));
        int t = 0;
        double worst = 0;
        for (int epoch = 0; epoch < 5; epoch++)
        {
            double total = 0;
            int count = 0;
            foreach (var batch in loader)
            {
                var loss = lossFn.Forward(net.Forward(batch[0]), batch[1]);
                opt.ZeroGrad();
                loss.Backward();
                ClipGrad.ClipGradValue_(net.Parameters(), 0.05);
                opt.Step();
                Assert.True(Math.Abs(loss.Item() - losses[t]) <= 1e-4, $"step {t}: loss {loss.Item()} vs {losses[t]}");
                worst = Math.Max(worst, Math.Abs(loss.Item() - losses[t]));
                total += loss.Item();
                count++;
                t++;
            }
            sched.Step(total / count);
            Assert.Equal(epochLrs[epoch], opt.ParamGroups[0].Lr);
        }
        output.WriteLine($"worst loss difference {worst:E2}");
    }

    [Fact]
    public void DocsExampleRuns()
    {
        // docs/schedulers.md's loop, for 3 epochs.
        var loader = TutorialData(3);
        var net = new TutorialNet();
        var lossFn = new MSELoss();
        var opt = new SGD(net.Parameters(), lr: 0.1, momentum: 0.9);
        var warmup = new LinearLR(opt, startFactor: 0.1, totalIters: 5);
        var cosine = new CosineAnnealingLR(opt, tMax: 95);
        var sched = new SequentialLR(opt, [warmup, cosine], milestones: [5]);
        var swa = new AveragedModel(net, () => new TutorialNet(), multiAvgFn: SwaUtils.GetEmaMultiAvgFn(0.999));
        var lrs = new List<double>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            foreach (var batch in loader)
            {
                opt.ZeroGrad();
                lossFn.Forward(net.Forward(batch[0]), batch[1]).Backward();
                ClipGrad.ClipGradNorm_(net.Parameters(), maxNorm: 1.0);
                opt.Step();
                swa.UpdateParameters(net);
            }
            sched.Step();
            lrs.Add(opt.ParamGroups[0].Lr);
        }
        // LinearLR warm-up: 0.1 · (0.1 + 0.9·t/5) at epochs 1..3.
        Assert.Equal([0.028, 0.046, 0.064], lrs.Select(v => Math.Round(v, 12)));
        Assert.Equal(3L * loader.Count, swa.NAveraged.Item<long>());
        Assert.All(swa.Module.Parameters().SelectMany(p => p.ToArray()), v => Assert.True(float.IsFinite(v)));
    }
}
