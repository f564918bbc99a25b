using System.Text.Json;
using Descent.Optim;
using Descent.Optim.Schedulers;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>
/// Run k steps, save optimizer and scheduler, build fresh ones, load, continue: the lrs must be PyTorch's
/// uninterrupted schedule, in memory and through JSON.
/// </summary>
public class SchedulerStateDictTests
{
    public static IEnumerable<object[]> Cases() => SchedulerGolden.CaseIndices();

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static Dictionary<string, object?> ThroughJson(Dictionary<string, object?> state)
    {
        string text = JsonSerializer.Serialize(state, Json);
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(text, Json)!
            .ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RoundTripContinuesIdentically(int index, string name, string optimizer)
    {
        var c = SchedulerGolden.Case(index);
        var lrs = c.GetProperty("lr");
        var moms = c.GetProperty("momentum");
        int total = lrs.GetArrayLength() - 1;
        int k = Math.Max(1, total / 3);
        foreach (bool viaJson in new[] { false, true })
        {
            var opt = SchedulerGolden.MakeOptimizer(optimizer);
            var sched = SchedulerGolden.Build(c.GetProperty("spec"), opt);
            for (int i = 0; i < k; i++)
            {
                opt.Step();
                SchedulerGolden.StepOnce(sched, c, i);
            }
            var optState = opt.StateDict();
            var schedState = sched.StateDict();
            Assert.DoesNotContain("optimizer", schedState.Keys);
            if (viaJson) schedState = ThroughJson(schedState);

            var opt2 = SchedulerGolden.MakeOptimizer(optimizer);
            var sched2 = SchedulerGolden.Build(c.GetProperty("spec"), opt2);
            opt2.LoadStateDict(optState);
            sched2.LoadStateDict(schedState);
            Assert.Equal(sched.GetLastLr(), sched2.GetLastLr());
            Assert.Equal(sched.LastEpoch, sched2.LastEpoch);
            for (int i = k; i < total; i++)
            {
                opt2.Step();
                SchedulerGolden.StepOnce(sched2, c, i);
                var mom = SchedulerGolden.Momentum(opt2);
                for (int g = 0; g < 2; g++)
                {
                    Assert.True(lrs[i + 1][g].GetDouble() == opt2.ParamGroups[g].Lr,
                        $"{name} ({(viaJson ? "json" : "memory")}) step {i + 1} group {g}: {opt2.ParamGroups[g].Lr:R} vs {lrs[i + 1][g].GetDouble():R}");
                    Assert.Equal(moms[i + 1][g].GetDouble(), mom[g]);
                }
            }
        }
    }

    [Fact]
    public void StateDictHasPyTorchAttributeNames()
    {
        var opt = SchedulerGolden.MakeOptimizer("sgd");
        var s = new StepLR(opt, stepSize: 3, gamma: 0.5);
        var d = s.StateDict();
        foreach (var key in new[] { "step_size", "gamma", "base_lrs", "last_epoch", "_step_count", "_is_initial", "_get_lr_called_within_step", "_last_lr" })
            Assert.Contains(key, d.Keys);
        Assert.Equal(new[] { 0.1, 0.05 }, (double[])d["base_lrs"]!);
        Assert.Equal(0, d["last_epoch"]);
        Assert.Equal(1, d["_step_count"]);

        var lambda = new LambdaLR(SchedulerGolden.MakeOptimizer("sgd"), e => 1.0);
        Assert.Equal(new object?[] { null, null }, (object?[])lambda.StateDict()["lr_lambdas"]!);

        var plateau = new ReduceLROnPlateau(SchedulerGolden.MakeOptimizer("sgd"));
        var pd = plateau.StateDict();
        Assert.Equal(double.PositiveInfinity, pd["best"]);
        Assert.Equal("min", pd["mode"]);
        Assert.DoesNotContain("base_lrs", pd.Keys);
    }

    [Fact]
    public void LoadingRestoresHyperparameters()
    {
        var a = new StepLR(SchedulerGolden.MakeOptimizer("sgd"), stepSize: 2, gamma: 0.5);
        var opt = SchedulerGolden.MakeOptimizer("sgd");
        var b = new StepLR(opt, stepSize: 10, gamma: 0.9);
        b.LoadStateDict(a.StateDict());
        opt.Step();
        b.Step();
        opt.Step();
        b.Step();
        Assert.Equal(0.05, opt.ParamGroups[0].Lr, 15);
    }

    [Fact]
    public void ResumingWithLastEpochNeedsInitialLr()
    {
        var opt = SchedulerGolden.MakeOptimizer("sgd");
        var e = Assert.Throws<KeyNotFoundException>(() => new ExponentialLR(opt, 0.9, lastEpoch: 4));
        Assert.Equal("param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer", e.Message);

        // With initial_lr present, resuming keeps the current lr on the constructor's step (current PyTorch).
        foreach (var g in opt.ParamGroups) g["initial_lr"] = g.Lr;
        opt.ParamGroups[0].Lr = 0.07;
        var s = new ExponentialLR(opt, 0.9, lastEpoch: 4);
        Assert.Equal(5, s.LastEpoch);
        Assert.Equal(0.07, opt.ParamGroups[0].Lr);
        Assert.Equal(new[] { 0.1, 0.05 }, s.BaseLrs);
    }
}
