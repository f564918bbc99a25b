using Descent.Optim;
using Descent.Optim.Schedulers;
using Descent.Optim.Swa;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>Building schedulers through the registry by PyTorch class and keyword names (the goldens cover the values).</summary>
public class SchedulerRegistryTests
{
    private static Optimizer Sgd() => SchedulerGolden.MakeOptimizer("sgd");

    [Fact]
    public void BuildsEveryListedScheduler()
    {
        var options = new Dictionary<string, Dictionary<string, object?>>
        {
            ["StepLR"] = new() { ["step_size"] = 3 },
            ["MultiStepLR"] = new() { ["milestones"] = new List<object> { 2, 5L } },
            ["ConstantLR"] = new(),
            ["LinearLR"] = new() { ["total_iters"] = 4 },
            ["ExponentialLR"] = new() { ["gamma"] = 0.9f },
            ["PolynomialLR"] = new() { ["power"] = 2 },
            ["CosineAnnealingLR"] = new() { ["T_max"] = 10.0 },
            ["CosineAnnealingWarmRestarts"] = new() { ["T_0"] = 3, ["T_mult"] = 2 },
            ["CyclicLR"] = new() { ["base_lr"] = 0.01, ["max_lr"] = new[] { 0.1, 0.2 }, ["step_size_up"] = 4 },
            ["OneCycleLR"] = new() { ["max_lr"] = 0.2, ["epochs"] = 2, ["steps_per_epoch"] = 5, ["total_steps"] = null },
            ["ReduceLROnPlateau"] = new() { ["patience"] = 0, ["min_lr"] = new[] { 0.01, 0.02 } },
            ["SWALR"] = new() { ["swa_lr"] = 0.05 },
        };
        Assert.Equal(OptimizerRegistry.SchedulerNames.Order(), options.Keys.Order());
        foreach (var (name, kwargs) in options)
        {
            var opt = Sgd();
            var s = OptimizerRegistry.CreateScheduler(name, opt, kwargs);
            Assert.Equal(name, s.GetType().Name);
            for (int i = 0; i < 5; i++)
            {
                opt.Step();
                s.StepAfterOptimizer(1.0);
            }
        }
    }

    [Fact]
    public void StepAfterOptimizerGivesThePlateauTheLoss()
    {
        var opt = Sgd();
        var s = OptimizerRegistry.CreateScheduler("ReduceLROnPlateau", opt, new Dictionary<string, object?> { ["patience"] = 1, ["factor"] = 0.5 });
        foreach (var loss in new[] { 1.0, 0.5, 0.6, 0.7 })
        {
            opt.Step();
            s.StepAfterOptimizer(loss);
        }
        Assert.Equal(0.05, opt.ParamGroups[0].Lr, 15);
        Assert.Equal(0.5, ((ReduceLROnPlateau)s).Best);
    }

    [Fact]
    public void UnknownNamesAndKeywordsAreNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.CreateScheduler("LambdaLR", Sgd(), new Dictionary<string, object?>()));
        Assert.Contains("'LambdaLR'", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            OptimizerRegistry.CreateScheduler("StepLR", Sgd(), new Dictionary<string, object?> { ["step_size"] = 3, ["step"] = 1 }));
        Assert.Equal("StepLR.__init__() got an unexpected keyword argument 'step'", e.Message);
        e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.CreateScheduler("StepLR", Sgd(), new Dictionary<string, object?>()));
        Assert.Equal("StepLR.__init__() missing 1 required positional argument: 'step_size'", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            OptimizerRegistry.CreateScheduler("StepLR", Sgd(), new Dictionary<string, object?> { ["step_size"] = 2.5 }));
        Assert.Contains("'step_size'", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            OptimizerRegistry.CreateScheduler("OneCycleLR", Sgd(), new Dictionary<string, object?> { ["max_lr"] = 0.1, ["total_steps"] = 10, ["anneal_strategy"] = "exp" }));
        Assert.Equal("anneal_strategy must be one of 'cos' or 'linear', instead got exp", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            OptimizerRegistry.CreateScheduler("ReduceLROnPlateau", Sgd(), new Dictionary<string, object?> { ["threshold_mode"] = "x" }));
        Assert.Equal("threshold mode x is unknown!", e.Message);
    }

    [Fact]
    public void SwalrIsInTheSwaNamespace() =>
        Assert.IsType<SWALR>(OptimizerRegistry.CreateScheduler("SWALR", Sgd(), new Dictionary<string, object?> { ["swa_lr"] = 0.01 }));
}
