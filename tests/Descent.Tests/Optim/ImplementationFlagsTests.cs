using System.Text.Json.Nodes;
using Descent.Cli.Experiments;
using Descent.Optim;
using Descent.Tensors;
using Xunit;
using static Descent.Tests.Optim.KernelTestData;

namespace Descent.Tests.Optim;

/// <summary>
/// PyTorch's implementation switches (<c>foreach</c>, <c>fused</c>, <c>capturable</c>, <c>differentiable</c>): the
/// optimizers that have them in PyTorch take them as constructor arguments, group overrides and registry keyword
/// arguments alike; <c>foreach</c> and <c>fused</c> change no number; the combinations PyTorch refuses are refused with
/// its messages, by every route, before anything changes.
/// </summary>
[Collection("Console")]
public class ImplementationFlagsTests
{
    private static readonly (string Key, bool? Value)[] NumberFreeSwitches = [("foreach", true), ("foreach", false), ("fused", true), ("fused", false)];

    /// <summary>Every registered optimizer and configuration, with each value of the switches it has that change no number.</summary>
    public static TheoryData<string, int, string, bool, DType> Variants()
    {
        var data = new TheoryData<string, int, string, bool, DType>();
        foreach (var name in OptimizerCases.Names)
            foreach (var (key, value) in NumberFreeSwitches)
                if (OptimizerRegistry.GetOptimizer(name).FindOption(key) is not null)
                    for (int config = 0; config < OptimizerCases.ConfigsOf(name).Length; config++)
                        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                            data.Add(name, config, key, value!.Value, dtype);
        return data;
    }

    private static (List<Tensor> Params, OptimizerStateDict State) Trajectory(Optimizer opt, List<Tensor> ps)
    {
        for (int i = 0; i < 3; i++) OptimizerCases.StepOnce(opt);
        return (ps, opt.StateDict());
    }

    private static void AssertSame((List<Tensor> Params, OptimizerStateDict State) expected, (List<Tensor> Params, OptimizerStateDict State) actual, string what)
    {
        for (int i = 0; i < expected.Params.Count; i++) AssertSameBits(expected.Params[i].Detach(), actual.Params[i].Detach(), $"{what}, param {i}", nanAsOne: true);
        Assert.Equal(expected.State.State.Keys, actual.State.State.Keys);
        foreach (var (id, entries) in expected.State.State)
            foreach (var (key, value) in entries)
                if (value is Tensor t) AssertSameBits(t, (Tensor)actual.State.State[id][key], $"{what}, state {id} '{key}'", nanAsOne: true);
                else Assert.Equal(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                    Convert.ToString(actual.State.State[id][key], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void ForeachAndFusedChangeNoNumber(string name, int config, string key, bool value, DType dtype)
    {
        var baseline = OptimizerCases.Params(dtype: dtype);
        var expected = Trajectory(OptimizerCases.Make(name, config, baseline), baseline);
        string what = $"{name} config {config} {key}={value} {dtype}";

        // As a keyword argument (the registry calls the constructor with it)...
        var ps = OptimizerCases.Params(dtype: dtype);
        var options = new Dictionary<string, object?>(OptimizerCases.ConfigsOf(name)[config]) { [key] = value };
        var opt = OptimizerRegistry.Create(name, [new ParamGroup(ps)], options);
        Assert.Equal(value, opt.ParamGroups[0][key]);
        AssertSame(expected, Trajectory(opt, ps), what);

        // ...and as a group's override.
        ps = OptimizerCases.Params(dtype: dtype);
        var group = new ParamGroup(ps) { [key] = value };
        opt = OptimizerCases.Make(name, config, [group]);
        Assert.Equal(value, opt.ParamGroups[0][key]);
        Assert.Null(opt.Defaults[key]);
        AssertSame(expected, Trajectory(opt, ps), what + " (group)");
    }

    [Fact]
    public void TheSwitchesAreConstructorArgumentsRecordedUnderPyTorchsKeys()
    {
        var ps = OptimizerCases.Params();
        var adam = new Adam(ps, fused: true);
        Assert.Equal(true, adam.ParamGroups[0]["fused"]);
        Assert.Null(adam.ParamGroups[0]["foreach"]);
        Assert.Equal(false, adam.ParamGroups[0]["capturable"]);
        var sgd = new SGD(OptimizerCases.Params(), forEach: false);
        Assert.Equal(false, sgd.ParamGroups[0]["foreach"]);
        Assert.Null(sgd.ParamGroups[0]["fused"]);
        var adamw = new AdamW(OptimizerCases.Params(), forEach: true, capturable: false);
        Assert.Equal(true, adamw.ParamGroups[0]["foreach"]);
        var adafactor = new Adafactor(OptimizerCases.Params(), forEach: true);
        Assert.Equal(true, adafactor.Defaults["foreach"]);
        Assert.Equal("foreach", OptimizerRegistry.SnakeCase("forEach"));
        // PyTorch's keys for every optimizer that has them: those its constructor records, and no others.
        string[] flags = ["foreach", "fused", "capturable", "differentiable"];
        var expected = new Dictionary<string, string[]>
        {
            ["SGD"] = ["foreach", "fused", "differentiable"], ["RMSprop"] = ["foreach", "capturable", "differentiable"],
            ["Adam"] = flags, ["AdamW"] = flags, ["Adagrad"] = ["foreach", "fused", "differentiable"],
            ["Adadelta"] = ["foreach", "capturable", "differentiable"], ["Adamax"] = ["foreach", "capturable", "differentiable"],
            ["NAdam"] = ["foreach", "capturable", "differentiable"], ["RAdam"] = ["foreach", "capturable", "differentiable"],
            ["ASGD"] = ["foreach", "capturable", "differentiable"], ["Rprop"] = ["foreach", "capturable", "differentiable"],
            ["Adafactor"] = ["foreach"], ["LBFGS"] = [], ["SparseAdam"] = [], ["Muon"] = [],
        };
        foreach (var name in OptimizerRegistry.Names)
        {
            var info = OptimizerRegistry.GetOptimizer(name);
            var opt = info.Create(OptimizerCases.Params());
            Assert.Equal(expected[name].Order(), flags.Where(opt.Defaults.ContainsKey).Order());
            Assert.Equal(expected[name].Order(), flags.Where(f => info.FindOption(f) is not null).Order());
        }
    }

    /// <summary>Refusals: optimizer, switches, exception type and message (PyTorch's where PyTorch refuses).</summary>
    public static TheoryData<string, string, Type, string> Refusals() => new()
    {
        { "SGD", "fused=true,differentiable=true", typeof(InvalidOperationException), "`fused` does not support `differentiable`" },
        { "SGD", "fused=true,foreach=true", typeof(InvalidOperationException), "`fused` and `foreach` cannot be `True` together." },
        { "Adam", "fused=true,differentiable=true", typeof(InvalidOperationException), "`fused` does not support `differentiable`" },
        { "Adam", "foreach=true,fused=true", typeof(InvalidOperationException), "`fused` and `foreach` cannot be `True` together." },
        { "AdamW", "fused=true,differentiable=true,foreach=true", typeof(InvalidOperationException), "`fused` does not support `differentiable`" },
        { "Adagrad", "fused=true,foreach=true", typeof(InvalidOperationException), "`fused` and `foreach` cannot be `True` together." },
        { "LBFGS", "foreach=false", typeof(ArgumentException), "LBFGS.__init__() got an unexpected keyword argument 'foreach'" },
        { "SparseAdam", "capturable=false", typeof(ArgumentException), "SparseAdam.__init__() got an unexpected keyword argument 'capturable'" },
        { "Muon", "fused=true", typeof(ArgumentException), "Muon.__init__() got an unexpected keyword argument 'fused'" },
        { "Adamax", "fused=true", typeof(ArgumentException), "Adamax.__init__() got an unexpected keyword argument 'fused'" },
        { "Adafactor", "differentiable=false", typeof(ArgumentException), "Adafactor.__init__() got an unexpected keyword argument 'differentiable'" },
    };

    private static Dictionary<string, object?> Parse(string switches) =>
        switches.Split(',').Select(s => s.Split('=')).ToDictionary(kv => kv[0], kv => (object?)bool.Parse(kv[1]));

    [Theory]
    [MemberData(nameof(Refusals))]
    public void RefusalsAreTheSameByEveryRoute(string name, string switches, Type error, string message)
    {
        var options = Parse(switches);
        var ps = OptimizerCases.Params();
        var before = ps.Select(p => p.Detach().Clone()).ToList();

        // A keyword argument (the constructor's own checks: the registry calls it).
        var e = Assert.Throws(error, () => OptimizerRegistry.Create(name, [new ParamGroup(ps)], options));
        Assert.Equal(message, e.Message);

        // A group's override, given at construction and added later; a refused group is not added.
        var group = new ParamGroup(ps);
        foreach (var (k, v) in options) group[k] = v;
        e = Assert.Throws(error, () => OptimizerRegistry.Create(name, [group], new Dictionary<string, object?>()));
        Assert.Equal(message, e.Message);
        if (name != "LBFGS") // (which takes one group)
        {
            var other = OptimizerCases.Params(seed: 1);
            var opt = OptimizerRegistry.Create(name, [new ParamGroup(other)], new Dictionary<string, object?>());
            group = new ParamGroup(ps);
            foreach (var (k, v) in options) group[k] = v;
            e = Assert.Throws(error, () => opt.AddParamGroup(group));
            Assert.Equal(message, e.Message);
            Assert.Single(opt.ParamGroups);
            opt.AddParamGroup(new ParamGroup(ps)); // the refused group's parameters were not taken
            Assert.Equal(2, opt.ParamGroups.Count);
        }

        // The CLI's --opt: the same message, on one line after the option.
        var cli = Assert.ThrowsAny<Exception>(() => LabOptimizers.Parse($"{name.ToLowerInvariant()}:{switches}"));
        if (error == typeof(ArgumentException)) Assert.Contains($"{name} has no option", cli.Message);
        else Assert.Equal($"--opt '{name.ToLowerInvariant()}:{switches}': {message}", cli.Message);

        // Nothing changed.
        for (int i = 0; i < ps.Count; i++) AssertSameBits(before[i], ps[i].Detach(), $"param {i}");
    }

    [Fact]
    public void ReplayGroupSwitchesConvertAsKeywordArguments()
    {
        Assert.Equal(true, OptimizerRegistry.ConvertOption("Adam", "fused", System.Text.Json.JsonDocument.Parse("true").RootElement));
        Assert.Null(OptimizerRegistry.ConvertOption("SGD", "foreach", null));
        var e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.ConvertOption("LBFGS", "foreach", true));
        Assert.Equal("LBFGS.__init__() got an unexpected keyword argument 'foreach'", e.Message);
        e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.ConvertOption("Adam", "capturable", null));
        Assert.Equal("Adam: option 'capturable' cannot be None", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Adam([new ParamGroup(OptimizerCases.Params()) { ["capturable"] = "yes" }]));
        Assert.Equal("Adam: option 'capturable' must be a bool, got 'yes'", e.Message);
        e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.Create("Adam", [new ParamGroup(OptimizerCases.Params())], new Dictionary<string, object?> { ["capturable"] = "yes" }));
        Assert.Equal("Adam: option 'capturable' must be a bool, got 'yes'", e.Message);
    }

    public static TheoryData<string, string> CapturableMessages() => new()
    {
        { "Adam", "params and state_steps" }, { "AdamW", "params and state_steps" }, { "Adamax", "params and state_steps" },
        { "Adadelta", "params and state_steps" }, { "RAdam", "params and state_steps" }, { "RMSprop", "params and state_steps" },
        { "Rprop", "params and state_steps" }, { "NAdam", "params, mu_products and state_steps" }, { "ASGD", "params, mus, etas, and state_steps" },
    };

    [Theory]
    [MemberData(nameof(CapturableMessages))]
    public void CapturableIsRefusedWhenSteppedAsOnPyTorchsCpu(string name, string tensors)
    {
        var ps = OptimizerCases.Params();
        var opt = OptimizerRegistry.Create(name, [new ParamGroup(ps)], new Dictionary<string, object?> { ["capturable"] = true });
        var before = ps.Select(p => p.Detach().Clone()).ToList();
        OptimizerCases.Loss(opt);
        var e = Assert.Throws<InvalidOperationException>(() => opt.Step());
        Assert.Equal($"If capturable=True, {tensors} must be on supported devices: ['cuda', 'xpu', 'hpu', 'privateuseone', 'xla'].", e.Message);
        for (int i = 0; i < ps.Count; i++) AssertSameBits(before[i], ps[i].Detach(), $"{name} param {i}");
        if (name != "Adagrad") Assert.Empty(opt.State); // (Adagrad makes its state at construction)
    }

    [Fact]
    public void FusedTakesCapturableAndForeachRefusesDifferentiableWhenStepped()
    {
        var baseline = OptimizerCases.Params();
        var expected = Trajectory(OptimizerCases.Make("Adam", 0, baseline), baseline);
        var ps = OptimizerCases.Params();
        AssertSame(expected, Trajectory(new Adam(ps, fused: true, capturable: true), ps), "Adam fused capturable");

        ps = OptimizerCases.Params();
        var opt = new Adam(ps, forEach: true, differentiable: true);
        OptimizerCases.Loss(opt);
        var e = Assert.Throws<InvalidOperationException>(() => opt.Step());
        Assert.Equal("_foreach ops don't support autograd", e.Message);
    }

    private static (int Code, string Err) Cli(params string[] args)
    {
        var err = new StringWriter();
        var old = Console.Error;
        Console.SetError(err);
        try { return (Descent.Cli.Cli.Main(args), err.ToString()); }
        finally { Console.SetError(old); }
    }

    [Fact]
    public void ReplayTakesTheSwitches()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"descent-flags-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var source = Path.Combine(AppContext.BaseDirectory, "Golden", "conformance", "Adam.amsgrad.json");
            string Run(string label, Action<JsonObject> edit, bool ok = true)
            {
                var spec = JsonNode.Parse(File.ReadAllText(source))!.AsObject();
                edit(spec);
                string specPath = Path.Combine(dir, label + ".spec.json"), outPath = Path.Combine(dir, label + ".out.json");
                File.WriteAllText(specPath, spec.ToJsonString());
                var (code, err) = Cli("replay", "--spec", specPath, "--out", outPath);
                if (!ok)
                {
                    Assert.NotEqual(0, code);
                    Assert.False(File.Exists(outPath));
                    return err;
                }
                Assert.Equal("", err);
                Assert.Equal(0, code);
                return File.ReadAllText(outPath);
            }
            JsonObject Options(JsonObject spec) => spec["optimizer"]!["options"]!.AsObject();
            string plain = Run("plain", _ => { });
            Assert.Equal(plain, Run("fused", s => Options(s)["fused"] = true));
            Assert.Equal(plain, Run("foreach", s => { Options(s)["foreach"] = true; Options(s)["capturable"] = false; Options(s)["differentiable"] = false; }));
            Assert.Equal(plain, Run("none", s => { Options(s)["foreach"] = null; Options(s)["fused"] = null; }));
            Assert.Contains("`fused` and `foreach` cannot be `True` together.",
                Run("both", s => { Options(s)["fused"] = true; Options(s)["foreach"] = true; }, ok: false));
            Assert.Contains("If capturable=True, params and state_steps must be on supported devices",
                Run("capturable", s => Options(s)["capturable"] = true, ok: false));
        }
        finally { Directory.Delete(dir, true); }
    }
}
