using System.Globalization;
using System.Text.Json;
using Descent.Cli.Experiments;
using Spectre.Console;

namespace Descent.Cli.Verbs;

/// <summary><c>descent compare</c>: the classic optimizer comparison, with a table and optional JSON.</summary>
internal static class CompareVerb
{
    public static int Run(CliArgs args)
    {
        bool json = args.Flag("json");
        int epochs = args.Int("epochs", 12, min: 1);
        int batch = args.Int("batch-size", 32, min: 1);
        long seed = args.Long("seed", 1);
        args.EnsureAllUsed();

        var result = Comparison.Run(Comparison.TutorialOptimizers(), epochs, batch, seed);

        var table = new Table().Title($"Optimizer comparison: y = x² + noise, {epochs} epochs, batch {batch}, seed {seed}");
        table.AddColumn("Optimizer");
        table.AddColumn(new TableColumn("Last-epoch mean loss").RightAligned());
        table.AddColumn(new TableColumn("Final loss").RightAligned());
        foreach (var (name, losses) in result.Optimizers)
        {
            int n = Math.Min(result.StepsPerEpoch, losses.Length);
            double mean = 0;
            for (int i = losses.Length - n; i < losses.Length; i++) mean += losses[i];
            mean /= n;
            table.AddRow(name, mean.ToString("F5", CultureInfo.InvariantCulture), losses[^1].ToString("F5", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]training loop: {result.TrainMs.ToString("F1", CultureInfo.InvariantCulture)} ms[/]");

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
}
