using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Descent.Optim.Schedulers;

/// <summary>
/// Reads values back from a scheduler state dict, which may come from <see cref="LRScheduler.StateDict"/>
/// itself (doubles, ints, arrays) or from a deserialized checkpoint (longs, boxed lists, JSON elements).
/// </summary>
internal static class StateValue
{
    /// <summary>Whether the entry is Python's None (null, or a JSON null).</summary>
    public static bool IsNone(object? v) => v is null or JsonElement { ValueKind: JsonValueKind.Null };

    public static double Double(object? v, string key) => v switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        bool b => b ? 1 : 0,
        JsonElement { ValueKind: JsonValueKind.Number } j => j.GetDouble(),
        JsonElement { ValueKind: JsonValueKind.String } j => ParseSpecial(j.GetString(), key),
        string s => ParseSpecial(s, key),
        _ => throw new ArgumentException($"state dict entry '{key}' is {Describe(v)}, not a number"),
    };

    public static int Int(object? v, string key)
    {
        double d = Double(v, key);
        if (d != Math.Floor(d)) throw new ArgumentException($"state dict entry '{key}' is {Describe(v)}, not an integer");
        return checked((int)d);
    }

    public static bool Bool(object? v, string key) => v switch
    {
        bool b => b,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        _ => throw new ArgumentException($"state dict entry '{key}' is {Describe(v)}, not a bool"),
    };

    public static string? String(object? v, string key) => v switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } j => j.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        _ => throw new ArgumentException($"state dict entry '{key}' is {Describe(v)}, not a string"),
    };

    public static double[] Doubles(object? v, string key) => v switch
    {
        double[] a => (double[])a.Clone(),
        JsonElement { ValueKind: JsonValueKind.Array } j => j.EnumerateArray().Select(e => Double(e, key)).ToArray(),
        IEnumerable e and not string => e.Cast<object?>().Select(x => Double(x, key)).ToArray(),
        _ => throw new ArgumentException($"state dict entry '{key}' is {Describe(v)}, not a list of numbers"),
    };

    public static int[] Ints(object? v, string key) => v switch
    {
        int[] a => (int[])a.Clone(),
        _ => Doubles(v, key).Select((d, i) => Int(d, key)).ToArray(),
    };

    public static IReadOnlyList<object?> List(object? v, string key) => v switch
    {
        IReadOnlyList<object?> l => l,
        JsonElement { ValueKind: JsonValueKind.Array } j => j.EnumerateArray().Select(e => (object?)e).ToList(),
        IEnumerable e and not string => e.Cast<object?>().ToList(),
        _ => throw new ArgumentException($"state dict entry '{key}' is {Describe(v)}, not a list"),
    };

    public static IReadOnlyDictionary<string, object?> Dict(object? v, string key) => v switch
    {
        IReadOnlyDictionary<string, object?> d => d,
        IDictionary<string, object?> d => d.AsReadOnly(),
        JsonElement { ValueKind: JsonValueKind.Object } j => j.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value),
        _ => throw new ArgumentException($"state dict entry '{key}' is {Describe(v)}, not a dict"),
    };

    private static double ParseSpecial(string? s, string key) => s switch
    {
        "inf" or "Infinity" => double.PositiveInfinity,
        "-inf" or "-Infinity" => double.NegativeInfinity,
        "nan" or "NaN" => double.NaN,
        _ => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d : throw new ArgumentException($"state dict entry '{key}' is '{s}', not a number"),
    };

    private static string Describe(object? v) => v is null ? "None" : $"{v} ({v.GetType().Name})";
}
