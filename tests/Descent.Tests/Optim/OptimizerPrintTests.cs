using System.Text.Json;
using Descent.Optim;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>
/// print(optimizer), print(optimizer.param_groups[0]) and print(optimizer.state_dict()) against PyTorch's text
/// (Golden/optim_print.json, from tests/golden/gen_optim_print.py): defaults, given values, several groups, state
/// after steps, a scheduler's initial_lr.
/// </summary>
public class OptimizerPrintTests
{
    private static JsonElement Golden => GoldenJson.Load("optim_print.json");

    public static TheoryData<string> Cases()
    {
        var names = new TheoryData<string>();
        foreach (var c in Golden.GetProperty("cases").EnumerateArray()) names.Add(c.GetProperty("name").GetString()!);
        return names;
    }

    private static JsonElement Case(string name) =>
        Golden.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static Tensor[] Params() =>
    [
        .. Golden.GetProperty("params").EnumerateArray().Select(p =>
            Tensor.FromArray(GoldenJson.Numbers(p[1]).Select(v => (float)v).ToArray(), GoldenJson.Ints(p[0])).RequiresGrad_()),
    ];

    private static Dictionary<string, object?> Options(JsonElement o) =>
        o.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);

    private static Optimizer Build(JsonElement c, out Tensor[] ps)
    {
        var name = c.GetProperty("optimizer").GetString()!;
        var parameters = Params();
        var groups = new List<ParamGroup>();
        foreach (var g in c.GetProperty("groups").EnumerateArray())
        {
            var group = new ParamGroup(g.GetProperty("params").EnumerateArray().Select(i => parameters[i.GetInt32()]));
            foreach (var p in g.EnumerateObject().Where(p => p.Name != "params"))
                group[p.Name] = OptimizerRegistry.ConvertOption(name, p.Name, p.Value);
            groups.Add(group);
        }
        ps = parameters;
        return OptimizerRegistry.Create(name, groups, Options(c.GetProperty("kwargs")));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PrintsAsPyTorchDoes(string name)
    {
        var c = Case(name);
        var opt = Build(c, out var ps);
        var sched = c.GetProperty("scheduler") is { ValueKind: JsonValueKind.Object } s
            ? OptimizerRegistry.CreateScheduler(s.GetProperty("name").GetString()!, opt, Options(s.GetProperty("kwargs")))
            : null;
        var grads = Golden.GetProperty("grads").EnumerateArray().Select(g => GoldenJson.Numbers(g).Select(v => (float)v).ToArray()).ToList();
        for (int step = 0; step < c.GetProperty("steps").GetInt32(); step++)
        {
            for (int i = 0; i < ps.Length; i++) ps[i].Grad = Tensor.FromArray(grads[i], ps[i].Shape);
            opt.Step();
            sched?.Step();
        }
        Assert.Equal(c.GetProperty("print").GetString(), opt.ToString());
        Assert.Equal(c.GetProperty("param_group").GetString(), opt.ParamGroups[0].ToString());
        Assert.Equal(c.GetProperty("state_dict").GetString(), opt.StateDict().ToString());
    }

    [Fact]
    public void TheConstructorsPrintAsTheRegistryDoes()
    {
        var p = Params();
        Assert.Equal(Case("Adam").GetProperty("print").GetString(), new Adam([p[0]]).ToString());
        Assert.Equal(Case("Rprop").GetProperty("param_group").GetString(), new Rprop([p[0]]).ParamGroups[0].ToString());
        Assert.Equal(Case("SGD given values").GetProperty("print").GetString(),
            new SGD([p[0]], lr: 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: true).ToString());
    }

    [Fact]
    public void TheIntLiteralTableNamesRealOptionsWithWholeDefaults()
    {
        var listed = OptionPrinting.IntLiteralOptions.ToList();
        Assert.NotEmpty(listed);
        foreach (var (optimizer, option) in listed)
        {
            var spec = OptimizerRegistry.GetOptimizer(optimizer).FindOption(option);
            Assert.True(spec is not null, $"{optimizer} has no option {option}");
            // As the registry's defaults print: ints where the table says so, so each listed default must be whole.
            var text = OptionPrinting.Display(optimizer, option, spec.Default);
            if (spec.Arity == 1) Assert.Matches(@"^(None|-?\d+)$", text);
            else Assert.DoesNotMatch(@"\d\.0\b", text);
        }
    }

    [Fact]
    public void NumbersOfIntDefaultsPrintAsIntsOnlyWhenWhole()
    {
        var p = Tensor.Zeros(1).RequiresGrad_();
        var text = new SGD([p], momentum: 0.5, weightDecay: 2).ToString();
        Assert.Contains("    momentum: 0.5\n", text);
        Assert.Contains("    weight_decay: 2\n", text);
        Assert.Contains("    lr: 0.001\n", text);
        // lr's default is a float: a whole lr prints as a float, as lr=1.0 does in Python.
        Assert.Contains("    lr: 1.0\n", new Adam([p], lr: 1).ToString());
        Assert.Contains("    lr: 1\n", new LBFGS([p]).ToString());
        Assert.Contains("    lr: 0.5\n", new LBFGS([p], lr: 0.5).ToString());
        Assert.Contains("'step_sizes': (1e-06, 50)", new Rprop([p]).ParamGroups[0].ToString());
        Assert.Contains("'step_sizes': (0.001, 12.5)", new Rprop([p], stepSizes: (1e-3, 12.5)).ParamGroups[0].ToString());
        // A group not given to an optimizer knows no defaults: its numbers print as they are held.
        var loose = new ParamGroup([p]) { ["weight_decay"] = 0.0 };
        Assert.Equal("{'params': [tensor([0.], requires_grad=True)], 'weight_decay': 0.0}", loose.ToString());
    }
}
