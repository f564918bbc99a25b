using System.Globalization;
using System.Text;
using System.Text.Json;
using Descent.Optim;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>
/// Every optimizer against PyTorch with gradients holding NaN, ±Inf, zeros, negative zeros, subnormals and huge finite
/// values, and with parameters that start non-finite (Golden/nonfinite.json, tests/golden/gen_nonfinite.py: PyTorch
/// 1.13 plus ports of current PyTorch where 1.13 differs). After every step the parameters and every state tensor
/// PyTorch keeps must be NaN exactly where PyTorch's are, the same infinity where PyTorch's is infinite, and otherwise
/// within the conformance tolerance: |actual − expected| ≤ rtol·max(|expected|, 0.01), rtol 2e-5 (LBFGS: 2e-4, as its
/// conformance vectors). LBFGS steps through a closure whose k-th call sets the k-th gradients of a cycle and returns
/// the k-th loss; its closure calls and iteration counts must match exactly.
/// </summary>
public class NonFiniteGradientTests
{
    /// <summary>The conformance tolerances: explicit gradients, and LBFGS (whose vectors are all rosenbrock's).</summary>
    private const double Rtol = 2e-5, LbfgsRtol = 2e-4;

    private static JsonElement Root => GoldenJson.Load("nonfinite.json");

    public static TheoryData<string> Cases() => Ids("cases");

    public static TheoryData<string> LbfgsCases() => Ids("lbfgs");

    private static TheoryData<string> Ids(string key)
    {
        var data = new TheoryData<string>();
        int i = 0;
        foreach (var c in Root.GetProperty(key).EnumerateArray()) data.Add(Id(c, i++));
        return data;
    }

    // "Adam[3] {"lr":0.01,"amsgrad":true}": the case's index in its list, for lookup, and its options, for reading.
    private static string Id(JsonElement c, int index) =>
        $"{c.GetProperty("optimizer").GetString()}[{index}] {c.GetProperty("options").GetRawText()}";

    private static JsonElement Find(string key, string id)
    {
        int index = int.Parse(id[(id.IndexOf('[') + 1)..id.IndexOf(']')], CultureInfo.InvariantCulture);
        return Root.GetProperty(key)[index];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StepsMatchPyTorch(string id)
    {
        var c = Find("cases", id);
        var input = Root.GetProperty("inputs").GetProperty(c.GetProperty("input").GetString()!);
        var shapes = input.GetProperty("shapes").EnumerateArray().Select(GoldenJson.Ints).ToArray();
        var ps = input.GetProperty("params").EnumerateArray().Select((v, k) => Make(v, shapes[k]).RequiresGrad_()).ToList();
        var opt = OptimizerRegistry.Create(c.GetProperty("optimizer").GetString()!, [new ParamGroup(ps)], Options(c.GetProperty("options")));
        var grads = input.GetProperty("grads");
        var failures = new List<string>();
        int t = 0;
        foreach (var step in c.GetProperty("steps").EnumerateArray())
        {
            for (int k = 0; k < ps.Count; k++) ps[k].Grad = Make(grads[t][k], shapes[k]);
            opt.Step();
            Compare(step.GetProperty("params"), ps.SelectMany(p => Values(p)).ToArray(), $"step {t + 1}: params", failures, Rtol);
            var state = opt.StateDict().State;
            int k2 = 0;
            foreach (var expected in step.GetProperty("state").EnumerateArray())
            {
                foreach (var entry in expected.EnumerateObject())
                {
                    string what = $"step {t + 1}: param {k2} {entry.Name}";
                    if (!state.TryGetValue(k2, out var entries) || !entries.TryGetValue(entry.Name, out var value))
                        failures.Add($"{what}: missing");
                    else Compare(entry.Value, Values(value), what, failures, Rtol);
                }
                k2++;
            }
            t++;
        }
        Assert.True(failures.Count == 0, Report(id, failures));
    }

    [Theory]
    [MemberData(nameof(LbfgsCases))]
    public void LbfgsStepsMatchPyTorch(string id)
    {
        var c = Find("lbfgs", id);
        var input = Root.GetProperty("lbfgs_inputs").GetProperty(c.GetProperty("input").GetString()!);
        var shapes = input.GetProperty("shapes").EnumerateArray().Select(GoldenJson.Ints).ToArray();
        var flat = Floats(input.GetProperty("params"));
        var cycle = input.GetProperty("grads").EnumerateArray().Select(Floats).ToArray();
        var losses = Floats(input.GetProperty("losses"));
        var ps = new List<Tensor>();
        int o = 0;
        foreach (var s in shapes)
        {
            int n = s.Aggregate(1, (a, b) => a * b);
            ps.Add(Tensor.FromArray(flat[o..(o + n)], s).RequiresGrad_());
            o += n;
        }
        var opt = OptimizerRegistry.Create("LBFGS", [new ParamGroup(ps)], Options(c.GetProperty("options")));
        int calls = 0;
        Tensor Closure()
        {
            int k = calls++ % cycle.Length;
            int i = 0;
            foreach (var p in ps)
            {
                p.Grad = Tensor.FromArray(cycle[k][i..(i + p.Numel)], p.Shape);
                i += p.Numel;
            }
            return Tensor.Scalar(losses[k % losses.Length]);
        }
        var failures = new List<string>();
        int t = 0;
        foreach (var step in c.GetProperty("steps").EnumerateArray())
        {
            t++;
            var loss = opt.Step(Closure)!;
            Compare(step.GetProperty("params"), ps.SelectMany(p => Values(p)).ToArray(), $"step {t}: params", failures, LbfgsRtol);
            Compare(JsonDocument.Parse($"[{step.GetProperty("loss").GetRawText()}]").RootElement, Values(loss), $"step {t}: loss", failures, LbfgsRtol);
            var state = opt.StateDict().State[0];
            foreach (var (name, actual) in new[] { ("evaluations", (long)calls), ("func_evals", Convert.ToInt64(state["func_evals"])), ("n_iter", Convert.ToInt64(state["n_iter"])) })
            {
                long expected = step.GetProperty(name).GetInt64();
                if (expected != actual) failures.Add($"step {t}: {name} is {actual}, PyTorch {expected}");
            }
        }
        Assert.True(failures.Count == 0, Report(id, failures));
    }

    /// <summary>
    /// Adds a failure for each value that is not where PyTorch's is: NaN for NaN, the same infinity, or a finite value
    /// within the tolerance.
    /// </summary>
    private static void Compare(JsonElement expected, double[] actual, string what, List<string> failures, double rtol)
    {
        var e = GoldenJson.Numbers(expected);
        if (e.Length != actual.Length)
        {
            failures.Add($"{what}: {actual.Length} values, PyTorch {e.Length}");
            return;
        }
        for (int i = 0; i < e.Length; i++)
        {
            double x = e[i], a = actual[i];
            bool ok = double.IsNaN(x) ? double.IsNaN(a)
                : double.IsInfinity(x) ? a == x
                : double.IsFinite(a) && Math.Abs(a - x) <= rtol * Math.Max(Math.Abs(x), ConformanceTests.Floor);
            if (!ok) failures.Add(string.Create(CultureInfo.InvariantCulture, $"{what}[{i}] is {a:R}, PyTorch {x:R}"));
        }
    }

    private static string Report(string id, List<string> failures)
    {
        var sb = new StringBuilder($"{id}: {failures.Count} values differ from PyTorch");
        foreach (var f in failures.Take(12)) sb.Append("\n  ").Append(f);
        return sb.ToString();
    }

    private static Tensor Make(JsonElement values, int[] shape) => Tensor.FromArray(Floats(values), shape);

    private static float[] Floats(JsonElement values) => Array.ConvertAll(GoldenJson.Numbers(values), v => (float)v);

    private static double[] Values(object value) => value switch
    {
        Tensor t => t.Detach().Contiguous().To(DType.Float64).ToArray<double>(),
        float f => [f],
        double d => [d],
        _ => throw new InvalidOperationException($"state value of type {value.GetType().Name}"),
    };

    /// <summary>PyTorch keyword arguments from JSON: numbers as double, arrays as lists, as the replay specs read them.</summary>
    private static Dictionary<string, object?> Options(JsonElement e)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject()) d[p.Name] = Value(p.Value);
        return d;
    }

    private static object? Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Array => e.EnumerateArray().Select(Value).ToList(),
        _ => null,
    };
}
