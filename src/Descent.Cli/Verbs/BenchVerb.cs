using System.Globalization;
using System.Text.Json;
using Descent.Cli.Bench;
using Spectre.Console;

namespace Descent.Cli.Verbs;

/// <summary><c>descent bench &lt;what&gt;</c>: benchmarks that print a table and, with --json, one JSON line.</summary>
internal static class BenchVerb
{
    public static int Run(string[] args)
    {
        if (args.Length == 0) throw new CliException("usage: descent bench gemm [--threads N] [--json]");
        var rest = new CliArgs(args.Skip(1));
        return args[0] switch
        {
            "gemm" => Gemm(rest),
            _ => throw new CliException($"unknown benchmark '{args[0]}'; try: gemm"),
        };
    }

    private static int Gemm(CliArgs args)
    {
        bool json = args.Flag("json");
        int threads = args.Int("threads", Environment.ProcessorCount, min: 1);
        double seconds = args.Double("seconds", 0.25);
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
}
