using System.Text;
using System.Text.Json;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>
/// A replay's trajectory: after each step, all parameters' values concatenated, each group's lr, and (for the
/// rosenbrock objective) the objective's value at that step; values of <see cref="DType"/> (float32 values held
/// exactly as doubles). Values may be NaN or ±∞ (a diverging run); the JSON form writes them as Python's <c>json</c>
/// does, float32 ones in their shortest float32 form.
/// </summary>
public sealed record ReplayResult(IReadOnlyList<double[]> Params, IReadOnlyList<double[]> Lr, IReadOnlyList<double>? Loss)
{
    /// <summary>The dtype of the parameters and the loss: float32 (the default) or float64.</summary>
    public DType DType { get; init; } = DType.Float32;

    /// <summary>
    /// The OUT document of <c>descent replay</c>: <c>{"params": [...], "lr": [...], "loss": [...]}</c>, led by
    /// <c>"dtype": "float64"</c> for a float64 trajectory.
    /// </summary>
    public string ToJson()
    {
        using var ms = new MemoryStream();
        WriteJson(ms);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes <see cref="ToJson"/>'s document to <paramref name="stream"/> (UTF-8).</summary>
    public void WriteJson(Stream stream)
    {
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        if (DType == DType.Float64) w.WriteString("dtype", "float64");
        w.WriteStartArray("params");
        foreach (var step in Params)
        {
            w.WriteStartArray();
            foreach (var v in step) WriteValue(w, v);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("lr");
        foreach (var step in Lr)
        {
            w.WriteStartArray();
            foreach (var v in step) PythonJson.WriteNumber(w, v);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        if (Loss is not null)
        {
            w.WriteStartArray("loss");
            foreach (var v in Loss) WriteValue(w, v);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    // A value of the trajectory's dtype: a float32 one in its shortest float32 form.
    private void WriteValue(Utf8JsonWriter w, double v)
    {
        if (DType == DType.Float64) PythonJson.WriteNumber(w, v);
        else PythonJson.WriteNumber(w, (float)v);
    }

    /// <summary>
    /// Reads a trajectory document: <c>descent replay</c>'s OUT, or a vector's <c>expected</c> as PyTorch wrote it
    /// (bare <c>NaN</c>/<c>Infinity</c> included).
    /// </summary>
    public static ReplayResult Parse(string json)
    {
        try
        {
            using var doc = PythonJson.Parse(json);
            return FromJson(doc.RootElement);
        }
        catch (JsonException e) { throw new InvalidDataException($"trajectory is not valid JSON: {e.Message.Split('\n')[0]}"); }
    }

    /// <summary>
    /// Reads a trajectory from an element parsed by <see cref="PythonJson.Parse"/>; <paramref name="dtype"/> is its
    /// values' dtype when the document does not say (a vector's <c>expected</c> has the spec's).
    /// </summary>
    public static ReplayResult FromJson(JsonElement root, DType dtype = DType.Float32)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException("trajectory must be a JSON object");
        if (root.TryGetProperty("dtype", out var d))
            dtype = d.ValueKind == JsonValueKind.String && d.GetString() is "float32" or "float64"
                ? (d.GetString() == "float64" ? DType.Float64 : DType.Float32)
                : throw new InvalidDataException("trajectory 'dtype' must be 'float32' or 'float64'");
        Func<double, double> value = dtype == DType.Float64 ? v => v : v => (float)v;
        var ps = Rows(root, "params", value);
        var lr = Rows(root, "lr", v => v);
        List<double>? loss = null;
        if (root.TryGetProperty("loss", out var l))
            loss = [.. Row(l, "loss").Select(value)];
        return new ReplayResult(ps, lr, loss) { DType = dtype };
    }

    private static List<T[]> Rows<T>(JsonElement root, string key, Func<double, T> convert)
    {
        if (!root.TryGetProperty(key, out var e) || e.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"trajectory has no '{key}' array");
        return [.. e.EnumerateArray().Select((row, t) => Row(row, $"{key}[{t}]").Select(convert).ToArray())];
    }

    private static List<double> Row(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"trajectory {where} must be an array of numbers");
        return e.EnumerateArray().Select(x => PythonJson.TryGetDouble(x, out double v)
            ? v : throw new InvalidDataException($"trajectory {where} must be an array of numbers")).ToList();
    }
}

/// <summary>
/// Replays a conformance spec (docs/conformance.md): builds the parameters, groups and optimizer the spec names,
/// runs its steps on its objective, and records the trajectory.
/// </summary>
public static class Replay
{
    /// <summary>Parses and runs a spec given as JSON text.</summary>
    public static ReplayResult Run(string specJson) => Run(ReplaySpec.Parse(specJson));

    /// <summary>
    /// Runs a parsed spec. <paramref name="initialState"/>, when given, is loaded into the optimizer before the first
    /// step (the spec's params are the parameters at that point); <paramref name="finished"/> receives the optimizer
    /// after the last step, e.g. to save its state.
    /// </summary>
    public static ReplayResult Run(ReplaySpec spec, OptimizerStateDict? initialState, Action<Optimizer>? finished = null)
    {
        Optimizer? optimizer = null;
        var result = Run(spec, o =>
        {
            optimizer = o;
            if (initialState is not null) o.LoadStateDict(initialState);
        });
        finished?.Invoke(optimizer!);
        return result;
    }

    /// <summary>Runs a parsed spec.</summary>
    public static ReplayResult Run(ReplaySpec spec) => Run(spec, (Action<Optimizer>?)null);

    private static ReplayResult Run(ReplaySpec spec, Action<Optimizer>? created)
    {
        var ps = spec.Params.Select(p => Make(p.Values, p.Shape, spec.DType).RequiresGrad_()).ToList();
        var groups = new List<ParamGroup>();
        if (spec.Groups is null) groups.Add(new ParamGroup(ps));
        else
            foreach (var g in spec.Groups)
            {
                var group = new ParamGroup(g.Params.Select(i => ps[i]).ToList());
                foreach (var (k, v) in g.Options) group[k] = OptimizerRegistry.ConvertOption(spec.Optimizer.Name, k, v);
                groups.Add(group);
            }
        var optimizer = OptimizerRegistry.Create(spec.Optimizer.Name, groups, spec.Optimizer.Options);
        created?.Invoke(optimizer);
        var scheduler = spec.Scheduler is null ? null : ReplaySchedulers.Create(spec.Scheduler, optimizer, spec.Steps);
        bool rosenbrock = spec.Objective == "rosenbrock";
        if (optimizer is LBFGS && !rosenbrock) throw new InvalidDataException("LBFGS needs a closure: use the 'rosenbrock' objective");

        // Grown step by step rather than sized from the spec's step count.
        var trajectory = new List<double[]>();
        var lrs = new List<double[]>();
        var losses = rosenbrock ? new List<double>() : null;
        Tensor Closure()
        {
            optimizer.ZeroGrad();
            var loss = Rosenbrock(ps);
            loss.Backward();
            return loss;
        }
        for (int step = 0; step < spec.Steps; step++)
        {
            double? stepLoss = null;
            if (rosenbrock)
            {
                Tensor loss;
                if (optimizer is LBFGS) loss = optimizer.Step(Closure)!;
                else
                {
                    loss = Closure();
                    optimizer.Step();
                }
                losses!.Add(loss.Item());
                stepLoss = loss.Item();
            }
            else
            {
                for (int i = 0; i < ps.Count; i++) ps[i].Grad = Make(spec.Grads![step][i], spec.Params[i].Shape, spec.DType);
                optimizer.Step();
            }
            scheduler?.Step(stepLoss);
            trajectory.Add(Concat(ps));
            lrs.Add(optimizer.ParamGroups.Select(g => g.Lr).ToArray());
        }
        return new ReplayResult(trajectory, lrs, losses) { DType = spec.DType };
    }

    // A tensor of `dtype` holding `values` (each already a value of that dtype).
    private static Tensor Make(double[] values, int[] shape, DType dtype) =>
        dtype == DType.Float64 ? Tensor.FromArray(values, shape) : Tensor.FromArray(Array.ConvertAll(values, v => (float)v), shape);

    /// <summary>Σᵢ (1 − zᵢ)² + 100 (zᵢ₊₁ − zᵢ²)² over z = all parameters flattened and concatenated in order.</summary>
    public static Tensor Rosenbrock(IReadOnlyList<Tensor> ps)
    {
        var z = Tensor.Cat(ps.Select(p => p.Reshape(-1)).ToList());
        int n = z.Numel;
        if (n < 2) throw new InvalidDataException("the rosenbrock objective needs at least 2 values in all");
        var head = z.Slice(0, 0, n - 1);
        var tail = z.Slice(0, 1, n);
        return ((1 - head).Pow(2) + 100 * (tail - head.Pow(2)).Pow(2)).Sum();
    }

    private static double[] Concat(IReadOnlyList<Tensor> ps)
    {
        int n = 0;
        foreach (var p in ps) n += p.Numel;
        var r = new double[n];
        int o = 0;
        foreach (var p in ps)
        {
            p.Detach().To(DType.Float64).ToArray<double>().CopyTo(r, o);
            o += p.Numel;
        }
        return r;
    }
}
