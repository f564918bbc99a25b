using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Spectre.Console;

namespace Descent.Cli.Verbs;

/// <summary>
/// <c>descent train fashion-mnist [--model mlp|cnn|lstm] [--epochs N] [--data DIR] [--threads N] [--seed N] [--json]</c>: the
/// Fashion-MNIST benchmark run (see <see cref="FashionMnistTraining"/>), a progress bar per epoch, a table, and with --json
/// one line <c>{"model", "epochs": [{"seconds", "test_accuracy", "mean_loss"}...], "threads", "seed", "peak_memory_mb"}</c>.
/// </summary>
internal static class TrainVerb
{
    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] != "fashion-mnist")
            throw new CliException("usage: descent train fashion-mnist [--model mlp|cnn|lstm] [--epochs N] [--data DIR] [--threads N] [--seed N] [--json]");
        var rest = new CliArgs(args.Skip(1));
        string model = FashionMnistModels.Check(rest.String("model") ?? "mlp"); // before any data is read
        int epochs = rest.Int("epochs", 1, min: 1, max: CliArgs.MaxEpochs);
        string data = rest.String("data") ?? FashionMnistTraining.DefaultDataDir;
        int threads = rest.Int("threads", Environment.ProcessorCount, min: 1, max: CliArgs.MaxThreads);
        int? limit = rest.String("limit") is null ? null : rest.Int("limit", 0, min: 1);
        int seed = rest.Int("seed", 0, min: 0);
        bool json = rest.Flag("json");
        rest.EnsureAllUsed();
        FashionMnistTraining.Locate(data);
        Torch.SetNumThreads(threads); // the GEMM's and the optimizer's threads alike

        var console = LabConsole.Create();
        List<EpochResult> results = [];
        console.WithProgress($"Fashion-MNIST, {epochs} epoch(s)", epochs, report =>
            results = FashionMnistTraining.Run(data, epochs, (epoch, fraction) => report(epoch + fraction), limit, seed, model));
        double peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);

        var table = new Table().Title($"Fashion-MNIST {FashionMnistModels.Describe(model)}, Adam 1e-3, batch 128, seed {seed}, {threads} thread(s)");
        foreach (var h in new[] { "epoch", "seconds", "mean loss", "test accuracy" }) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var r in results)
            table.AddRow($"{r.Epoch + 1}", r.Seconds.ToString("F2", CultureInfo.InvariantCulture),
                r.MeanLoss.ToString("F4", CultureInfo.InvariantCulture), r.TestAccuracy.ToString("F4", CultureInfo.InvariantCulture));
        console.Out.Write(table);
        console.Note($"peak working set: {peakMb:F0} MB");
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                model,
                epochs = results.Select(r => new { seconds = r.Seconds, test_accuracy = r.TestAccuracy, mean_loss = r.MeanLoss }),
                threads,
                seed,
                peak_memory_mb = peakMb,
            }));
        return 0;
    }
}
