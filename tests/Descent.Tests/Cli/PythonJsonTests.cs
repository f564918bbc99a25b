using System.Text;
using System.Text.Json;
using Descent.Cli.Experiments;
using Xunit;

namespace Descent.Tests.Cli;

/// <summary>
/// Python's json dialect: <c>json.dumps([float("nan"), float("inf"), -float("inf"), "NaN"])</c> is
/// <c>[NaN, Infinity, -Infinity, "NaN"]</c>, and <c>json.loads</c> reads the bare tokens back as floats.
/// </summary>
public class PythonJsonTests
{
    private static double[] Numbers(string json)
    {
        using var doc = PythonJson.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => PythonJson.TryGetDouble(e, out var v) ? v : throw new FormatException(e.ToString())).ToArray();
    }

    [Fact]
    public void BareTokensAreNumbers()
    {
        Assert.Equal([double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1.5, -2],
            Numbers("[NaN, Infinity, -Infinity, 1.5, -2]"));
        Assert.Equal([double.NaN, double.NegativeInfinity], Numbers("[NaN,-Infinity]"));
    }

    [Fact]
    public void TokensInsideStringsStayText()
    {
        using var doc = PythonJson.Parse("""{"a": "NaN", "b": "x \" Infinity", "c\\": [NaN], "d": "-Infinity\\"}""");
        var root = doc.RootElement;
        Assert.Equal("NaN", root.GetProperty("a").GetString());
        Assert.False(PythonJson.TryGetDouble(root.GetProperty("a"), out _));
        Assert.False(PythonJson.IsNonFiniteToken(root.GetProperty("a")));
        Assert.Equal("x \" Infinity", root.GetProperty("b").GetString());
        Assert.True(double.IsNaN(PythonJson.TryGetDouble(root.GetProperty("c\\")[0], out var v) ? v : 0));
        Assert.Equal("-Infinity\\", root.GetProperty("d").GetString());
    }

    [Theory]
    [InlineData("[NaNa]")]
    [InlineData("[Inf]")]
    [InlineData("[nan]")]
    [InlineData("[-NaN]")]
    public void OtherSpellingsAreNotJson(string json) => Assert.ThrowsAny<JsonException>(() => PythonJson.Parse(json));

    [Fact]
    public void WritesWhatPythonWrites()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartArray();
            PythonJson.WriteNumber(w, float.NaN);
            PythonJson.WriteNumber(w, float.PositiveInfinity);
            PythonJson.WriteNumber(w, double.NegativeInfinity);
            PythonJson.WriteNumber(w, 0.1f);
            PythonJson.WriteNumber(w, 1e308);
            w.WriteEndArray();
        }
        var text = Encoding.UTF8.GetString(ms.ToArray());
        Assert.Equal("[NaN,Infinity,-Infinity,0.1,1E+308]", text);
        Assert.Equal([double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.1, 1e308], Numbers(text)); // 0.1f is written in its shortest form
    }

    [Fact]
    public void ATrajectoryRoundTrips()
    {
        var r = new ReplayResult([[1.5, double.NaN], [double.PositiveInfinity, -0.0]], [[0.1], [double.NaN]], [double.NegativeInfinity, 2]);
        var back = ReplayResult.Parse(r.ToJson());
        Assert.Equal(r.Params, back.Params);
        Assert.Equal(r.Lr, back.Lr);
        Assert.Equal(r.Loss, back.Loss);
        Assert.StartsWith("{\"params\":[[1.5,NaN],[Infinity,-0]],\"lr\":[[0.1],[NaN]],\"loss\":[-Infinity,2]}", r.ToJson());
    }

    [Fact]
    public void AFloat64TrajectoryRoundTripsAtFullPrecision()
    {
        var r = new ReplayResult([[0.1, 1 / 3.0], [double.NaN, 1e300]], [[0.1]], [2 / 3.0]) { DType = Descent.Tensors.DType.Float64 };
        var text = r.ToJson();
        Assert.StartsWith("{\"dtype\":\"float64\",\"params\":[[0.1,0.3333333333333333],[NaN,1E+300]]", text);
        var back = ReplayResult.Parse(text);
        Assert.Equal(Descent.Tensors.DType.Float64, back.DType);
        Assert.Equal(r.Params, back.Params);
        Assert.Equal(r.Loss, back.Loss);
        // Without the key the values are float32: 1/3 reads back rounded.
        var f32 = ReplayResult.Parse(text.Replace("\"dtype\":\"float64\",", ""));
        Assert.Equal((double)(1 / 3f), f32.Params[0][1]);
    }
}
