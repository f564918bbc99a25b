using System.Collections;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Descent.Text;

namespace Descent.Optim;

/// <summary>
/// Creates optimizers by PyTorch class name from PyTorch keyword arguments (<c>{"lr": 0.1, "betas": [0.9, 0.99]}</c>),
/// for conformance replays and configuration files. Each keyword maps to the constructor argument of the same name
/// in camelCase (<c>weight_decay</c> → <c>weightDecay</c>), so defaults live only in the constructors. PyTorch's
/// implementation switches (<c>foreach</c>, and <c>differentiable</c>/<c>capturable</c>/<c>fused</c> when off) are
/// accepted and ignored: Descent has one CPU implementation, whose results they would not change.
/// </summary>
public static class OptimizerRegistry
{
    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        ["SGD"] = typeof(SGD), ["Adam"] = typeof(Adam), ["AdamW"] = typeof(AdamW), ["Adadelta"] = typeof(Adadelta),
        ["Adagrad"] = typeof(Adagrad), ["Adamax"] = typeof(Adamax), ["ASGD"] = typeof(ASGD), ["NAdam"] = typeof(NAdam),
        ["RAdam"] = typeof(RAdam), ["RMSprop"] = typeof(RMSprop), ["Rprop"] = typeof(Rprop), ["LBFGS"] = typeof(LBFGS),
        ["SparseAdam"] = typeof(SparseAdam), ["Adafactor"] = typeof(Adafactor), ["Muon"] = typeof(Muon),
    };

    private static readonly HashSet<string> Switches = ["foreach", "differentiable", "capturable", "fused"];

    /// <summary>The PyTorch class names that can be created.</summary>
    public static IReadOnlyCollection<string> Names => Types.Keys;

    /// <summary>
    /// Creates optimizer <paramref name="name"/> over <paramref name="groups"/>; <paramref name="options"/> are the
    /// constructor's keyword arguments with values as JSON gives them (double, long, bool, string, null, lists).
    /// Group options must already be converted with <see cref="ConvertOption"/>.
    /// </summary>
    public static Optimizer Create(string name, IEnumerable<ParamGroup> groups, IReadOnlyDictionary<string, object?> options)
    {
        var ctor = Constructor(name);
        var parameters = ctor.GetParameters();
        var args = new object?[parameters.Length];
        args[0] = groups;
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 1; i < parameters.Length; i++)
        {
            var key = SnakeCase(parameters[i].Name!);
            if (options.TryGetValue(key, out var raw))
            {
                args[i] = Convert(name, key, raw, parameters[i].ParameterType);
                used.Add(key);
            }
            else args[i] = parameters[i].DefaultValue is DBNull ? null : parameters[i].DefaultValue;
        }
        foreach (var (key, value) in options)
            if (!used.Contains(key)) CheckSwitch(name, key, value);
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

    /// <summary>
    /// Converts a per-group option of optimizer <paramref name="name"/> from its JSON form to the form the optimizer
    /// stores (pairs as tuples, integers as int); an option the optimizer does not have is refused.
    /// </summary>
    public static object? ConvertOption(string name, string option, object? value)
    {
        foreach (var p in Constructor(name).GetParameters().Skip(1))
            if (SnakeCase(p.Name!) == option) return Convert(name, option, value, p.ParameterType);
        if (option == "lr" || option == "initial_lr") return Number(name, option, value);
        CheckSwitch(name, option, value);
        return value;
    }

    private static ConstructorInfo Constructor(string name)
    {
        if (!Types.TryGetValue(name, out var type))
            throw new ArgumentException($"unknown optimizer '{name}'; known: {string.Join(", ", Types.Keys)}");
        foreach (var c in type.GetConstructors())
        {
            var ps = c.GetParameters();
            if (ps.Length > 0 && ps[0].ParameterType == typeof(IEnumerable<ParamGroup>)) return c;
        }
        throw new InvalidOperationException($"{name} has no constructor over parameter groups");
    }

    private static void CheckSwitch(string name, string key, object? value)
    {
        if (!Switches.Contains(key)) throw new ArgumentException($"{name}.__init__() got an unexpected keyword argument '{key}'");
        bool on = value is bool b && b;
        if (key != "foreach" && on) throw new NotSupportedException($"{name}: {key}=True is not supported by Descent");
    }

    private static object? Convert(string name, string key, object? raw, Type target)
    {
        var under = Nullable.GetUnderlyingType(target);
        if (raw is null)
        {
            if (under is not null || !target.IsValueType) return null;
            throw new ArgumentException($"{name}: option '{key}' cannot be None");
        }
        var t = under ?? target;
        if (t == typeof(double)) return Number(name, key, raw);
        if (t == typeof(int))
        {
            double d = Number(name, key, raw);
            if (d != Math.Floor(d) || d < int.MinValue || d > int.MaxValue) throw new ArgumentException($"{name}: option '{key}' must be an integer, got {PyRepr.Str(raw)}");
            return (int)d;
        }
        if (t == typeof(bool)) return raw is bool b ? b : throw new ArgumentException($"{name}: option '{key}' must be a bool, got {PyRepr.Str(raw)}");
        if (t == typeof(string)) return raw as string ?? throw new ArgumentException($"{name}: option '{key}' must be a string, got {PyRepr.Str(raw)}");
        var items = Items(name, key, raw);
        if (t == typeof(ValueTuple<double, double>))
        {
            Expect(name, key, items, 2);
            return (Number(name, key, items[0]), Number(name, key, items[1]));
        }
        if (t == typeof(ValueTuple<double?, double>))
        {
            Expect(name, key, items, 2);
            return (items[0] is null ? (double?)null : Number(name, key, items[0]), Number(name, key, items[1]));
        }
        if (t == typeof(ValueTuple<double, double, double>))
        {
            Expect(name, key, items, 3);
            return (Number(name, key, items[0]), Number(name, key, items[1]), Number(name, key, items[2]));
        }
        throw new InvalidOperationException($"{name}: option '{key}' has an unsupported type {t.Name}");
    }

    private static List<object?> Items(string name, string key, object raw) => raw is IEnumerable e and not string
        ? e.Cast<object?>().ToList()
        : throw new ArgumentException($"{name}: option '{key}' must be a list, got {PyRepr.Str(raw)}");

    private static void Expect(string name, string key, List<object?> items, int n)
    {
        if (items.Count != n) throw new ArgumentException($"{name}: option '{key}' must have {n} values, got {items.Count}");
    }

    private static double Number(string name, string key, object? raw) => raw switch
    {
        double d => d,
        float f => f,
        long l => l,
        int i => i,
        _ => throw new ArgumentException($"{name}: option '{key}' must be a number, got {PyRepr.Str(raw)}"),
    };

    /// <summary>weightDecay → weight_decay.</summary>
    public static string SnakeCase(string camel)
    {
        var sb = new System.Text.StringBuilder(camel.Length + 4);
        foreach (var c in camel)
        {
            if (char.IsUpper(c)) sb.Append('_').Append(char.ToLowerInvariant(c));
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
