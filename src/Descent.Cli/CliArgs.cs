using System.Globalization;

namespace Descent.Cli;

/// <summary>A command line's options (<c>--name value</c>, <c>--name=value</c>, <c>--flag</c>); unknown ones are errors.</summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, List<string?>> options = new(StringComparer.Ordinal);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    public CliArgs(IEnumerable<string> args)
    {
        var list = args.ToList();
        Raw = list;
        for (int i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
                throw new CliException($"unexpected argument '{a}'");
            string name = a[2..];
            string? value = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal)) value = list[++i];
            if (!options.TryGetValue(name, out var values)) options[name] = values = [];
            values.Add(value);
        }
    }

    /// <summary>The arguments as given, for reports that show how to reproduce a run.</summary>
    public IReadOnlyList<string> Raw { get; }

    /// <summary>The command line that reproduces this run: <c>descent VERB ARGS</c>, quoting arguments with spaces.</summary>
    public string CommandLine(string verb) =>
        string.Join(' ', new[] { "descent", verb }.Concat(Raw.Select(a => a.Contains(' ') ? $"'{a}'" : a)));

    public bool Flag(string name)
    {
        used.Add(name);
        if (!options.TryGetValue(name, out var v)) return false;
        if (v[^1] is null) return true;
        return v[^1] switch
        {
            "true" => true,
            "false" => false,
            _ => throw new CliException($"--{name} takes no value (got '{v[^1]}')"),
        };
    }

    public string? String(string name)
    {
        used.Add(name);
        if (!options.TryGetValue(name, out var v)) return null;
        return v[^1] ?? throw new CliException($"--{name} needs a value");
    }

    public IReadOnlyList<string> All(string name)
    {
        used.Add(name);
        if (!options.TryGetValue(name, out var v)) return [];
        return v.Select(x => x ?? throw new CliException($"--{name} needs a value")).ToList();
    }

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var s = String(name);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw new CliException($"--{name} expects an integer, got '{s}'");
        if (v < min) throw new CliException($"--{name} must be at least {min}, got {v}");
        if (v > max) throw new CliException($"--{name} must be at most {max}, got {v}");
        return v;
    }

    /// <summary>A number in (0, <paramref name="max"/>]: a duration or a rate that must be finite and positive.</summary>
    public double PositiveDouble(string name, double fallback, double max)
    {
        double v = PositiveDouble(name, fallback);
        if (v > max) throw new CliException($"--{name} must be at most {max.ToString(CultureInfo.InvariantCulture)}, got {v.ToString(CultureInfo.InvariantCulture)}");
        return v;
    }

    /// <summary>Upper bounds of the lab's counts: beyond them a run would take hours or exhaust memory before printing anything.</summary>
    public const int MaxSteps = 1_000_000, MaxEpochs = 10_000, MaxThreads = 1024, MaxBatch = 1 << 20;

    public long Long(string name, long fallback)
    {
        var s = String(name);
        if (s is null) return fallback;
        if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw new CliException($"--{name} expects an integer, got '{s}'");
        return v;
    }

    public double Double(string name, double fallback)
    {
        var s = String(name);
        if (s is null) return fallback;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            throw new CliException($"--{name} expects a number, got '{s}'");
        return v;
    }

    /// <summary>A comma-separated list of numbers (<c>--lrs 0.01,0.1,1</c>); null when the option is absent.</summary>
    public double[]? Doubles(string name)
    {
        var s = String(name);
        if (s is null) return null;
        var parts = s.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw new CliException($"--{name} expects comma-separated numbers, got '{parts[i]}'");
        return values;
    }

    /// <summary>A number that must be positive and finite.</summary>
    public double PositiveDouble(string name, double fallback)
    {
        double v = Double(name, fallback);
        if (!(v > 0) || !double.IsFinite(v)) throw new CliException($"--{name} must be a positive number, got {v.ToString(CultureInfo.InvariantCulture)}");
        return v;
    }

    public void EnsureAllUsed()
    {
        foreach (var k in options.Keys)
            if (!used.Contains(k)) throw new CliException($"unknown option '--{k}'");
    }
}

/// <summary>A user error on the command line: printed as one line, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
