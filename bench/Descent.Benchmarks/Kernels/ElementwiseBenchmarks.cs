using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Descent.Kernels;

namespace Descent.Benchmarks.Kernels;

/// <summary>
/// The span kernels behind elementwise tensor ops (<see cref="UnaryOps"/>, <see cref="BinaryOps"/>) on 1M floats,
/// each against a plain scalar loop (the baseline of its category). A unary op moves 8 bytes an element, a binary
/// one 12; at 1M elements (4 MB a buffer) the cheap ones are memory-bound, exp is not.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ElementwiseBenchmarks
{
    private const int N = 1_000_000;
    private float[] x = [], y = [], d = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        x = new float[N];
        y = new float[N];
        d = new float[N];
        // Values in [-2, 2): half negative for ReLU, and exp stays in range.
        for (int i = 0; i < N; i++)
        {
            x[i] = 4 * random.NextSingle() - 2;
            y[i] = 4 * random.NextSingle() - 2;
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Relu")]
    public void ReluScalar()
    {
        float[] src = x, dst = d;
        for (int i = 0; i < src.Length; i++) dst[i] = src[i] > 0 ? src[i] : 0;
    }

    [Benchmark, BenchmarkCategory("Relu")]
    public void Relu() => new UnaryOps.Relu().Invoke<float>(x, d);

    [Benchmark(Baseline = true), BenchmarkCategory("Exp")]
    public void ExpScalar()
    {
        float[] src = x, dst = d;
        for (int i = 0; i < src.Length; i++) dst[i] = MathF.Exp(src[i]);
    }

    [Benchmark, BenchmarkCategory("Exp")]
    public void Exp() => new UnaryOps.Exp().Invoke<float>(x, d);

    [Benchmark(Baseline = true), BenchmarkCategory("Add")]
    public void AddScalar()
    {
        float[] a = x, b = y, dst = d;
        for (int i = 0; i < a.Length; i++) dst[i] = a[i] + b[i];
    }

    [Benchmark, BenchmarkCategory("Add")]
    public void Add() => new BinaryOps.Add().Invoke<float>(x, y, d);

    [Benchmark(Baseline = true), BenchmarkCategory("Mul")]
    public void MulScalar()
    {
        float[] a = x, b = y, dst = d;
        for (int i = 0; i < a.Length; i++) dst[i] = a[i] * b[i];
    }

    [Benchmark, BenchmarkCategory("Mul")]
    public void Mul() => new BinaryOps.Mul().Invoke<float>(x, y, d);
}
