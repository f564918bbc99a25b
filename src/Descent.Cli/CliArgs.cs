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

    public int Int(string name, int fallback, int min = int.MinValue)
    {
        var s = String(name);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw new CliException($"--{name} expects an integer, got '{s}'");
        if (v < min) throw new CliException($"--{name} must be at least {min}, got {v}");
        return v;
    }

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

    public void EnsureAllUsed()
    {
        foreach (var k in options.Keys)
            if (!used.Contains(k)) throw new CliException($"unknown option '--{k}'");
    }
}

/// <summary>A user error on the command line: printed as one line, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
