using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>
/// An optimizer the lab knows by name: <c>sgd</c>, the SGD presets <c>momentum</c> and <c>nesterov</c>, and every
/// optimizer class in <c>Descent.Optim</c> by its lower-cased class name (<c>rmsprop</c>, <c>adam</c>, …).
/// </summary>
/// <param name="Name">The lab's name, lower case.</param>
/// <param name="DisplayName">The name shown in tables and legends (<c>Momentum</c>, <c>RMSprop</c>).</param>
/// <param name="Type">The optimizer class.</param>
/// <param name="Presets">Options applied before the user's, by PyTorch name (momentum 0.9 for <c>momentum</c>).</param>
public sealed record LabOptimizer(string Name, string DisplayName, Type Type, IReadOnlyDictionary<string, object?> Presets);

/// <summary>
/// The lab's optimizer registry: parses <c>NAME:k=v,k=v</c> (the value of <c>--opt</c>) and builds the optimizer
/// through its constructor, with options named as in PyTorch (<c>weight_decay</c>, or camelCase <c>weightDecay</c>)
/// and pairs written with a slash (<c>betas=0.9/0.99</c>). Optimizer classes are found by reflection, so any class
/// present in <c>Descent.Optim</c> at build time is available without changes here.
/// </summary>
/// <remarks>
/// Named <c>LabOptimizerRegistry</c> rather than <c>OptimizerRegistry</c> so it cannot shadow the library's
/// PyTorch-kwargs factory of that name inside this namespace.
/// </remarks>
public static class LabOptimizerRegistry
{
    // PyTorch's documentation order, so tables and legends list the familiar ones first.
    private static readonly string[] PreferredOrder =
        ["SGD", "RMSprop", "Adam", "Adagrad", "Adadelta", "Adamax", "AdamW", "NAdam", "RAdam", "ASGD", "Rprop", "LBFGS", "SparseAdam"];

    private static readonly Lazy<IReadOnlyList<LabOptimizer>> Registry = new(Discover);

    /// <summary>Every lab optimizer: sgd, momentum, nesterov, then the other classes in PyTorch's order.</summary>
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
        var ctor = Constructor(lab.Type);
        var options = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var part in rest.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new CliException($"--opt '{text}': expected option=value, got '{part}'");
            string key = SnakeCase(part[..eq].Trim()), raw = part[(eq + 1)..].Trim();
            var parameter = ctor.GetParameters().Skip(1).FirstOrDefault(p => SnakeCase(p.Name!) == key)
                ?? throw new CliException($"--opt '{text}': {lab.Type.Name} has no option '{part[..eq].Trim()}'; options: {string.Join(", ", OptionNames(lab.Type))}");
            options[key] = ParseValue(text, key, raw, parameter.ParameterType);
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
            probe = Create(lab.Type, [Tensor.Zeros(1, 1).RequiresGrad_()], merged);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--opt '{source ?? lab.Name}': {e.Message.Split('\n')[0]}");
        }
        return new OptimizerSpec(lab.DisplayName, p => Create(lab.Type, p, merged), Describe(probe, merged));
    }

    /// <summary>The constructor's option names in PyTorch's snake_case, in order.</summary>
    public static IReadOnlyList<string> OptionNames(Type type) =>
        Constructor(type).GetParameters().Skip(1).Select(p => SnakeCase(p.Name!)).ToList();

    /// <summary>Creates <paramref name="type"/> over <paramref name="parameters"/>; unset options take the constructor's defaults.</summary>
    public static Optimizer Create(Type type, IEnumerable<Tensor> parameters, IReadOnlyDictionary<string, object?> options)
    {
        var ctor = Constructor(type);
        var ps = ctor.GetParameters();
        var args = new object?[ps.Length];
        args[0] = parameters;
        for (int i = 1; i < ps.Length; i++)
        {
            string key = SnakeCase(ps[i].Name!);
            if (options.TryGetValue(key, out var v)) args[i] = v;
            else if (ps[i].HasDefaultValue) args[i] = ps[i].DefaultValue;
            else throw new ArgumentException($"{type.Name} needs option '{key}'");
        }
        try
        {
            return (Optimizer)ctor.Invoke(args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary><c>weightDecay</c> → <c>weight_decay</c>; snake_case names are returned unchanged.</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        foreach (char c in name)
        {
            if (char.IsUpper(c))
            {
                if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static IReadOnlyList<LabOptimizer> Discover()
    {
        var types = typeof(Optimizer).Assembly.GetExportedTypes()
            .Where(t => t.IsSubclassOf(typeof(Optimizer)) && !t.IsAbstract && TryConstructor(t) is not null)
            .OrderBy(t => Array.IndexOf(PreferredOrder, t.Name) is int i && i >= 0 ? i : PreferredOrder.Length)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var list = new List<LabOptimizer>
        {
            new("sgd", "SGD", typeof(SGD), new Dictionary<string, object?>()),
            new("momentum", "Momentum", typeof(SGD), new Dictionary<string, object?> { ["momentum"] = 0.9 }),
            new("nesterov", "Nesterov", typeof(SGD), new Dictionary<string, object?> { ["momentum"] = 0.9, ["nesterov"] = true }),
        };
        foreach (var t in types)
            if (t != typeof(SGD)) list.Add(new LabOptimizer(t.Name.ToLowerInvariant(), t.Name, t, new Dictionary<string, object?>()));
        return list;
    }

    private static ConstructorInfo Constructor(Type type) =>
        TryConstructor(type) ?? throw new InvalidOperationException($"{type.Name} has no constructor over a parameter list");

    private static ConstructorInfo? TryConstructor(Type type) =>
        type.GetConstructors().FirstOrDefault(c => c.GetParameters() is { Length: > 0 } ps && ps[0].ParameterType == typeof(IEnumerable<Tensor>));

    private static object? ParseValue(string text, string key, string raw, Type target)
    {
        var under = Nullable.GetUnderlyingType(target);
        bool nullable = under is not null || !target.IsValueType;
        if (nullable && raw is "none" or "None" or "null") return null;
        var t = under ?? target;
        if (t == typeof(double)) return Number(text, key, raw);
        if (t == typeof(float)) return (float)Number(text, key, raw);
        if (t == typeof(int) || t == typeof(long))
        {
            if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) || (t == typeof(int) && (l < int.MinValue || l > int.MaxValue)))
                throw new CliException($"--opt '{text}': {key} expects an integer, got '{raw}'");
            // Box as the parameter's own type: reflection will not widen or narrow a boxed value.
            if (t == typeof(int)) return (int)l;
            return l;
        }
        if (t == typeof(bool))
            return raw.ToLowerInvariant() switch
            {
                "true" or "1" or "yes" => true,
                "false" or "0" or "no" => false,
                _ => throw new CliException($"--opt '{text}': {key} expects true or false, got '{raw}'"),
            };
        if (t == typeof(string)) return raw;
        if (t.IsGenericType && t.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
        {
            var items = t.GetGenericArguments();
            var parts = raw.Split('/');
            if (parts.Length != items.Length)
                throw new CliException($"--opt '{text}': {key} expects {items.Length} numbers separated by '/' (e.g. {key}={string.Join('/', Enumerable.Repeat("0.9", items.Length))}), got '{raw}'");
            var values = new object?[items.Length];
            for (int i = 0; i < items.Length; i++) values[i] = ParseValue(text, key, parts[i].Trim(), items[i]);
            return Activator.CreateInstance(t, values);
        }
        throw new CliException($"--opt '{text}': option {key} of type {t.Name} cannot be set from the command line");
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
        System.Runtime.CompilerServices.ITuple t => string.Join('/', Enumerable.Range(0, t.Length).Select(i => Format(t[i]))),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
