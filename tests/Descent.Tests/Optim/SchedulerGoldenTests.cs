using System.Text.Json;
using Descent.Optim;
using Descent.Optim.Schedulers;
using Xunit;
using Xunit.Abstractions;

namespace Descent.Tests.Optim;

/// <summary>Every scheduler, several configurations, 60+ steps, SGD and Adam: lrs and momenta against PyTorch's.</summary>
public class SchedulerGoldenTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases() => SchedulerGolden.CaseIndices();

    /// <summary>Replays one golden case; returns the worst relative error seen.</summary>
    internal static double Replay(JsonElement c)
    {
        var opt = SchedulerGolden.MakeOptimizer(c.GetProperty("optimizer").GetString()!);
        var sched = SchedulerGolden.Build(c.GetProperty("spec"), opt);
        var lrs = c.GetProperty("lr");
        var moms = c.GetProperty("momentum");
        double worst = 0;
        void Check(int step)
        {
            var lr = lrs[step];
            var mom = moms[step];
            var actualMom = SchedulerGolden.Momentum(opt);
            for (int g = 0; g < opt.ParamGroups.Count; g++)
            {
                double e = lr[g].GetDouble(), a = opt.ParamGroups[g].Lr;
                SchedulerGolden.AssertClose(e, a, $"step {step} group {g} lr");
                worst = Math.Max(worst, SchedulerGolden.RelErr(a, e));
                double em = mom[g].GetDouble();
                SchedulerGolden.AssertClose(em, actualMom[g], $"step {step} group {g} momentum");
                worst = Math.Max(worst, SchedulerGolden.RelErr(actualMom[g], em));
            }
            if (sched is not ReduceLROnPlateau || step > 0)
                Assert.Equal(opt.ParamGroups.Select(g => g.Lr), sched.GetLastLr());
        }

        Check(0);
        int steps = lrs.GetArrayLength() - 1;
        for (int i = 0; i < steps; i++)
        {
            opt.Step();
            SchedulerGolden.StepOnce(sched, c, i);
            Check(i + 1);
        }
        return worst;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(int index, string name, string optimizer)
    {
        var c = SchedulerGolden.Case(index);
        Assert.Equal(name, c.GetProperty("name").GetString());
        Assert.Equal(optimizer, c.GetProperty("optimizer").GetString());
        double worst = Replay(c);
        output.WriteLine($"{name} ({optimizer}): worst relative error {worst:E2}");
    }

    [Fact]
    public void WorstErrorOverAllCases()
    {
        double worst = 0;
        string where = "";
        int i = 0;
        foreach (var c in SchedulerGolden.Root.GetProperty("schedulers").EnumerateArray())
        {
            double w = Replay(c);
            if (w > worst) { worst = w; where = $"{c.GetProperty("name").GetString()} #{i}"; }
            i++;
        }
        output.WriteLine($"worst relative error over all scheduler goldens: {worst:E2} ({where})");
        Assert.True(worst <= 1e-6);
    }
}
