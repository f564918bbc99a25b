namespace Descent;

/// <summary>
/// Keyword arguments checked against a class's declared options, the way Python binds a call: an unknown keyword
/// first, then missing required ones, then each value converted to its option's form. Options not given read as
/// their declared default.
/// </summary>
internal sealed class Kwargs
{
    private readonly IReadOnlyList<OptionSpec> specs;
    private readonly Dictionary<string, object?> values = new(StringComparer.Ordinal);

    /// <param name="owner">The class name, for messages.</param>
    /// <param name="specs">The declared options, in signature order.</param>
    /// <param name="given">The keyword arguments.</param>
    /// <param name="other">
    /// Called for a keyword that is not declared; returns true to accept (and ignore) it, or throws. Without it, or
    /// when it returns false, the keyword is refused with Python's message.
    /// </param>
    public Kwargs(string owner, IReadOnlyList<OptionSpec> specs, IReadOnlyDictionary<string, object?>? given,
        Func<string, object?, bool>? other = null)
    {
        this.specs = specs;
        given ??= new Dictionary<string, object?>();
        foreach (var (key, value) in given)
            if (!specs.Any(s => s.Name == key) && !(other?.Invoke(key, value) ?? false))
                throw new ArgumentException($"{owner}.__init__() got an unexpected keyword argument '{key}'");
        var missing = specs.Where(s => s.Required && !given.ContainsKey(s.Name)).Select(s => $"'{s.Name}'").ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"{owner}.__init__() missing {missing.Count} required positional argument{(missing.Count > 1 ? "s" : "")}: "
                + (missing.Count == 1 ? missing[0] : string.Join(", ", missing.SkipLast(1)) + (missing.Count > 2 ? "," : "") + " and " + missing[^1]));
        foreach (var s in specs)
            if (given.TryGetValue(s.Name, out var raw)) values[s.Name] = s.Convert(owner, raw);
    }

    /// <summary>Whether the option was given.</summary>
    public bool Given(string name) => values.ContainsKey(name);

    /// <summary>The option's converted value, or its default.</summary>
    public object? this[string name] => values.TryGetValue(name, out var v) ? v
        : (specs.FirstOrDefault(s => s.Name == name) ?? throw new InvalidOperationException($"option '{name}' is not declared")).Default;

    public double Float(string name) => (double)this[name]!;

    public int Int(string name) => (int)this[name]!;

    public int? NullableInt(string name) => (int?)this[name];

    public bool Bool(string name) => (bool)this[name]!;

    public bool? NullableBool(string name) => (bool?)this[name];

    public string String(string name) => (string)this[name]!;

    public string? NullableString(string name) => (string?)this[name];

    public (double, double) FloatPair(string name) => ((double, double))this[name]!;

    public (double?, double) OptionalFloatPair(string name) => ((double?, double))this[name]!;

    public (double, double, double) FloatTriple(string name) => ((double, double, double))this[name]!;

    public int[] IntList(string name) => (int[])this[name]!;

    /// <summary>A <see cref="OptionKind.FloatPerGroup"/> value: a double, or a double[] when given per group.</summary>
    public object FloatPerGroup(string name) => this[name]!;
}
