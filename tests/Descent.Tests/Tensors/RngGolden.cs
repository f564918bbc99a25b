using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Tensors;

/// <summary>
/// Loads Golden/rng.json (written by tests/golden/gen_rng.py with PyTorch 1.13)
/// and replays its op sequences on a <see cref="Generator"/>.
/// </summary>
internal static class RngGolden
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Golden", "rng.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<object[]> CaseNames(Func<string, bool> include)
    {
        foreach (JsonElement c in Root.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            if (include(name))
            {
                yield return new object[] { name };
            }
        }
    }

    public static JsonElement Case(string name)
    {
        foreach (JsonElement c in Root.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("name").GetString() == name)
            {
                return c;
            }
        }
        throw new KeyNotFoundException(name);
    }

    public static float[] Floats(JsonElement bits)
    {
        var result = new float[bits.GetArrayLength()];
        int i = 0;
        foreach (JsonElement b in bits.EnumerateArray())
        {
            result[i++] = BitConverter.UInt32BitsToSingle(b.GetUInt32());
        }
        return result;
    }

    public static double[] Doubles(JsonElement bits)
    {
        var result = new double[bits.GetArrayLength()];
        int i = 0;
        foreach (JsonElement b in bits.EnumerateArray())
        {
            result[i++] = BitConverter.UInt64BitsToDouble(b.GetUInt64());
        }
        return result;
    }

    public static long[] Longs(JsonElement values)
    {
        var result = new long[values.GetArrayLength()];
        int i = 0;
        foreach (JsonElement v in values.EnumerateArray())
        {
            result[i++] = v.GetInt64();
        }
        return result;
    }

    /// <summary>Distance in units in the last place between two finite floats.</summary>
    public static long Ulps(float a, float b)
    {
        static long Ordered(float x)
        {
            int bits = BitConverter.SingleToInt32Bits(x);
            return bits < 0 ? int.MinValue - (long)bits : bits;
        }
        return Math.Abs(Ordered(a) - Ordered(b));
    }

    /// <summary>
    /// Runs every op of <paramref name="ops"/> on <paramref name="generator"/> in
    /// order and asserts each output equals PyTorch's bit for bit.
    /// </summary>
    public static void Replay(Generator generator, JsonElement ops, string label)
    {
        int index = 0;
        foreach (JsonElement op in ops.EnumerateArray())
        {
            ReplayOne(generator, op, $"{label} op #{index++} {op.GetProperty("op").GetString()}");
        }
    }

    private static void ReplayOne(Generator g, JsonElement op, string where)
    {
        string kind = op.GetProperty("op").GetString()!;
        string dtype = op.TryGetProperty("dtype", out JsonElement d) ? d.GetString()! : "";
        int n = op.TryGetProperty("n", out JsonElement nEl) ? nEl.GetInt32() : 0;
        if (op.TryGetProperty("sha256", out JsonElement digest))
        {
            Assert.True(digest.GetString() == Digest(g, kind, dtype, n, op), where);
            return;
        }
        JsonElement expected = op.GetProperty("out");
        switch (kind)
        {
            case "normal":
            {
                double mean = op.GetProperty("mean").GetDouble(), std = op.GetProperty("std").GetDouble();
                if (dtype == "float32")
                {
                    var dst = new float[n];
                    g.FillNormal(dst, mean, std);
                    AssertBits(Floats(expected), dst, where);
                }
                else
                {
                    var dst = new double[n];
                    g.FillNormal(dst, mean, std);
                    AssertBits(Doubles(expected), dst, where);
                }
                break;
            }
            case "normal_tensor_mean":
            {
                // torch.normal(mean_tensor, std) == normal_(0, std) then add_(mean) in float.
                float[] mean = Floats(op.GetProperty("meanBits"));
                var dst = new float[n];
                g.FillNormal(dst, 0.0, op.GetProperty("std").GetDouble());
                for (int i = 0; i < n; i++)
                {
                    dst[i] += mean[i];
                }
                AssertBits(Floats(expected), dst, where);
                break;
            }
            case "uniform":
            {
                double low = op.GetProperty("low").GetDouble(), high = op.GetProperty("high").GetDouble();
                if (dtype == "float32")
                {
                    var dst = new float[n];
                    g.FillUniform(dst, low, high);
                    AssertBits(Floats(expected), dst, where);
                }
                else
                {
                    var dst = new double[n];
                    g.FillUniform(dst, low, high);
                    AssertBits(Doubles(expected), dst, where);
                }
                break;
            }
            case "randint":
            {
                long low = op.GetProperty("low").GetInt64(), high = op.GetProperty("high").GetInt64();
                if (dtype == "int64")
                {
                    var dst = new long[n];
                    g.FillRandint(dst, low, high);
                    Assert.True(Longs(expected).AsSpan().SequenceEqual(dst), where);
                }
                else if (dtype == "float32")
                {
                    var dst = new float[n];
                    g.FillRandint(dst, low, high);
                    AssertBits(Floats(expected), dst, where);
                }
                else
                {
                    var dst = new double[n];
                    g.FillRandint(dst, low, high);
                    AssertBits(Doubles(expected), dst, where);
                }
                break;
            }
            case "randperm":
            {
                var dst = new long[n];
                g.Randperm(dst);
                Assert.True(Longs(expected).AsSpan().SequenceEqual(dst), where);
                break;
            }
            case "random_int64":
                Assert.True(expected[0].GetInt64() == g.RandomInt64(), where);
                break;
            case "bernoulli":
            {
                var dst = new float[n];
                g.FillBernoulli(dst, op.GetProperty("p").GetDouble());
                AssertBits(Floats(expected), dst, where);
                break;
            }
            case "dropout":
            {
                // F.dropout on CPU: noise.bernoulli_(1 - p); noise.div_(1 - p); x * noise.
                double p = op.GetProperty("p").GetDouble();
                var dst = new float[n];
                g.FillBernoulli(dst, 1.0 - p);
                float keep = (float)(1.0 - p);
                for (int i = 0; i < n; i++)
                {
                    dst[i] = 1f * (dst[i] / keep);
                }
                AssertBits(Floats(expected), dst, where);
                break;
            }
            case "state":
                Assert.True(expected.GetString() == Convert.ToBase64String(g.GetState()), where);
                break;
            default:
                throw new InvalidOperationException($"unknown op {kind}");
        }
    }

    // SHA-256 (lower-case hex) of a large fill's little-endian bytes.
    private static string Digest(Generator g, string kind, string dtype, int n, JsonElement op)
    {
        byte[] bytes;
        if (dtype == "float32")
        {
            var dst = new float[n];
            if (kind == "normal")
            {
                g.FillNormal(dst, op.GetProperty("mean").GetDouble(), op.GetProperty("std").GetDouble());
            }
            else
            {
                g.FillUniform(dst, op.GetProperty("low").GetDouble(), op.GetProperty("high").GetDouble());
            }
            bytes = MemoryMarshal.AsBytes(dst.AsSpan()).ToArray();
        }
        else
        {
            var dst = new double[n];
            if (kind == "normal")
            {
                g.FillNormal(dst, op.GetProperty("mean").GetDouble(), op.GetProperty("std").GetDouble());
            }
            else
            {
                g.FillUniform(dst, op.GetProperty("low").GetDouble(), op.GetProperty("high").GetDouble());
            }
            bytes = MemoryMarshal.AsBytes(dst.AsSpan()).ToArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    public static void AssertBits(float[] expected, float[] actual, string where)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{where}: element {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R} ({Ulps(expected[i], actual[i])} ulp)");
            }
        }
    }

    public static void AssertBits(double[] expected, double[] actual, string where)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                Assert.Fail($"{where}: element {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R}");
            }
        }
    }
}
