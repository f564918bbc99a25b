using System.Text.Json;
using Descent.NN;
using Descent.Optim;
using Descent.Optim.Schedulers;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>
/// Loads Golden/schedulers.json (written by tests/golden/gen_sched.py with PyTorch 1.13, plus ports of current
/// PyTorch where 1.13 differs) and rebuilds its optimizers and schedulers.
/// </summary>
internal static class SchedulerGolden
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Golden", "schedulers.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static JsonElement Case(int index) => Root.GetProperty("schedulers")[index];

    public static IEnumerable<object[]> CaseIndices()
    {
        int i = 0;
        foreach (var c in Root.GetProperty("schedulers").EnumerateArray())
            yield return [i++, c.GetProperty("name").GetString()!, c.GetProperty("optimizer").GetString()!];
    }

    /// <summary>The generator's lambdas, by name.</summary>
    public static Func<int, double> Lambda(string name) => name switch
    {
        "exp95" => e => Math.Pow(0.95, e),
        "inv" => e => 1.0 / (e + 1),
        "half_every_10" => e => Math.Pow(0.5, e / 10),
        "const98" => _ => 0.98,
        "warmup10" => e => Math.Min(1.0, (e + 1) / 10.0),
        _ => throw new ArgumentException(name),
    };

    /// <summary>Two groups (lr 0.1 over 3 elements, lr 0.05 over 2), as the generator's <c>make_optimizer</c>.</summary>
    public static Optimizer MakeOptimizer(string kind)
    {
        var groups = new[]
        {
            new ParamGroup([Parameter.Create(Tensor.Zeros(3))]) { ["lr"] = 0.1 },
            new ParamGroup([Parameter.Create(Tensor.Zeros(2))]) { ["lr"] = 0.05 },
        };
        return kind switch
        {
            "sgd" => new SGD(groups, lr: 0.1, momentum: 0.9),
            "adam" => new Adam(groups, lr: 0.1, betas: (0.9, 0.999)),
            _ => throw new ArgumentException(kind),
        };
    }

    public static double[] Momentum(Optimizer opt) =>
        opt.ParamGroups.Select(g => opt is Adam ? g.GetPair("betas").Item1 : g.GetDouble("momentum")).ToArray();

    /// <summary>Builds a scheduler from a spec; everything but lambdas and composites goes through the factory.</summary>
    public static LRScheduler Build(JsonElement spec, Optimizer opt)
    {
        string type = spec.GetProperty("type").GetString()!;
        switch (type)
        {
            case "LambdaLR":
            case "MultiplicativeLR":
            {
                var lam = spec.GetProperty("lr_lambda");
                if (lam.ValueKind == JsonValueKind.Array)
                {
                    var fns = lam.EnumerateArray().Select(e => Lambda(e.GetString()!)).ToArray();
                    return type == "LambdaLR" ? new LambdaLR(opt, fns) : new MultiplicativeLR(opt, fns);
                }
                var f = Lambda(lam.GetString()!);
                return type == "LambdaLR" ? new LambdaLR(opt, f) : new MultiplicativeLR(opt, f);
            }
            case "CyclicLR" when spec.TryGetProperty("scale_fn", out var fnName):
            {
                // A custom scale function is user code, so it goes to the constructor rather than the factory.
                Func<double, double> fn = fnName.GetString() switch
                {
                    "inv_tenth" => x => 1 / (1 + 0.1 * x),
                    "inv_cycle" => x => 1.0 / x,
                    var n => throw new ArgumentException(n),
                };
                PerGroup Pg(string k) => spec.GetProperty(k) is { ValueKind: JsonValueKind.Array } a
                    ? a.EnumerateArray().Select(v => v.GetDouble()).ToArray() : spec.GetProperty(k).GetDouble();
                return new CyclicLR(opt, Pg("base_lr"), Pg("max_lr"), spec.GetProperty("step_size_up").GetInt32(),
                    spec.TryGetProperty("step_size_down", out var down) ? down.GetInt32() : null,
                    scaleFn: fn, scaleMode: spec.TryGetProperty("scale_mode", out var sm) ? sm.GetString()! : "cycle",
                    baseMomentum: spec.TryGetProperty("base_momentum", out _) ? Pg("base_momentum") : (PerGroup?)null);
            }
            case "ChainedScheduler":
                return new ChainedScheduler(spec.GetProperty("schedulers").EnumerateArray().Select(s => Build(s, opt)).ToList());
            case "ParamwiseScheduler":
                return new ParamwiseScheduler(spec.GetProperty("schedulers").EnumerateArray().Select(s => Build(s, opt)).ToList());
            case "SequentialLR":
                return new SequentialLR(opt, spec.GetProperty("schedulers").EnumerateArray().Select(s => Build(s, opt)).ToList(),
                    spec.GetProperty("milestones").EnumerateArray().Select(e => e.GetInt32()).ToList());
            default:
                var options = spec.EnumerateObject().Where(p => p.Name != "type").ToDictionary(p => p.Name, p => (object?)p.Value);
                return OptimizerRegistry.CreateScheduler(type, opt, options);
        }
    }

    /// <summary>The scheduler step the generator took at step <paramref name="i"/>: with a metric, an epoch, or plain.</summary>
    public static void StepOnce(LRScheduler sched, JsonElement c, int i)
    {
        if (c.TryGetProperty("metrics", out var metrics)) sched.StepAfterOptimizer(metrics[i].GetDouble());
        else if (c.TryGetProperty("epochs", out var epochs))
        {
            double e = epochs[i].GetDouble();
            if (sched is CosineAnnealingWarmRestarts w) w.Step(e);
            else sched.Step((int)e);
        }
        else sched.Step();
    }

    /// <summary>|a − b| / max(|b|, tiny); 0 when both are equal (zeros included).</summary>
    public static double RelErr(double actual, double expected)
    {
        if (actual == expected) return 0;
        return Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);
    }

    public static void AssertClose(double expected, double actual, string what, double rel = 1e-6)
    {
        double err = RelErr(actual, expected);
        Assert.True(err <= rel, $"{what}: expected {expected:R}, got {actual:R} (relative error {err:E2})");
    }
}
