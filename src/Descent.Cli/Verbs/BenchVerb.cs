using System.Globalization;
using System.Text.Json;
using Descent.Cli.Bench;
using Descent.Optim.Kernels;
using Spectre.Console;

namespace Descent.Cli.Verbs;

/// <summary><c>descent bench &lt;what&gt;</c>: benchmarks that print a table and, with --json, one JSON line.</summary>
internal static class BenchVerb
{
    public static int Run(string[] args)
    {
        if (args.Length == 0)
            throw new CliException("usage: descent bench gemm [--threads N] [--json] | descent bench optim [--n N] [--tensors K] [--threads N] "
                + "[--only A,B] [--seconds S] [--chunk N] [--threshold N] [--arena] [--json] | descent bench tutorial [--repeat N] [--json]");
        var rest = new CliArgs(args.Skip(1));
        return args[0] switch
        {
            "gemm" => Gemm(rest),
            "optim" => Optim(rest),
            "tutorial" => Tutorial(rest),
            _ => throw new CliException($"unknown benchmark '{args[0]}'; try: gemm, optim, tutorial"),
        };
    }

    private static int Gemm(CliArgs args)
    {
        bool json = args.Flag("json");
        int threads = args.Int("threads", Environment.ProcessorCount, min: 1, max: CliArgs.MaxThreads);
        double seconds = args.PositiveDouble("seconds", 0.25, max: 3600);
        args.EnsureAllUsed();
        var table = new Table().Title($"float32 GEMM, {threads} thread(s)");
        foreach (var h in new[] { "m", "n", "k", "GFLOP/s" }) table.AddColumn(new TableColumn(h).RightAligned());
        var results = new List<GemmResult>();
        foreach (var (m, n, k) in GemmBench.DefaultShapes)
        {
            var r = GemmBench.Measure(m, n, k, threads, seconds);
            results.Add(r);
            table.AddRow($"{m}", $"{n}", $"{k}", r.Gflops.ToString("F1", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                results = results.Select(r => new { m = r.M, n = r.N, k = r.K, threads = r.Threads, gflops = r.Gflops }),
            }));
        return 0;
    }

    private static int Optim(CliArgs args)
    {
        bool json = args.Flag("json");
        bool arena = args.Flag("arena");
        long n = args.Long("n", 10_000_000);
        int tensors = args.Int("tensors", 1, min: 1, max: 1 << 20);
        int threads = args.Int("threads", Environment.ProcessorCount, min: 1, max: CliArgs.MaxThreads);
        double seconds = args.PositiveDouble("seconds", 1.0, max: 3600);
        var only = args.String("only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Tuning knobs (see StepThreads): elements per chunk, and the fewest elements a step spreads over threads.
        StepThreads.ChunkLength = args.Int("chunk", StepThreads.ChunkLength, min: 64);
        StepThreads.ParallelThreshold = args.Int("threshold", StepThreads.ParallelThreshold, min: 0);
        args.EnsureAllUsed();
        if (n < tensors || n > int.MaxValue * (long)tensors) throw new CliException($"--n must be between --tensors and {int.MaxValue} per tensor");
        var workloads = OptimBench.Workloads.Where(w => only is null || only.Contains(w.Label, StringComparer.OrdinalIgnoreCase)
            || only.Contains(w.Optimizer, StringComparer.OrdinalIgnoreCase)).ToList();
        if (workloads.Count == 0) throw new CliException($"--only matches none of: {string.Join(", ", OptimBench.Workloads.Select(w => w.Label))}");

        var (bandwidth, twoStreams, sevenStreams) = OptimBench.InPlaceBandwidth(threads);
        GC.Collect(); // the bandwidth arrays (512 MB) go before the optimizers allocate theirs
        var results = new List<OptimResult>();
        foreach (var w in workloads)
        {
            results.Add(OptimBench.Measure(w, n, tensors, threads, seconds, useArena: arena));
            GC.Collect(); // free this optimizer's state before the next one allocates its own
        }

        var table = new Table().Title($"Optimizer step, {n:N0} float32 params in {tensors} tensor(s){(arena ? " re-homed in a ParameterArena" : "")}, {threads} thread(s); "
            + $"in-place bandwidth {bandwidth.ToString("F1", CultureInfo.InvariantCulture)} GB/s");
        foreach (var h in new[] { "optimizer", "bytes/param", "ms/step (best)", "median", "GB/s", "floor ms", "best/floor" })
            table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var r in results)
        {
            double floor = Floor(r, bandwidth);
            table.AddRow(r.Workload.Label, $"{r.Workload.BytesPerParam}", F(r.BestMs, "F2"), F(r.MedianMs, "F2"), F(r.GbPerS, "F1"), F(floor, "F2"), F(r.BestMs / floor, "F2"));
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"in-place bandwidth: x <- x + s*y {F(twoStreams, "F1")} GB/s; a,b,c <- a,b,c + s*g {F(sevenStreams, "F1")} GB/s "
            + "(256 MB each, best pass); floor = bytes/param x params / the higher. LBFGS and Muon are not elementwise and are not measured.");
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                n, tensors, threads, arena,
                bandwidth_gb_per_s = bandwidth, bandwidth_2_streams_gb_per_s = twoStreams, bandwidth_7_streams_gb_per_s = sevenStreams,
                results = results.Select(r => new
                {
                    optimizer = r.Workload.Label, @class = r.Workload.Optimizer, kwargs = r.Workload.Kwargs,
                    ms_per_step = r.BestMs, median_ms = r.MedianMs, gb_per_s = r.GbPerS, bytes_per_param = r.Workload.BytesPerParam,
                    floor_ms = Floor(r, bandwidth), steps = r.Steps, arena = r.Arena,
                }),
            }));
        return 0;
    }

    private static int Tutorial(CliArgs args)
    {
        bool json = args.Flag("json");
        int repeat = args.Int("repeat", 10, min: 1, max: 10_000);
        args.EnsureAllUsed();
        var runs = TutorialBench.Measure(repeat);
        double best = runs.Length > 1 ? runs.Skip(1).Min() : runs[0];
        var table = new Table().Title($"The tutorial's training loop ({TutorialBench.Steps} steps), {repeat} run(s) in one process");
        foreach (var h in new[] { "run", "train_ms", "µs/step" }) table.AddColumn(new TableColumn(h).RightAligned());
        for (int i = 0; i < runs.Length; i++)
            table.AddRow(i == 0 ? "1 (compiles the code)" : $"{i + 1}", F(runs[i], "F2"), F(runs[i] * 1e3 / TutorialBench.Steps, "F2"));
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"first run {F(runs[0], "F1")} ms; best later run {F(best, "F2")} ms ({F(best * 1e3 / TutorialBench.Steps, "F2")} µs per step)");
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                steps = TutorialBench.Steps, runs_ms = runs, first_ms = runs[0], best_ms = best,
                best_us_per_step = best * 1e3 / TutorialBench.Steps,
            }));
        return 0;
    }

    private static double Floor(OptimResult r, double bandwidthGbPerS) => r.Workload.BytesPerParam * (double)r.Params / (bandwidthGbPerS * 1e9) * 1e3;

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
