using System.Reflection;
using Descent.Optim;
using Descent.Optim.Schedulers;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>
/// The registry of optimizers and schedulers: its declarations are the constructors' own (names, order, defaults,
/// read here by reflection, which the registry itself never uses), and keyword arguments bind as in Python.
/// </summary>
public class OptimizerRegistryTests
{
    private static readonly Assembly Core = typeof(Optimizer).Assembly;

    private static string Plain(string name) => name.Replace("_", "").ToLowerInvariant();

    public static TheoryData<string> OptimizerNames() => [.. OptimizerRegistry.Names];

    public static TheoryData<string> SchedulerNames() => [.. OptimizerRegistry.SchedulerNames];

    [Fact]
    public void EveryOptimizerClassIsRegisteredInTheLabsOrder()
    {
        var classes = Core.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(Optimizer)) && !t.IsAbstract).Select(t => t.Name).Order();
        Assert.Equal(classes, OptimizerRegistry.Names.Order());
        // PyTorch's documentation order first; an optimizer added later goes after these.
        Assert.Equal(["SGD", "RMSprop", "Adam", "Adagrad", "Adadelta", "Adamax", "AdamW", "NAdam", "RAdam", "ASGD", "Rprop", "LBFGS",
            "SparseAdam", "Adafactor", "Muon"], OptimizerRegistry.Names.Take(15));
    }

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void OptimizerDeclarationsAreTheConstructors(string name)
    {
        var info = OptimizerRegistry.GetOptimizer(name);
        var ctor = Core.GetExportedTypes().Single(t => t.Name == name)
            .GetConstructors().Single(c => c.GetParameters()[0].ParameterType == typeof(IEnumerable<ParamGroup>));
        var ps = ctor.GetParameters().Skip(1).ToList();
        Assert.Equal(ps.Select(p => OptimizerRegistry.SnakeCase(p.Name!)), info.Options.Select(o => o.Name));
        foreach (var (p, o) in ps.Zip(info.Options))
        {
            Assert.False(o.Required);
            // A constant default must be the declared one; a null default stands for None or a tuple the body fills in.
            if (p.DefaultValue is not null) Assert.Equal(System.Convert.ToDouble(p.DefaultValue), System.Convert.ToDouble(o.Default));
        }
        // Created with no options, the optimizer's defaults are the declared ones (max_eval's None becomes max_iter·5/4).
        var opt = info.Create([Tensor.Zeros(2, 2).RequiresGrad_()]);
        foreach (var o in info.Options.Where(o => o.Name != "max_eval")) Assert.Equal(o.Default, opt.Defaults[o.Name]);
        // And they are what the constructor gives when called without them.
        var direct = (Optimizer)ctor.Invoke([(IEnumerable<ParamGroup>)[new ParamGroup([Tensor.Zeros(2, 2).RequiresGrad_()])], .. ps.Select(p => p.DefaultValue)]);
        Assert.Equal(direct.Defaults.OrderBy(e => e.Key), opt.Defaults.OrderBy(e => e.Key));
    }

    [Theory]
    [MemberData(nameof(SchedulerNames))]
    public void SchedulerDeclarationsAreTheConstructors(string name)
    {
        var info = OptimizerRegistry.GetScheduler(name);
        var ctor = Core.GetExportedTypes().Single(t => t.Name == name).GetConstructors()
            .Where(c => c.GetParameters() is { Length: > 1 } ps && ps[1].ParameterType != typeof(IReadOnlyList<double>))
            .Single();
        // The parameters a keyword can set (a scale function is a program, not a value).
        var ps = ctor.GetParameters().Skip(1).Where(p => !typeof(Delegate).IsAssignableFrom(p.ParameterType)).ToList();
        Assert.Equal(ps.Select(p => Plain(p.Name!)), info.Options.Select(o => Plain(o.Name)));
        foreach (var (p, o) in ps.Zip(info.Options))
        {
            Assert.Equal(!p.HasDefaultValue, o.Required);
            if (!p.HasDefaultValue) continue;
            if (p.DefaultValue is string s) Assert.Equal(s, o.Default);
            else if (p.DefaultValue is not null) Assert.Equal(System.Convert.ToDouble(p.DefaultValue), System.Convert.ToDouble(o.Default));
        }
    }

    [Fact]
    public void KeywordsBindAsInPython()
    {
        var ps = new List<Tensor> { Tensor.Zeros(2).RequiresGrad_() };
        var e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.Create("Adamm", [new ParamGroup(ps)], new Dictionary<string, object?>()));
        Assert.StartsWith("unknown optimizer 'Adamm'; known: SGD, RMSprop, Adam,", e.Message);
        e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.Create("Adam", [new ParamGroup(ps)], new Dictionary<string, object?> { ["lrr"] = 1.0 }));
        Assert.Equal("Adam.__init__() got an unexpected keyword argument 'lrr'", e.Message);
        e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.Create("Adam", [new ParamGroup(ps)], new Dictionary<string, object?> { ["betas"] = null }));
        Assert.Equal("Adam: option 'betas' cannot be None", e.Message);
        e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.Create("Adam", [new ParamGroup(ps)], new Dictionary<string, object?> { ["betas"] = new[] { 0.9 } }));
        Assert.Equal("Adam: option 'betas' must have 2 values, got 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.Create("LBFGS", [new ParamGroup(ps)], new Dictionary<string, object?> { ["max_iter"] = 2.5 }));
        Assert.Equal("LBFGS: option 'max_iter' must be an integer, got 2.5", e.Message);
        e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.Create("SGD", [new ParamGroup(ps)], new Dictionary<string, object?> { ["lr"] = "0.1" }));
        Assert.Equal("SGD: option 'lr' must be a number, got '0.1'", e.Message);
        var refused = Assert.Throws<InvalidOperationException>(() => OptimizerRegistry.Create("SGD", [new ParamGroup(ps)], new Dictionary<string, object?> { ["fused"] = true, ["foreach"] = true }));
        Assert.Equal("`fused` and `foreach` cannot be `True` together.", refused.Message);
        e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.Create("LBFGS", [new ParamGroup(ps)], new Dictionary<string, object?> { ["foreach"] = false }));
        Assert.Equal("LBFGS.__init__() got an unexpected keyword argument 'foreach'", e.Message);
        var sgd = OptimizerRegistry.Create("SGD", [new ParamGroup(ps)], new Dictionary<string, object?> { ["foreach"] = true, ["lr"] = "inf", ["momentum"] = 1L });
        Assert.Equal(double.PositiveInfinity, sgd.ParamGroups[0].Lr);
        Assert.Equal(1.0, sgd.Defaults["momentum"]);

        var opt = SchedulerGolden.MakeOptimizer("sgd");
        e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.CreateScheduler("CyclicLR", opt, new Dictionary<string, object?>()));
        Assert.Equal("CyclicLR.__init__() missing 2 required positional arguments: 'base_lr' and 'max_lr'", e.Message);
        e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.CreateScheduler("StepLR", opt, new Dictionary<string, object?> { ["step_size"] = 2, ["gamma"] = null }));
        Assert.Equal("StepLR: option 'gamma' cannot be None", e.Message);
    }

    [Fact]
    public void GroupOptionsConvertToTheStoredForm()
    {
        Assert.Equal((0.9, 0.99), OptimizerRegistry.ConvertOption("Adam", "betas", new List<object?> { 0.9, 0.99 }));
        Assert.Equal(((double?)null, 1e-3), OptimizerRegistry.ConvertOption("Adafactor", "eps", new List<object?> { null, 1e-3 }));
        Assert.Equal(7, OptimizerRegistry.ConvertOption("LBFGS", "history_size", 7.0));
        Assert.Equal(0.5, OptimizerRegistry.ConvertOption("SGD", "initial_lr", 0.5));
        var e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.ConvertOption("SGD", "betas", new List<object?> { 0.9, 0.99 }));
        Assert.Equal("SGD.__init__() got an unexpected keyword argument 'betas'", e.Message);
    }
}
