using System.Text.Json;
using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>One initial parameter of a replay spec: its shape and flattened values (each already a value of the spec's dtype).</summary>
public sealed record ReplayParam(int[] Shape, double[] Values);

/// <summary>A parameter group of a replay spec: indices into the parameters and per-group option overrides (JSON values).</summary>
public sealed record ReplayGroup(int[] Params, IReadOnlyDictionary<string, object?> Options);

/// <summary>A PyTorch class name with keyword arguments (JSON values: double, bool, string, null, lists).</summary>
public sealed record ReplayComponent(string Name, IReadOnlyDictionary<string, object?> Options);

/// <summary>
/// A parsed conformance spec (docs/conformance.md): optimizer, parameters, optional groups, step count, objective,
/// optional scheduler, and the dtype of parameters, gradients and objective (<c>"dtype"</c>: <c>"float32"</c>, the
/// default, or <c>"float64"</c>). Unknown keys (such as <c>expected</c>) are ignored. Numbers may be Python's bare
/// <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> (see <see cref="PythonJson"/>). Every malformed part throws
/// <see cref="InvalidDataException"/> with a one-line message naming the part; so do counts past the bounds below,
/// before anything is allocated for them.
/// </summary>
public sealed record ReplaySpec(
    ReplayComponent Optimizer, IReadOnlyList<ReplayParam> Params, IReadOnlyList<ReplayGroup>? Groups, int Steps,
    string Objective, IReadOnlyList<double[][]>? Grads, ReplayComponent? Scheduler)
{
    /// <summary>The dtype of the parameters, the gradients and the objective: float32 (the default) or float64.</summary>
    public DType DType { get; init; } = DType.Float32;

    /// <summary>The most steps a replay runs.</summary>
    public const int MaxSteps = 1_000_000;

    /// <summary>The most values a trajectory records: steps × all parameters' values.</summary>
    public const long MaxTrajectoryValues = 10_000_000;

    /// <summary>The largest <c>history_size</c>: LBFGS keeps a list that long from its first step, as PyTorch does.</summary>
    public const int MaxHistorySize = 1_000_000;

    /// <summary>Parses a spec from JSON text.</summary>
    public static ReplaySpec Parse(string json)
    {
        JsonDocument doc;
        try { doc = PythonJson.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"spec is not valid JSON: {e.Message.Split('\n')[0]}"); }
        using (doc) return Parse(doc.RootElement);
    }

    /// <summary>Parses a spec from a JSON element.</summary>
    public static ReplaySpec Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Bad("spec must be a JSON object");
        var dtype = ReadDType(root);
        var optimizer = Component(Required(root, "optimizer"), "optimizer");
        CheckHistorySize(optimizer.Options, "optimizer.options");
        var ps = new List<ReplayParam>();
        var paramsEl = Required(root, "params");
        if (paramsEl.ValueKind != JsonValueKind.Array || paramsEl.GetArrayLength() == 0) throw Bad("'params' must be a non-empty array");
        foreach (var p in paramsEl.EnumerateArray())
        {
            int i = ps.Count;
            if (p.ValueKind != JsonValueKind.Object) throw Bad($"params[{i}] must be an object with 'shape' and 'values'");
            var shape = Ints(Required(p, "shape", $"params[{i}]"), $"params[{i}].shape");
            foreach (var d in shape) if (d < 0) throw Bad($"params[{i}].shape has a negative size");
            var values = Values(Required(p, "values", $"params[{i}]"), $"params[{i}].values", dtype);
            if (!TryNumel(shape, out long numel))
                throw Bad($"params[{i}].shape: Storage size calculation overflowed with sizes=[{string.Join(", ", shape)}]");
            if (values.Length != numel)
                throw Bad($"params[{i}] has {values.Length} values but shape [{string.Join(", ", shape)}] holds {numel}");
            ps.Add(new ReplayParam(shape, values));
        }

        List<ReplayGroup>? groups = null;
        if (root.TryGetProperty("groups", out var groupsEl) && groupsEl.ValueKind != JsonValueKind.Null)
        {
            if (groupsEl.ValueKind != JsonValueKind.Array) throw Bad("'groups' must be an array");
            groups = [];
            foreach (var g in groupsEl.EnumerateArray())
            {
                string where = $"groups[{groups.Count}]";
                if (g.ValueKind != JsonValueKind.Object) throw Bad($"{where} must be an object");
                var idx = Ints(Required(g, "params", where), $"{where}.params");
                foreach (var k in idx)
                    if (k < 0 || k >= ps.Count) throw Bad($"{where}.params has index {k}, but there are {ps.Count} params");
                var opts = g.TryGetProperty("options", out var o) ? Options(o, $"{where}.options") : new Dictionary<string, object?>();
                CheckHistorySize(opts, $"{where}.options");
                groups.Add(new ReplayGroup(idx, opts));
            }
        }

        int steps = ReadSteps(Required(root, "steps"));
        long perStep = ps.Sum(p => (long)p.Values.Length);
        if (steps * perStep > MaxTrajectoryValues)
            throw Bad($"the trajectory would hold {steps} steps × {perStep} values = {steps * perStep} values; a replay records at most {MaxTrajectoryValues}");

        var objective = Required(root, "objective");
        if (objective.ValueKind != JsonValueKind.Object) throw Bad("'objective' must be an object");
        var objName = String(Required(objective, "name", "objective"), "objective.name");
        List<double[][]>? grads = null;
        switch (objName)
        {
            case "rosenbrock":
                break;
            case "grads":
                var gEl = Required(objective, "grads", "objective");
                if (gEl.ValueKind != JsonValueKind.Array) throw Bad("objective.grads must be an array");
                grads = [];
                foreach (var step in gEl.EnumerateArray())
                {
                    string where = $"objective.grads[{grads.Count}]";
                    if (step.ValueKind != JsonValueKind.Array || step.GetArrayLength() != ps.Count)
                        throw Bad($"{where} must hold one gradient per param ({ps.Count})");
                    var perParam = new double[ps.Count][];
                    int i = 0;
                    foreach (var g in step.EnumerateArray())
                    {
                        perParam[i] = Values(g, $"{where}[{i}]", dtype);
                        if (perParam[i].Length != ps[i].Values.Length)
                            throw Bad($"{where}[{i}] has {perParam[i].Length} values but params[{i}] has {ps[i].Values.Length}");
                        i++;
                    }
                    grads.Add(perParam);
                }
                if (grads.Count < steps) throw Bad($"objective.grads has {grads.Count} steps but 'steps' is {steps}");
                break;
            default:
                throw Bad($"unknown objective '{objName}' (expected 'grads' or 'rosenbrock')");
        }

        ReplayComponent? scheduler = null;
        if (root.TryGetProperty("scheduler", out var s) && s.ValueKind != JsonValueKind.Null) scheduler = Component(s, "scheduler");
        return new ReplaySpec(optimizer, ps, groups, steps, objName, grads, scheduler) { DType = dtype };
    }

    private static DType ReadDType(JsonElement root)
    {
        if (!root.TryGetProperty("dtype", out var e) || e.ValueKind == JsonValueKind.Null) return DType.Float32;
        return e.ValueKind == JsonValueKind.String ? e.GetString() switch
        {
            "float32" => DType.Float32,
            "float64" => DType.Float64,
            _ => throw Bad($"'dtype' is '{e.GetString()}' (expected 'float32' or 'float64')"),
        } : throw Bad("'dtype' must be a string: 'float32' or 'float64'");
    }

    private static int ReadSteps(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Number) throw Bad("'steps' must be a non-negative integer");
        // Digits beyond long are still a count, just too large.
        bool integer = e.TryGetInt64(out long steps);
        bool huge = !integer && e.GetRawText().All(char.IsAsciiDigit);
        if (!(integer || huge) || steps < 0) throw Bad("'steps' must be a non-negative integer");
        if (huge || steps > MaxSteps) throw Bad($"'steps' is {e.GetRawText()}; a replay runs at most {MaxSteps} steps");
        return (int)steps;
    }

    /// <summary>The product of the sizes, false when it overflows 64 bits at any point (as PyTorch's storage check).</summary>
    private static bool TryNumel(int[] shape, out long numel)
    {
        ulong n = 1;
        bool ok = true;
        foreach (var d in shape) ok &= Math.BigMul(n, (ulong)d, out n) == 0;
        numel = (long)n;
        return ok && n <= long.MaxValue;
    }

    private static void CheckHistorySize(IReadOnlyDictionary<string, object?> options, string where)
    {
        if (options.TryGetValue("history_size", out var v) && v is double d && d > MaxHistorySize)
            throw Bad($"{where}.history_size is {Text(d)}; a replay allows at most {MaxHistorySize} (LBFGS keeps a list of history_size entries from its first step, as PyTorch does)");
    }

    private static string Text(double d) => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static ReplayComponent Component(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Bad($"'{where}' must be an object with 'name' and 'options'");
        var name = String(Required(e, "name", where), $"{where}.name");
        var opts = e.TryGetProperty("options", out var o) ? Options(o, $"{where}.options") : new Dictionary<string, object?>();
        return new ReplayComponent(name, opts);
    }

    private static Dictionary<string, object?> Options(JsonElement e, string where)
    {
        if (e.ValueKind == JsonValueKind.Null) return [];
        if (e.ValueKind != JsonValueKind.Object) throw Bad($"{where} must be an object");
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject()) d[p.Name] = Value(p.Value, $"{where}.{p.Name}");
        return d;
    }

    private static object? Value(JsonElement e, string where) => e.ValueKind switch
    {
        JsonValueKind.Number => Number(e, where),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.String when PythonJson.IsNonFiniteToken(e) => Number(e, where),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Array => e.EnumerateArray().Select((x, i) => Value(x, $"{where}[{i}]")).ToList(),
        _ => throw Bad($"{where} must be a number, bool, string, null or list"),
    };

    private static JsonElement Required(JsonElement e, string key, string? where = null) =>
        e.TryGetProperty(key, out var v) ? v : throw Bad(where is null ? $"spec has no '{key}'" : $"{where} has no '{key}'");

    private static string String(JsonElement e, string where) =>
        e.ValueKind == JsonValueKind.String && !PythonJson.IsNonFiniteToken(e) ? e.GetString()! : throw Bad($"{where} must be a string");

    private static int[] Ints(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Array) throw Bad($"{where} must be an array of integers");
        var r = new int[e.GetArrayLength()];
        int i = 0;
        foreach (var x in e.EnumerateArray())
            r[i++] = x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var v) ? v : throw Bad($"{where} must be an array of integers");
        return r;
    }

    /// <summary>
    /// Values of <paramref name="dtype"/>, converted as PyTorch's <c>torch.tensor(values, dtype=...)</c> converts
    /// Python's doubles: for float32 rounded to nearest, a finite value past float32's range refused instead of
    /// becoming ±∞; for float64 as written.
    /// </summary>
    private static double[] Values(JsonElement e, string where, DType dtype)
    {
        if (e.ValueKind != JsonValueKind.Array) throw Bad($"{where} must be an array of numbers");
        var r = new double[e.GetArrayLength()];
        int i = 0;
        foreach (var x in e.EnumerateArray())
        {
            if (!PythonJson.TryGetDouble(x, out _)) throw Bad($"{where} must be an array of numbers");
            double d = Number(x, $"{where}[{i}]");
            if (dtype == DType.Float32)
            {
                float f = (float)d;
                if (float.IsInfinity(f) && !double.IsInfinity(d))
                    throw Bad($"{where}[{i}] is {x.GetRawText()}, outside float32's range (largest finite value 3.4028235e+38); write Infinity for an infinite value");
                d = f;
            }
            r[i++] = d;
        }
        return r;
    }

    /// <summary>A number or a bare NaN/Infinity/-Infinity; digits that overflow double are refused instead of becoming ±∞.</summary>
    private static double Number(JsonElement e, string where)
    {
        if (!PythonJson.TryGetDouble(e, out double d)) throw Bad($"{where} must be a number");
        if (double.IsInfinity(d) && !PythonJson.IsNonFiniteToken(e))
            throw Bad($"{where} is {e.GetRawText()}, outside float64's range; write Infinity for an infinite value");
        return d;
    }

    private static InvalidDataException Bad(string message) => new(message);
}
