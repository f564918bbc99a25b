using BenchmarkDotNet.Attributes;
using Descent.Kernels;
using Descent.Tensors;

namespace Descent.Benchmarks.Kernels;

/// <summary>One float32 GEMM shape: C[m×n] = A[m×k]·op(B); <see cref="TransB"/> is Linear's forward, x·Wᵀ.</summary>
public sealed record GemmShape(int M, int N, int K, bool TransB)
{
    /// <summary>Multiply-adds count twice: divide by the mean time for FLOP/s.</summary>
    public long Flops => 2L * M * N * K;

    // BenchmarkDotNet prints parameters with ToString.
    public override string ToString() => $"{M}x{N}x{K}{(TransB ? " ABt" : "")}";
}

/// <summary>
/// <see cref="Gemm.Run{T}"/> on square matrices and on the shapes the example MLPs multiply, against the public
/// <see cref="Tensor.Matmul"/> path (which adds a result tensor and operand checks). Single-threaded, so figures
/// are comparable on a busy machine; GFLOP/s = <see cref="GemmShape.Flops"/> / mean time in ns.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    public static IEnumerable<GemmShape> Shapes =>
    [
        new(64, 64, 64, false),
        new(256, 256, 256, false),
        new(512, 512, 512, false),
        new(128, 256, 784, true), // Fashion-MNIST's first layer, batch 128
        new(32, 20, 1, true),     // the tutorial's hidden layer, batch 32
        new(32, 1, 20, true),     // the tutorial's output layer
    ];

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = Shapes.First();

    private float[] a = [], b = [], c = [];
    private Tensor ta = null!, tb = null!;
    private int previousThreads;

    [GlobalSetup]
    public void Setup()
    {
        previousThreads = Torch.GetNumThreads();
        Torch.SetNumThreads(1);
        var random = new Random(42);
        a = new float[Shape.M * Shape.K];
        b = new float[Shape.K * Shape.N];
        c = new float[Shape.M * Shape.N];
        for (int i = 0; i < a.Length; i++) a[i] = random.NextSingle() - 0.5f;
        for (int i = 0; i < b.Length; i++) b[i] = random.NextSingle() - 0.5f;
        ta = Tensor.FromArray(a, Shape.M, Shape.K);
        // With TransB, b holds W as [n, k] and the product uses its transposed view, as Linear does.
        tb = Shape.TransB ? Tensor.FromArray(b, Shape.N, Shape.K).T() : Tensor.FromArray(b, Shape.K, Shape.N);
    }

    [GlobalCleanup]
    public void Cleanup() => Torch.SetNumThreads(previousThreads);

    [Benchmark(Baseline = true)]
    public void Kernel() =>
        Gemm.Run(false, Shape.TransB, Shape.M, Shape.N, Shape.K, 1f, a, Shape.K, b, Shape.TransB ? Shape.K : Shape.N, 0f, c, Shape.N);

    [Benchmark]
    public Tensor Matmul() => ta.Matmul(tb);
}
