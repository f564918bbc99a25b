using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Descent.Text;

namespace Descent;

/// <summary>The kind of value an optimizer or scheduler option takes, as PyTorch's signature has it.</summary>
public enum OptionKind
{
    /// <summary>A float: <see cref="double"/>.</summary>
    Float,

    /// <summary>An int: <see cref="int"/>.</summary>
    Int,

    /// <summary>A bool.</summary>
    Bool,

    /// <summary>A str.</summary>
    String,

    /// <summary>Two floats, <c>(double, double)</c>: betas, etas, step_sizes.</summary>
    FloatPair,

    /// <summary>Two floats of which the first may be None, <c>(double?, double)</c>: Adafactor's eps.</summary>
    OptionalFloatPair,

    /// <summary>Three floats, <c>(double, double, double)</c>: Muon's ns_coefficients.</summary>
    FloatTriple,

    /// <summary>A list of ints, <c>int[]</c>: MultiStepLR's milestones.</summary>
    IntList,

    /// <summary>
    /// A float for every parameter group or a list of one float per group, as a <see cref="double"/> or a
    /// <c>double[]</c>: a scheduler's max_lr, base_momentum, swa_lr.
    /// </summary>
    FloatPerGroup,
}

/// <summary>
/// One keyword argument of an optimizer or scheduler as <see cref="OptimizerRegistry"/> declares it: PyTorch's
/// name, the kind of value, whether None is accepted, and the default, which is the constant the class's own
/// constructor uses (<c>Adam.DefaultBetas</c>), or none when the argument is required.
/// </summary>
public sealed class OptionSpec
{
    private OptionSpec(string name, OptionKind kind, object? defaultValue, bool allowsNone, bool required)
    {
        Name = name;
        Kind = kind;
        Default = defaultValue;
        AllowsNone = allowsNone;
        Required = required;
    }

    /// <summary>PyTorch's keyword (<c>weight_decay</c>).</summary>
    public string Name { get; }

    /// <summary>The kind of value.</summary>
    public OptionKind Kind { get; }

    /// <summary>
    /// The default in the form <see cref="Convert"/> returns (a double, an int, a tuple…); null for None, and
    /// for a required argument, which has none.
    /// </summary>
    public object? Default { get; }

    /// <summary>Whether None (null) is a valid value.</summary>
    public bool AllowsNone { get; }

    /// <summary>Whether the argument must be given (PyTorch's positional arguments without a default).</summary>
    public bool Required { get; }

    /// <summary>How many numbers the value holds when it is a tuple (2 or 3), else 1.</summary>
    public int Arity => Kind switch
    {
        OptionKind.FloatPair or OptionKind.OptionalFloatPair => 2,
        OptionKind.FloatTriple => 3,
        _ => 1,
    };

    internal static OptionSpec Optional(string name, OptionKind kind, object? defaultValue, bool allowsNone = false) =>
        new(name, kind, defaultValue, allowsNone || defaultValue is null, required: false);

    internal static OptionSpec Needed(string name, OptionKind kind) => new(name, kind, null, allowsNone: false, required: true);

    /// <inheritdoc/>
    public override string ToString() => Required ? Name : $"{Name}={PyRepr.Str(Default)}";

    /// <summary>
    /// Converts a value as JSON or a program gives it (double, float, int, long, bool, string, null, a list, an
    /// array, a tuple or a <see cref="JsonElement"/>) to this option's form: a double, an int, a bool, a string, a
    /// value tuple, an <c>int[]</c>, or for <see cref="OptionKind.FloatPerGroup"/> a double or a <c>double[]</c>.
    /// Numbers may also be Python's spellings of the non-finite floats, the strings <c>inf</c>, <c>-inf</c> and <c>nan</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The value is of the wrong kind; the message names <paramref name="owner"/> and the option.</exception>
    public object? Convert(string owner, object? value)
    {
        value = Plain(value);
        if (value is null)
            return AllowsNone ? null : throw new ArgumentException($"{owner}: option '{Name}' cannot be None");
        switch (Kind)
        {
            case OptionKind.Float: return Number(owner, value);
            case OptionKind.Int: return Integer(owner, value);
            case OptionKind.Bool: return value is bool b ? b : throw Expected(owner, "a bool", value);
            case OptionKind.String: return value as string ?? throw Expected(owner, "a string", value);
            case OptionKind.FloatPair:
            {
                var items = Items(owner, value, 2);
                return (Number(owner, items[0]), Number(owner, items[1]));
            }
            case OptionKind.OptionalFloatPair:
            {
                var items = Items(owner, value, 2);
                return (items[0] is null ? (double?)null : Number(owner, items[0]), Number(owner, items[1]));
            }
            case OptionKind.FloatTriple:
            {
                var items = Items(owner, value, 3);
                return (Number(owner, items[0]), Number(owner, items[1]), Number(owner, items[2]));
            }
            case OptionKind.IntList:
                return Items(owner, value, null).Select(v => Integer(owner, v)).ToArray();
            case OptionKind.FloatPerGroup:
                return IsList(value) ? Items(owner, value, null).Select(v => Number(owner, v)).ToArray() : Number(owner, value);
            default:
                throw new InvalidOperationException($"{owner}: option '{Name}' has no conversion for {Kind}");
        }
    }

    /// <summary>A JSON element as the CLR value it holds; anything else unchanged.</summary>
    private static object? Plain(object? v) => v is JsonElement e
        ? e.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => e.GetDouble(),
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Array => e.EnumerateArray().Select(x => Plain(x)).ToList(),
            _ => e,
        }
        : v;

    private double Number(string owner, object? v) => Plain(v) switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        decimal m => (double)m,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" => double.NaN,
        var other => throw Expected(owner, "a number", other),
    };

    private int Integer(string owner, object? v)
    {
        double d = Number(owner, v);
        if (d != Math.Floor(d) || d < int.MinValue || d > int.MaxValue) throw Expected(owner, "an integer", Plain(v));
        return (int)d;
    }

    private static bool IsList(object v) => v is ITuple || v is IEnumerable and not string;

    private List<object?> Items(string owner, object value, int? count)
    {
        List<object?> items = value switch
        {
            ITuple t => Enumerable.Range(0, t.Length).Select(i => t[i]).ToList(),
            IEnumerable e and not string => e.Cast<object?>().Select(Plain).ToList(),
            _ => throw Expected(owner, count is null ? "a list" : $"a list of {count} values", value),
        };
        if (count is int n && items.Count != n)
            throw new ArgumentException($"{owner}: option '{Name}' must have {n} values, got {items.Count}");
        return items;
    }

    private ArgumentException Expected(string owner, string what, object? got) =>
        new($"{owner}: option '{Name}' must be {what}, got {PyRepr.Of(got)}");
}
