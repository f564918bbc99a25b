using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Descent.Optim;
using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Cli.Bench;

/// <summary>
/// One optimizer configuration to time: its label (unique, shared with bench/torch_optim.py), the PyTorch class and
/// keyword arguments, and the bytes one step must move per parameter at least — every tensor the update reads once
/// and every one it writes once, 4 bytes each (Adam: reads p, g, m, v and writes p, m, v: 28).
/// </summary>
public sealed record OptimWorkload(string Label, string Optimizer, IReadOnlyDictionary<string, object?> Kwargs, int BytesPerParam, bool RowSparse = false);

/// <summary>One optimizer's timing: best and median milliseconds per step, and the bandwidth the best implies.</summary>
public sealed record OptimResult(OptimWorkload Workload, long Params, int Tensors, int Threads, double BestMs, double MedianMs, int Steps, bool Arena = false)
{
    /// <summary>Bytes moved per step (BytesPerParam × parameters) over the best time, in GB/s (10⁹ bytes).</summary>
    public double GbPerS => Workload.BytesPerParam * (double)Params / (BestMs * 1e-3) / 1e9;
}

/// <summary>
/// Times one optimizer step over <c>n</c> float32 parameters split into <c>K</c> tensors, for every optimizer that is
/// an elementwise (bandwidth-bound) update, and the machine's in-place memory bandwidth to compare with. LBFGS (driven
/// by a closure and a line search) and Muon (Newton–Schulz matrix products, compute-bound) are not measured here.
/// </summary>
public static class OptimBench
{
    /// <summary>The configurations measured, in table order.</summary>
    public static readonly OptimWorkload[] Workloads =
    [
        new("SGD", "SGD", new Dictionary<string, object?> { ["lr"] = 0.01 }, 12),
        new("SGD momentum", "SGD", new Dictionary<string, object?> { ["lr"] = 0.01, ["momentum"] = 0.9 }, 20),
        new("SGD nesterov wd", "SGD", new Dictionary<string, object?> { ["lr"] = 0.01, ["momentum"] = 0.9, ["nesterov"] = true, ["weight_decay"] = 1e-4 }, 20),
        new("Adam", "Adam", new Dictionary<string, object?>(), 28),
        new("Adam amsgrad", "Adam", new Dictionary<string, object?> { ["amsgrad"] = true }, 36),
        new("AdamW", "AdamW", new Dictionary<string, object?>(), 28),
        new("Adadelta", "Adadelta", new Dictionary<string, object?>(), 28),
        new("Adagrad", "Adagrad", new Dictionary<string, object?>(), 20),
        new("Adamax", "Adamax", new Dictionary<string, object?>(), 28),
        new("ASGD", "ASGD", new Dictionary<string, object?>(), 16), // μ = 1 until t₀ = 10⁶: ā ← p is written, not read
        new("NAdam", "NAdam", new Dictionary<string, object?>(), 28),
        new("RAdam", "RAdam", new Dictionary<string, object?>(), 28),
        new("RMSprop", "RMSprop", new Dictionary<string, object?>(), 20),
        new("RMSprop centered momentum", "RMSprop", new Dictionary<string, object?> { ["centered"] = true, ["momentum"] = 0.9 }, 36),
        new("Rprop", "Rprop", new Dictionary<string, object?>(), 28),
        new("SparseAdam", "SparseAdam", new Dictionary<string, object?>(), 28, RowSparse: true),
        new("Adafactor", "Adafactor", new Dictionary<string, object?>(), 20), // vectors: p, g, v read; p, v written (in three passes)
    ];

    /// <summary>
    /// Best-of-several time of one <paramref name="w"/> step over <paramref name="n"/> parameters in
    /// <paramref name="tensors"/> tensors on <paramref name="threads"/> threads; at least <paramref name="minSteps"/>
    /// timed steps and <paramref name="seconds"/> of them. SparseAdam's tensors are 2-D (rows of up to 1024), with every
    /// row present; the others are 1-D. With <paramref name="useArena"/> the tensors are re-homed into a
    /// <see cref="ParameterArena"/> and the optimizer steps its flat parameter (each timed step gathers the gradients
    /// first); SparseAdam, whose rows a flat vector would lose, then keeps its separate tensors.
    /// </summary>
    public static OptimResult Measure(OptimWorkload w, long n, int tensors, int threads, double seconds = 1.0, int minSteps = 10, bool useArena = false)
    {
        var ps = MakeParams(n, tensors, w.RowSparse);
        var arena = useArena && !w.RowSparse ? new ParameterArena(ps) : null;
        var opt = OptimizerRegistry.Create(w.Optimizer, [new ParamGroup(arena is null ? ps : [arena.Flat])], w.Kwargs);
        int previous = Torch.GetNumThreads();
        Torch.SetNumThreads(threads);
        try
        {
            for (int i = 0; i < 3; i++)
            {
                arena?.GatherGrads();
                opt.Step();
            }
            var times = new List<double>();
            var total = Stopwatch.StartNew();
            while (times.Count < minSteps || total.Elapsed.TotalSeconds < seconds)
            {
                long t0 = Stopwatch.GetTimestamp();
                arena?.GatherGrads();
                opt.Step();
                times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (times.Count >= 10_000) break;
            }
            times.Sort();
            return new OptimResult(w, n, tensors, threads, times[0], times[times.Count / 2], times.Count, arena is not null);
        }
        finally
        {
            Torch.SetNumThreads(previous);
        }
    }

    // n parameters in `tensors` tensors (the last takes the remainder), values and gradients of order one.
    private static List<Tensor> MakeParams(long n, int tensors, bool rowSparse)
    {
        var ps = new List<Tensor>(tensors);
        long left = n;
        for (int k = 0; k < tensors; k++)
        {
            int len = (int)(k == tensors - 1 ? left : n / tensors);
            left -= len;
            int[] shape = rowSparse ? [len / RowLength(len), RowLength(len)] : [len];
            var p = Tensor.Empty(shape);
            var g = Tensor.Empty(shape);
            Fill(p.AsSpan(), 1 + k);
            Fill(g.AsSpan(), 1000 + k);
            ps.Add(p.RequiresGrad_());
            p.Grad = g;
        }
        return ps;
    }

    private static int RowLength(int len)
    {
        foreach (int c in new[] { 1024, 1000, 512, 500, 256, 128, 100, 64, 32, 16, 10, 8, 4, 2 })
            if (len % c == 0) return c;
        return 1;
    }

    // A cheap deterministic fill in (−1, 1) with no zeros (so every SparseAdam row is present).
    private static void Fill(Span<float> x, int seed)
    {
        uint s = (uint)seed * 2654435761u + 1;
        for (int i = 0; i < x.Length; i++)
        {
            s = s * 1664525u + 1013904223u;
            x[i] = ((s >> 8) + 0.5f) / (1 << 24) * 2 - 1;
        }
    }

    /// <summary>
    /// The in-place memory bandwidth in GB/s, over ≥ 256 MB, split evenly over <paramref name="threads"/> threads: the
    /// faster of two streams, each timed as the best pass after at least <paramref name="reps"/> passes and
    /// <paramref name="seconds"/> (on a shared machine the best pass is the one least disturbed by others):
    /// <c>x ← x + s·y</c> over 2 × 128 MB (12 bytes per element), and <c>a ← a + s·g; b ← b + s·g; c ← c + s·g</c> over
    /// 4 × 64 MB (28 bytes: an Adam step's traffic without its arithmetic). A core sustains more bandwidth with more
    /// streams in flight, so the second is usually the higher, and the floor it gives the harder one to reach.
    /// </summary>
    public static (double Best, double TwoStreams, double SevenStreams) InPlaceBandwidth(int threads, int reps = 10, double seconds = 1.5)
    {
        double two = TimeStreams(threads, 2, reps, seconds), seven = TimeStreams(threads, 4, reps, seconds);
        return (Math.Max(two, seven), two, seven);
    }

    // arrays[0] is g (read only) with four arrays, else y; the others are updated in place by s·(g or y).
    private static double TimeStreams(int threads, int arrays, int reps, double seconds)
    {
        int len = 256 / arrays * (1 << 20) / sizeof(float);
        var data = new float[arrays][];
        for (int a = 0; a < arrays; a++)
        {
            data[a] = new float[len];
            data[a].AsSpan().Fill(a == 0 ? 1e-7f : 1f);
        }
        int bytes = arrays == 2 ? 12 : 28;
        // Dedicated threads meeting at a barrier around each pass (Parallel.For may run both halves on the caller when
        // the thread pool is slow to lend a worker, which would understate the bandwidth).
        int passes = 0;
        bool stop = false;
        using var barrier = new Barrier(threads);
        void Part(int part)
        {
            int lo = (int)((long)len * part / threads), hi = (int)((long)len * (part + 1) / threads);
            var g = data[0].AsSpan(lo, hi - lo);
            if (arrays == 2) AddScaled(data[1].AsSpan(lo, hi - lo), g, 0.5f);
            else AddScaled3(data[1].AsSpan(lo, hi - lo), data[2].AsSpan(lo, hi - lo), data[3].AsSpan(lo, hi - lo), g, 0.5f);
        }
        var helpers = new Thread[threads - 1];
        for (int h = 0; h < helpers.Length; h++)
        {
            int part = h + 1;
            helpers[h] = new Thread(() =>
            {
                while (true)
                {
                    barrier.SignalAndWait();
                    if (Volatile.Read(ref stop)) return;
                    Part(part);
                    barrier.SignalAndWait();
                }
            })
            { IsBackground = true };
            helpers[h].Start();
        }
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (; passes <= reps || total.Elapsed.TotalSeconds < seconds; passes++)
        {
            barrier.SignalAndWait();
            long t0 = Stopwatch.GetTimestamp();
            Part(0);
            barrier.SignalAndWait();
            double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (passes > 0) best = Math.Min(best, s); // the first pass pages the arrays in
        }
        Volatile.Write(ref stop, true);
        barrier.SignalAndWait();
        foreach (var t in helpers) t.Join();
        return (double)bytes * len / best / 1e9;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // timed from its first calls: no tier-0 code
    private static void AddScaled3(Span<float> a, Span<float> b, Span<float> c, ReadOnlySpan<float> g, float s)
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float cr = ref MemoryMarshal.GetReference(c);
        ref float gr = ref MemoryMarshal.GetReference(g);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(s);
            for (; i <= a.Length - 16; i += 16)
            {
                var vg = Vector512.LoadUnsafe(ref gr, (nuint)i) * vs;
                (Vector512.LoadUnsafe(ref ar, (nuint)i) + vg).StoreUnsafe(ref ar, (nuint)i);
                (Vector512.LoadUnsafe(ref br, (nuint)i) + vg).StoreUnsafe(ref br, (nuint)i);
                (Vector512.LoadUnsafe(ref cr, (nuint)i) + vg).StoreUnsafe(ref cr, (nuint)i);
            }
        }
        for (; i < a.Length; i++)
        {
            float vg = g[i] * s;
            a[i] += vg;
            b[i] += vg;
            c[i] += vg;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddScaled(Span<float> x, ReadOnlySpan<float> y, float s)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(s);
            for (; i <= x.Length - 16; i += 16)
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref yr, (nuint)i), vs, Vector512.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref xr, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s);
            for (; i <= x.Length - 8; i += 8)
                Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref yr, (nuint)i), vs, Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref xr, (nuint)i);
        }
        for (; i < x.Length; i++) x[i] = MathF.FusedMultiplyAdd(y[i], s, x[i]);
    }
}
