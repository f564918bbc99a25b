using System.Globalization;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>
/// An optimizer the lab knows by name: <c>sgd</c>, the SGD presets <c>momentum</c> and <c>nesterov</c>, and every
/// optimizer of <see cref="OptimizerRegistry"/> by its lower-cased class name (<c>rmsprop</c>, <c>adam</c>, …).
/// </summary>
/// <param name="Name">The lab's name, lower case.</param>
/// <param name="DisplayName">The name shown in tables and legends (<c>Momentum</c>, <c>RMSprop</c>).</param>
/// <param name="Info">The optimizer in the registry: class name, options and their defaults.</param>
/// <param name="Presets">Options applied before the user's, by PyTorch name (momentum 0.9 for <c>momentum</c>).</param>
public sealed record LabOptimizer(string Name, string DisplayName, OptimizerInfo Info, IReadOnlyDictionary<string, object?> Presets);

/// <summary>
/// The lab's names for the registry's optimizers, and the <c>--opt</c> syntax: parses <c>NAME:k=v,k=v</c> into
/// PyTorch keyword arguments (<c>weight_decay</c>, or camelCase <c>weightDecay</c>; pairs written with a slash,
/// <c>betas=0.9/0.99</c>; <c>none</c> for None) typed by the registry's declarations, and creates the optimizer
/// through <see cref="OptimizerRegistry"/>, so options and defaults are the library's.
/// </summary>
public static class LabOptimizers
{
    private static readonly Lazy<IReadOnlyList<LabOptimizer>> Registry = new(Build);

    /// <summary>Every lab optimizer: sgd, momentum, nesterov, then the registry's others in its order.</summary>
    public static IReadOnlyList<LabOptimizer> All => Registry.Value;

    /// <summary>The lab names, for messages.</summary>
    public static string KnownNames => string.Join(", ", All.Select(o => o.Name));

    /// <summary>Finds a lab optimizer by name, ignoring case; null when there is none.</summary>
    public static LabOptimizer? Find(string name) =>
        All.FirstOrDefault(o => string.Equals(o.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Parses <c>--opt</c> values into specs. The optimizers are created once on a throwaway parameter, so a bad
    /// value such as a negative learning rate is reported now, as one line, rather than after data loading.
    /// Display names that collide get their settings appended.
    /// </summary>
    public static IReadOnlyList<OptimizerSpec> ParseAll(IReadOnlyList<string> texts)
    {
        var specs = texts.Select(Parse).ToList();
        for (int i = 0; i < specs.Count; i++)
            if (specs.Count(s => s.Name == specs[i].Name) > 1)
                specs[i] = specs[i] with { Name = $"{specs[i].Name} ({specs[i].Settings})" };
        return specs;
    }

    /// <summary>Parses one <c>NAME[:k=v,k=v]</c> into a spec that creates the optimizer over given parameters.</summary>
    public static OptimizerSpec Parse(string text)
    {
        var (lab, options) = ParseOptions(text);
        return Spec(lab, options, text);
    }

    /// <summary>
    /// Parses one <c>NAME[:k=v,k=v]</c> into the lab optimizer and the options given (PyTorch names, typed values;
    /// presets not included). Nothing is created, so values the constructor would refuse are not checked yet.
    /// </summary>
    public static (LabOptimizer Lab, Dictionary<string, object?> Options) ParseOptions(string text)
    {
        string name = text, rest = "";
        int colon = text.IndexOf(':');
        if (colon >= 0) (name, rest) = (text[..colon], text[(colon + 1)..]);
        if (name.Trim().Length == 0) throw new CliException($"--opt '{text}': missing optimizer name; known: {KnownNames}");
        var lab = Find(name) ?? throw new CliException($"--opt '{text}': unknown optimizer '{name.Trim()}'; known: {KnownNames}");
        var options = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var part in rest.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new CliException($"--opt '{text}': expected option=value, got '{part}'");
            string key = OptimizerRegistry.SnakeCase(part[..eq].Trim()), raw = part[(eq + 1)..].Trim();
            var option = lab.Info.FindOption(key)
                ?? throw new CliException($"--opt '{text}': {lab.Info.Name} has no option '{part[..eq].Trim()}'; options (defaults): {Defaults(lab.Info)}");
            options[key] = ParseValue(text, option, raw);
        }
        return (lab, options);
    }

    /// <summary>A spec for <paramref name="lab"/> with <paramref name="options"/> (PyTorch names, typed values), validated now.</summary>
    public static OptimizerSpec Spec(LabOptimizer lab, IReadOnlyDictionary<string, object?> options, string? source = null)
    {
        var merged = new Dictionary<string, object?>(lab.Presets, StringComparer.Ordinal);
        foreach (var (k, v) in options) merged[k] = v;
        Optimizer probe;
        try
        {
            probe = lab.Info.Create([Tensor.Zeros(1, 1).RequiresGrad_()], merged);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new CliException($"--opt '{source ?? lab.Name}': {e.Message.Split('\n')[0]}");
        }
        return new OptimizerSpec(lab.DisplayName, p => lab.Info.Create(p, merged), Describe(probe, merged));
    }

    /// <summary>The optimizer's options with their defaults in <c>--opt</c> syntax: <c>lr=0.001, betas=0.9/0.999, …</c>.</summary>
    public static string Defaults(OptimizerInfo info) => string.Join(", ", info.Options.Select(o => $"{o.Name}={Format(o.Default)}"));

    /// <summary>The optimizer's option names in PyTorch's snake_case, in order.</summary>
    public static IReadOnlyList<string> OptionNames(OptimizerInfo info) => [.. info.Options.Select(o => o.Name)];

    private static List<LabOptimizer> Build()
    {
        var sgd = OptimizerRegistry.GetOptimizer("SGD");
        var list = new List<LabOptimizer>
        {
            new("sgd", "SGD", sgd, new Dictionary<string, object?>()),
            new("momentum", "Momentum", sgd, new Dictionary<string, object?> { ["momentum"] = 0.9 }),
            new("nesterov", "Nesterov", sgd, new Dictionary<string, object?> { ["momentum"] = 0.9, ["nesterov"] = true }),
        };
        foreach (var info in OptimizerRegistry.Optimizers)
            if (info != sgd) list.Add(new LabOptimizer(info.Name.ToLowerInvariant(), info.Name, info, new Dictionary<string, object?>()));
        return list;
    }

    private static object? ParseValue(string text, OptionSpec option, string raw)
    {
        string key = option.Name;
        if (option.AllowsNone && raw is "none" or "None" or "null") return null;
        switch (option.Kind)
        {
            case OptionKind.Float: return Number(text, key, raw);
            case OptionKind.Int:
                if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i))
                    throw new CliException($"--opt '{text}': {key} expects an integer, got '{raw}'");
                return i;
            case OptionKind.Bool:
                return raw.ToLowerInvariant() switch
                {
                    "true" or "1" or "yes" => true,
                    "false" or "0" or "no" => false,
                    _ => throw new CliException($"--opt '{text}': {key} expects true or false, got '{raw}'"),
                };
            case OptionKind.String: return raw;
            case OptionKind.FloatPair or OptionKind.OptionalFloatPair or OptionKind.FloatTriple:
                int n = option.Arity;
                var parts = raw.Split('/');
                if (parts.Length != n)
                    throw new CliException($"--opt '{text}': {key} expects {n} numbers separated by '/' (e.g. {key}={string.Join('/', Enumerable.Repeat("0.9", n))}), got '{raw}'");
                var values = new object?[n];
                for (int k = 0; k < n; k++)
                {
                    string item = parts[k].Trim();
                    values[k] = k == 0 && option.Kind == OptionKind.OptionalFloatPair && item is "none" or "None" or "null" ? null : Number(text, key, item);
                }
                return values;
            default:
                throw new CliException($"--opt '{text}': option {key} cannot be set from the command line");
        }
    }

    private static double Number(string text, string key, string raw) =>
        double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            ? d
            : throw new CliException($"--opt '{text}': {key} expects a number, got '{raw}'");

    // "lr=0.01, betas=0.9/0.99": the effective learning rate, then every option that was set explicitly.
    private static string Describe(Optimizer probe, IReadOnlyDictionary<string, object?> options)
    {
        var parts = new List<string>();
        if (probe.Defaults.TryGetValue("lr", out var lr)) parts.Add("lr=" + Format(lr));
        foreach (var (k, v) in options)
            if (k != "lr") parts.Add($"{k}={Format(v)}");
        return string.Join(", ", parts);
    }

    // Shortest round-trip digits, exponents as 1e-6 (not .NET's 1E-06), so the text can be pasted back into --opt.
    private static string Number(double d)
    {
        string r = d.ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOf('E');
        return e < 0 ? r : $"{r[..e]}e{int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture)}";
    }

    /// <summary>Formats an option value the way <c>--opt</c> accepts it.</summary>
    public static string Format(object? v) => v switch
    {
        null => "none",
        bool b => b ? "true" : "false",
        double d => Number(d),
        float f => Number(f),
        object?[] items => string.Join('/', items.Select(Format)),
        System.Runtime.CompilerServices.ITuple t => string.Join('/', Enumerable.Range(0, t.Length).Select(i => Format(t[i]))),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
