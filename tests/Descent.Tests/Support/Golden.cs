using System.Text.Json;
using Descent.Tensors;

namespace Descent.Tests.Support;

/// <summary>Reading golden files written by the scripts in tests/golden.</summary>
public static class Golden
{
    /// <summary>The parsed golden file <paramref name="name"/> from the test output's Golden folder.</summary>
    public static JsonDocument Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name)));

    /// <summary>A number, or one of the strings "nan", "inf", "-inf".</summary>
    public static double ParseDouble(JsonElement v) => v.ValueKind switch
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

    /// <summary>The dtype named as PyTorch prints it without the <c>torch.</c> prefix.</summary>
    public static DType ParseDType(string name) => name switch
    {
        "float32" => DType.Float32,
        "float64" => DType.Float64,
        "int64" => DType.Int64,
        "bool" => DType.Bool,
        _ => throw new FormatException(name),
    };

    /// <summary>A tensor from <c>{"shape": [...], "dtype": "...", "values": [...]}</c>.</summary>
    public static Tensor ParseTensor(JsonElement e)
    {
        var shape = e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var dtype = ParseDType(e.GetProperty("dtype").GetString()!);
        var values = e.GetProperty("values");
        int n = values.GetArrayLength();
        switch (dtype)
        {
            case DType.Float32:
            {
                var a = new float[n];
                int i = 0;
                foreach (var v in values.EnumerateArray()) a[i++] = (float)ParseDouble(v);
                return Tensor.FromArray(a, shape.Length == 0 ? [] : shape).Reshape(shape);
            }
            case DType.Float64:
            {
                var a = new double[n];
                int i = 0;
                foreach (var v in values.EnumerateArray()) a[i++] = ParseDouble(v);
                return Tensor.FromArray(a, shape.Length == 0 ? [] : shape).Reshape(shape);
            }
            case DType.Int64:
            {
                var a = new long[n];
                int i = 0;
                foreach (var v in values.EnumerateArray()) a[i++] = v.GetInt64();
                return Tensor.FromArray(a, shape.Length == 0 ? [] : shape).Reshape(shape);
            }
            default:
            {
                var a = new bool[n];
                int i = 0;
                foreach (var v in values.EnumerateArray()) a[i++] = v.GetBoolean();
                return Tensor.FromArray(a, shape.Length == 0 ? [] : shape).Reshape(shape);
            }
        }
    }
}
