using Descent.Cli.Experiments;
using Descent.Cli.Lab;
using Descent.Cli.Reports;
using Spectre.Console;

namespace Descent.Cli.Verbs;

/// <summary><c>descent fit</c>: the tutorial's regression and classification networks learning, frame by frame.</summary>
internal static class FitVerb
{
    public static int Run(CliArgs args)
    {
        long seed = args.Long("seed", 1);
        int every = args.Int("every", 5, min: 1);
        int regressionSteps = args.Int("regression-steps", 200, min: 1, max: CliArgs.MaxSteps);
        int classificationSteps = args.Int("classification-steps", 100, min: 1, max: CliArgs.MaxSteps);
        var output = LabOutput.FromArgs(args, "fit");
        args.EnsureAllUsed();

        var console = LabConsole.Create();
        RegressionResult regression = null!;
        ClassificationResult classification = null!;
        console.WithProgress("training both networks", regressionSteps + classificationSteps, report =>
        {
            regression = FitDemo.Regression(seed, regressionSteps, every: every, onStep: n => report(n));
            classification = FitDemo.Classification(seed, classificationSteps, every: every, onStep: n => report(regressionSteps + n));
        });

        var table = new Table().Title("Full-batch SGD on the tutorial's two demos");
        foreach (var h in new[] { "demo", "network", "optimizer", "steps", "first loss", "final loss", "final accuracy" })
            table.AddColumn(h is "demo" or "network" or "optimizer" ? new TableColumn(h) : new TableColumn(h).RightAligned());
        table.AddRow("regression: y = x² + noise", "1-10-1", "SGD lr=0.2", $"{regressionSteps}",
            LabFormat.Number(regression.Losses[0]), LabFormat.Number(regression.Losses[^1]), "–");
        table.AddRow("classification: two clusters", "2-10-2", "SGD lr=0.02", $"{classificationSteps}",
            LabFormat.Number(classification.Losses[0]), LabFormat.Number(classification.Losses[^1]),
            LabFormat.Number(classification.Accuracies[^1] * 100, 3) + "%");
        console.Out.Write(table);
        FitReport.Write(output, regression, classification, every, args.CommandLine("fit"));
        output.PrintSummary(console);
        return 0;
    }
}
