using System.Text.Json;

namespace Descent.Tests.Support;

/// <summary>
/// The scalar arguments of one op case: numbers, ints, int lists, bools or null, read from a golden file's
/// <c>args</c> object or written inline by a test.
/// </summary>
public sealed class OpArgs
{
    private readonly Dictionary<string, object?> values;

    /// <summary>Arguments from name/value pairs: double, int, int[], bool or null.</summary>
    public OpArgs(Dictionary<string, object?>? values = null) => this.values = values ?? [];

    /// <summary>No arguments.</summary>
    public static OpArgs None { get; } = new();

    /// <summary>Reads a golden case's <c>args</c> object (non-finite numbers are the strings "nan", "inf", "-inf").</summary>
    public static OpArgs FromJson(JsonElement e)
    {
        var d = new Dictionary<string, object?>();
        foreach (var p in e.EnumerateObject()) d[p.Name] = Convert(p.Value);
        return new OpArgs(d);
    }

    private static object? Convert(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => GoldenJson.Number(v),
        JsonValueKind.Number => v.TryGetInt32(out var i) && !v.GetRawText().Contains('.') ? (object)i : v.GetDouble(),
        JsonValueKind.Array => v.EnumerateArray().Select(x => x.GetInt32()).ToArray(),
        _ => throw new NotSupportedException(v.ToString()),
    };

    /// <summary>Whether the argument is given (and not null).</summary>
    public bool Has(string key) => values.TryGetValue(key, out var v) && v is not null;

    /// <summary>A number argument (ints widen).</summary>
    public double Double(string key) => values[key] switch
    {
        int i => i,
        double d => d,
        var o => throw new InvalidCastException($"{key} = {o}"),
    };

    /// <summary>A number argument, or <paramref name="fallback"/> when absent.</summary>
    public double Double(string key, double fallback) => Has(key) ? Double(key) : fallback;

    /// <summary>A number argument or null.</summary>
    public double? NullableDouble(string key) => Has(key) ? Double(key) : null;

    /// <summary>An int argument.</summary>
    public int Int(string key) => (int)values[key]!;

    /// <summary>An int argument, or <paramref name="fallback"/> when absent.</summary>
    public int Int(string key, int fallback) => Has(key) ? Int(key) : fallback;

    /// <summary>An int argument or null.</summary>
    public int? NullableInt(string key) => Has(key) ? Int(key) : null;

    /// <summary>An int list argument.</summary>
    public int[] Ints(string key) => (int[])values[key]!;

    /// <summary>A bool argument, or <paramref name="fallback"/> when absent.</summary>
    public bool Bool(string key, bool fallback = false) => Has(key) ? (bool)values[key]! : fallback;

    /// <inheritdoc/>
    public override string ToString() =>
        string.Join(", ", values.Select(kv => $"{kv.Key}={(kv.Value is int[] a ? "[" + string.Join(",", a) + "]" : kv.Value)}"));
}
