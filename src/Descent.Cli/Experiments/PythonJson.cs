using System.Text;
using System.Text.Json;

namespace Descent.Cli.Experiments;

/// <summary>
/// JSON as Python's <c>json</c> module writes and reads it: non-finite floats are the bare tokens <c>NaN</c>,
/// <c>Infinity</c> and <c>-Infinity</c>, which strict JSON (and System.Text.Json) has no words for.
/// <see cref="Parse"/> rewrites those tokens, outside string literals, into marked strings that
/// <see cref="TryGetDouble"/> reads back as numbers; <see cref="WriteNumber(Utf8JsonWriter, double)"/> writes a
/// non-finite value as the bare token, so Python's <c>json.load</c> reads it as <c>nan</c> or <c>±inf</c>.
/// </summary>
public static class PythonJson
{
    // A rewritten token becomes a JSON string that starts with U+0000, which no spec has a reason to contain; a
    // string "NaN" written in quotes stays a string.
    private const char Mark = '\0';

    private static readonly (string Token, double Value)[] Tokens =
        [("NaN", double.NaN), ("Infinity", double.PositiveInfinity), ("-Infinity", double.NegativeInfinity)];

    /// <summary>
    /// Parses <paramref name="json"/>, accepting Python's bare <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>.
    /// Throws <see cref="JsonException"/> for anything else strict JSON refuses (byte positions in its message count
    /// the rewritten tokens as written in quotes).
    /// </summary>
    public static JsonDocument Parse(string json)
    {
        StringBuilder? rewritten = null;
        int copied = 0;
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"')
            {
                inString = true;
                continue;
            }
            if (c is not ('N' or 'I' or '-')) continue;
            foreach (var (token, _) in Tokens)
            {
                if (!json.AsSpan(i).StartsWith(token, StringComparison.Ordinal)) continue;
                rewritten ??= new StringBuilder(json.Length + 16);
                rewritten.Append(json, copied, i - copied).Append("\"\\u0000").Append(token).Append('"');
                i += token.Length - 1;
                copied = i + 1;
                break;
            }
        }
        if (rewritten is null) return JsonDocument.Parse(json);
        return JsonDocument.Parse(rewritten.Append(json, copied, json.Length - copied).ToString());
    }

    /// <summary>Whether <paramref name="e"/> is one of the bare tokens <see cref="Parse"/> rewrote.</summary>
    public static bool IsNonFiniteToken(JsonElement e) => e.ValueKind == JsonValueKind.String && TokenValue(e.GetString()!) is not null;

    /// <summary>The value of a JSON number or of a bare non-finite token; false for anything else.</summary>
    public static bool TryGetDouble(JsonElement e, out double value)
    {
        if (e.ValueKind == JsonValueKind.Number) return e.TryGetDouble(out value);
        if (e.ValueKind == JsonValueKind.String && TokenValue(e.GetString()!) is double v)
        {
            value = v;
            return true;
        }
        value = 0;
        return false;
    }

    private static double? TokenValue(string s)
    {
        if (s.Length < 2 || s[0] != Mark) return null;
        foreach (var (token, value) in Tokens)
            if (s.AsSpan(1).SequenceEqual(token)) return value;
        return null;
    }

    /// <summary>Writes a number; NaN and ±∞ as Python writes them (<c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>).</summary>
    public static void WriteNumber(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(v);
        else w.WriteRawValue(Token(v), skipInputValidation: true);
    }

    /// <summary>Writes a float32 number in its shortest round-trip form; NaN and ±∞ as Python writes them.</summary>
    public static void WriteNumber(Utf8JsonWriter w, float v)
    {
        if (float.IsFinite(v)) w.WriteNumberValue(v);
        else w.WriteRawValue(Token(v), skipInputValidation: true);
    }

    private static string Token(double v) => double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
}
