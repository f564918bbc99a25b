using System.Globalization;
using System.Text.Json;
using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Cli.Reports;
using Spectre.Console;

namespace Descent.Cli.Verbs;

/// <summary>
/// <c>descent compare</c>: several optimizers train the same network on the same batches; loss curves, a CSV of
/// every step, an HTML report and a table. Without options it is the classic tutorial run, step for step PyTorch's.
/// </summary>
internal static class CompareVerb
{
    public static int Run(CliArgs args)
    {
        bool json = args.Flag("json");
        bool log = args.Flag("log");
        string datasetName = args.String("dataset") ?? "quadratic";
        string dataDir = args.String("data") ?? ComparisonTasks.DefaultFashionMnistDir;
        int? limit = args.String("limit") is null ? null : args.Int("limit", 0, min: 1);
        var optTexts = args.All("opt");
        var specs = optTexts.Count == 0 ? Comparison.TutorialOptimizers() : LabOptimizers.ParseAll(optTexts);
        string? model = args.String("model");
        var task = ComparisonTasks.ByName(datasetName, dataDir, limit, model);
        if (limit is not null && task.MakeTestData is null) throw new CliException("--limit applies to --dataset fashion-mnist only");
        int epochs = args.Int("epochs", task.DefaultEpochs, min: 1, max: CliArgs.MaxEpochs);
        int batch = args.Int("batch-size", task.DefaultBatchSize, min: 1, max: CliArgs.MaxBatch);
        long seed = args.Long("seed", 1);
        var output = LabOutput.FromArgs(args, "compare");
        args.EnsureAllUsed();

        var console = LabConsole.Create();
        ComparisonResult result = null!;
        console.WithProgress($"training {specs.Count} networks on {task.Name}", 1, report =>
            result = Comparison.Run(task, specs, epochs, batch, seed, onStep: (done, total) => report((double)done / total)));

        var summary = CompareSummary.From(result, specs);
        PrintTable(console, task, summary, epochs, batch, seed, result);
        CompareReport.Write(output, task, specs, result, summary, new CompareReport.Settings(epochs, batch, seed, log, args.CommandLine("compare")));
        output.PrintSummary(console);

        if (json)
        {
            var payload = new
            {
                optimizers = result.Optimizers.Select(o => new { name = o.Name, losses = o.Losses }).ToArray(),
                train_ms = result.TrainMs,
            };
            Console.WriteLine(JsonSerializer.Serialize(payload));
        }
        return 0;
    }

    private static void PrintTable(LabConsole console, ComparisonTask task, IReadOnlyList<CompareSummary> rows, int epochs, int batch, long seed, ComparisonResult result)
    {
        var table = new Table().Title(Markup.Escape($"Optimizer comparison: {task.Name}, {epochs} epoch{(epochs == 1 ? "" : "s")}, batch {batch}, seed {seed}"));
        table.AddColumn("Optimizer");
        table.AddColumn("Settings");
        table.AddColumn(new TableColumn("Last-epoch mean loss").RightAligned());
        table.AddColumn(new TableColumn("Final loss").RightAligned());
        if (task.Classification) table.AddColumn(new TableColumn(task.MakeTestData is null ? "Accuracy" : "Test accuracy").RightAligned());
        foreach (var r in rows)
        {
            var cells = new List<string> { Markup.Escape(r.Name), Markup.Escape(r.Settings), F(r.LastEpochMean, "F5"), F(r.FinalLoss, "F5") };
            if (r.Accuracy is double a) cells.Add(F(a * 100, "F1") + "%");
            table.AddRow(cells.ToArray());
        }
        console.Out.Write(table);
        // Fashion-MNIST trains on a subset by default: say which, and on what network.
        if (task.MakeTestData is not null) console.Note(task.Description);
        console.Note($"training loop: {F(result.TrainMs, "F1")} ms");
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
