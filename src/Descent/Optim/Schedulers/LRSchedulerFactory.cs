using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Descent.Optim.Schedulers;

/// <summary>
/// Builds a scheduler from its PyTorch class name and keyword arguments, as a replayed PyTorch script names
/// them: <c>Create("StepLR", opt, {"step_size": 30, "gamma": 0.1})</c>. Covers every scheduler that needs no
/// user code: StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR, CosineAnnealingLR,
/// CosineAnnealingWarmRestarts, CyclicLR (built-in modes), OneCycleLR, ReduceLROnPlateau and SWALR. Values may
/// be CLR numbers, strings, bools, arrays/lists or <see cref="JsonElement"/>s; a list is a per-group value where
/// PyTorch accepts one. An unknown class or keyword, a missing required keyword or a value of the wrong kind
/// throws <see cref="ArgumentException"/> naming it. Drive the result with
/// <see cref="LRScheduler.StepAfterOptimizer"/>, which passes the loss to ReduceLROnPlateau.
/// </summary>
public static class LRSchedulerFactory
{
    /// <summary>The class names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR", "CosineAnnealingLR",
        "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR", "ReduceLROnPlateau", "SWALR",
    ];

    /// <summary>Creates the scheduler <paramref name="pytorchClassName"/> over <paramref name="optimizer"/>.</summary>
    public static LRScheduler Create(string pytorchClassName, Optimizer optimizer, IReadOnlyDictionary<string, object?> options)
    {
        ArgumentNullException.ThrowIfNull(pytorchClassName);
        ArgumentNullException.ThrowIfNull(optimizer);
        var o = new Options(pytorchClassName, options ?? new Dictionary<string, object?>());
        LRScheduler s = pytorchClassName switch
        {
            "StepLR" => new StepLR(optimizer, o.Int("step_size"), o.Double("gamma", 0.1), o.Int("last_epoch", -1)),
            "MultiStepLR" => new MultiStepLR(optimizer, o.Ints("milestones"), o.Double("gamma", 0.1), o.Int("last_epoch", -1)),
            "ConstantLR" => new ConstantLR(optimizer, o.Double("factor", 1.0 / 3), o.Int("total_iters", 5), o.Int("last_epoch", -1)),
            "LinearLR" => new LinearLR(optimizer, o.Double("start_factor", 1.0 / 3), o.Double("end_factor", 1.0),
                o.Int("total_iters", 5), o.Int("last_epoch", -1)),
            "ExponentialLR" => new ExponentialLR(optimizer, o.Double("gamma"), o.Int("last_epoch", -1)),
            "PolynomialLR" => new PolynomialLR(optimizer, o.Int("total_iters", 5), o.Double("power", 1.0), o.Int("last_epoch", -1)),
            "CosineAnnealingLR" => new CosineAnnealingLR(optimizer, o.Int("T_max"), o.Double("eta_min", 0), o.Int("last_epoch", -1)),
            "CosineAnnealingWarmRestarts" => new CosineAnnealingWarmRestarts(optimizer, o.Int("T_0"), o.Int("T_mult", 1),
                o.Double("eta_min", 0), o.Int("last_epoch", -1)),
            "CyclicLR" => new CyclicLR(optimizer, o.PerGroup("base_lr"), o.PerGroup("max_lr"), o.Int("step_size_up", 2000),
                o.NullableInt("step_size_down"), o.String("mode", "triangular"), o.Double("gamma", 1.0), null,
                o.String("scale_mode", "cycle"), o.Bool("cycle_momentum", true), o.PerGroup("base_momentum", 0.8),
                o.PerGroup("max_momentum", 0.9), o.Int("last_epoch", -1)),
            "OneCycleLR" => new OneCycleLR(optimizer, o.PerGroup("max_lr"), o.NullableInt("total_steps"), o.NullableInt("epochs"),
                o.NullableInt("steps_per_epoch"), o.Double("pct_start", 0.3), o.String("anneal_strategy", "cos"),
                o.Bool("cycle_momentum", true), o.PerGroup("base_momentum", 0.85), o.PerGroup("max_momentum", 0.95),
                o.Double("div_factor", 25.0), o.Double("final_div_factor", 1e4), o.Bool("three_phase", false), o.Int("last_epoch", -1)),
            "ReduceLROnPlateau" => CreatePlateau(optimizer, o),
            "SWALR" => new SWALR(optimizer, o.PerGroup("swa_lr"), o.Int("anneal_epochs", 10), o.String("anneal_strategy", "cos"),
                o.Int("last_epoch", -1)),
            _ => throw new ArgumentException(
                $"Unknown learning rate scheduler '{pytorchClassName}'; known: {string.Join(", ", Names)}", nameof(pytorchClassName)),
        };
        o.RejectUnused();
        return s;
    }

    private static ReduceLROnPlateau CreatePlateau(Optimizer optimizer, Options o)
    {
        string mode = o.String("mode", "min"), thresholdMode = o.String("threshold_mode", "rel");
        double factor = o.Double("factor", 0.1), threshold = o.Double("threshold", 1e-4), eps = o.Double("eps", 1e-8);
        int patience = o.Int("patience", 10), cooldown = o.Int("cooldown", 0);
        var minLr = o.PerGroup("min_lr", 0.0);
        return minLr.IsList
            ? new ReduceLROnPlateau(optimizer, minLr.Expand("min_lr", optimizer), mode, factor, patience, threshold, thresholdMode, cooldown, eps)
            : new ReduceLROnPlateau(optimizer, mode, factor, patience, threshold, thresholdMode, cooldown, minLr.Expand("min_lr", optimizer)[0], eps);
    }

    /// <summary>Reads keyword arguments, remembering which were used so unknown ones can be reported.</summary>
    private sealed class Options(string owner, IReadOnlyDictionary<string, object?> values)
    {
        private readonly HashSet<string> used = [];

        private bool TryGet(string key, out object? value)
        {
            used.Add(key);
            if (!values.TryGetValue(key, out value)) return false;
            if (value is JsonElement { ValueKind: JsonValueKind.Null }) value = null;
            return true;
        }

        private object? Required(string key) =>
            TryGet(key, out var v) ? v : throw new ArgumentException($"{owner}.__init__() missing 1 required positional argument: '{key}'");

        public void RejectUnused()
        {
            foreach (var k in values.Keys)
                if (!used.Contains(k)) throw new ArgumentException($"{owner}.__init__() got an unexpected keyword argument '{k}'");
        }

        private ArgumentException Bad(string key, object? v, string what) =>
            new($"{owner}: '{key}' must be {what}, got {Convert.ToString(v, CultureInfo.InvariantCulture) ?? "None"}");

        private double ToDouble(string key, object? v) => v switch
        {
            double d => d,
            float f => f,
            int i => i,
            long l => l,
            decimal m => (double)m,
            JsonElement { ValueKind: JsonValueKind.Number } j => j.GetDouble(),
            string s when double.TryParse(s == "inf" ? "Infinity" : s == "-inf" ? "-Infinity" : s,
                NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw Bad(key, v, "a number"),
        };

        private int ToInt(string key, object? v)
        {
            double d = ToDouble(key, v);
            if (d != Math.Floor(d) || d < int.MinValue || d > int.MaxValue) throw Bad(key, v, "an integer");
            return (int)d;
        }

        public double Double(string key) => ToDouble(key, Required(key));
        public double Double(string key, double fallback) => TryGet(key, out var v) && v is not null ? ToDouble(key, v) : fallback;
        public int Int(string key) => ToInt(key, Required(key));
        public int Int(string key, int fallback) => TryGet(key, out var v) && v is not null ? ToInt(key, v) : fallback;
        public int? NullableInt(string key) => TryGet(key, out var v) && v is not null ? ToInt(key, v) : null;

        public bool Bool(string key, bool fallback) => !TryGet(key, out var v) || v is null ? fallback : v switch
        {
            bool b => b,
            JsonElement { ValueKind: JsonValueKind.True } => true,
            JsonElement { ValueKind: JsonValueKind.False } => false,
            _ => throw Bad(key, v, "a bool"),
        };

        public string String(string key, string fallback) => !TryGet(key, out var v) || v is null ? fallback : v switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } j => j.GetString()!,
            _ => throw Bad(key, v, "a string"),
        };

        private List<object?>? AsList(object? v) => v switch
        {
            string => null,
            JsonElement { ValueKind: JsonValueKind.Array } j => j.EnumerateArray().Select(e => (object?)e).ToList(),
            JsonElement => null,
            IEnumerable e => e.Cast<object?>().ToList(),
            _ => null,
        };

        public int[] Ints(string key)
        {
            var v = Required(key);
            var list = AsList(v) ?? throw Bad(key, v, "a list of integers");
            return list.Select(x => ToInt(key, x)).ToArray();
        }

        public PerGroup PerGroup(string key) => ToPerGroup(key, Required(key));

        public PerGroup PerGroup(string key, double fallback) =>
            TryGet(key, out var v) && v is not null ? ToPerGroup(key, v) : fallback;

        private PerGroup ToPerGroup(string key, object? v) =>
            AsList(v) is { } list ? list.Select(x => ToDouble(key, x)).ToArray() : ToDouble(key, v);
    }
}
