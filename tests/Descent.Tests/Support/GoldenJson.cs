using System.Globalization;
using System.Text.Json;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Support;

/// <summary>Reads the golden JSON files written by tests/golden/*.py and compares tensors with them.</summary>
internal static class GoldenJson
{
    private static readonly Dictionary<string, JsonElement> Cache = [];

    /// <summary>The root of Golden/<paramref name="file"/>, parsed once.</summary>
    public static JsonElement Load(string file)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(file, out var root))
            {
                var path = Path.Combine(AppContext.BaseDirectory, "Golden", file);
                root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
                Cache[file] = root;
            }
            return root;
        }
    }

    /// <summary>A number, where the generators write non-finite values as "inf", "-inf" or "nan".</summary>
    public static double Number(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.String => v.GetString() switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var s => throw new FormatException(s),
        },
        _ => throw new FormatException(v.ToString()),
    };

    public static double[] Numbers(JsonElement array)
    {
        var r = new double[array.GetArrayLength()];
        int i = 0;
        foreach (var v in array.EnumerateArray()) r[i++] = Number(v);
        return r;
    }

    public static int[] Ints(JsonElement array)
    {
        var r = new int[array.GetArrayLength()];
        int i = 0;
        foreach (var v in array.EnumerateArray()) r[i++] = v.GetInt32();
        return r;
    }

    /// <summary>
    /// A tensor from <c>{"shape": [...], "dtype": "float32", "data": [...]}</c>, where the values may be under
    /// "values" instead (the op and print goldens) and the dtype is float32 if not given.
    /// </summary>
    public static Tensor Tensor(JsonElement e)
    {
        var shape = Ints(e.GetProperty("shape"));
        var values = e.TryGetProperty("data", out var data) ? data : e.GetProperty("values");
        var t = (e.TryGetProperty("dtype", out var d) ? d.GetString() : "float32") switch
        {
            "float32" => global::Descent.Tensors.Tensor.FromArray(Array.ConvertAll(Numbers(values), v => (float)v)),
            "float64" => global::Descent.Tensors.Tensor.FromArray(Numbers(values)),
            "int64" => global::Descent.Tensors.Tensor.FromArray(values.EnumerateArray().Select(v => v.GetInt64()).ToArray()),
            "bool" => global::Descent.Tensors.Tensor.FromArray(values.EnumerateArray().Select(v => v.GetBoolean()).ToArray()),
            var name => throw new FormatException(name),
        };
        return t.Reshape(shape);
    }

    /// <summary>Asserts shape and values: |actual − expected| ≤ tol·(1 + |expected|); infinities must match exactly.</summary>
    public static void AssertClose(JsonElement expected, Tensor actual, double tol = 1e-5, string what = "")
    {
        var shape = Ints(expected.GetProperty("shape"));
        Assert.True(shape.AsSpan().SequenceEqual(actual.Shape),
            $"{what}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", shape)}]");
        AssertClose(Numbers(expected.GetProperty("data")), actual.Detach().To(DType.Float64).ToArray<double>(), tol, what);
    }

    public static void AssertClose(double[] expected, double[] actual, double tol = 1e-5, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a) : double.IsInfinity(e) ? a == e : Math.Abs(a - e) <= tol * (1 + Math.Abs(e));
            Assert.True(ok, string.Create(CultureInfo.InvariantCulture, $"{what}[{i}]: {a:R}, expected {e:R}"));
        }
    }
}
