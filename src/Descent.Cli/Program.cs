using Descent.Cli.Verbs;

namespace Descent.Cli;

/// <summary>The <c>descent</c> command line: one verb per experiment or tool.</summary>
public static class Cli
{
    private const string Usage = "usage: descent <verb> [options]; verbs: compare, replay, lr-sweep, momentum, ewa, trajectories, fit, lr-find, train, bench";

    private static readonly Dictionary<string, string> VerbUsage = new()
    {
        ["compare"] = "descent compare [--opt NAME:k=v,k=v ...] [--dataset quadratic|clusters|fashion-mnist] [--model mlp|cnn|lstm] [--data DIR] [--limit N] "
            + "[--epochs N] [--batch-size N] [--seed N] [--log] [--json] [--out DIR]\n"
            + "  optimizers race on the same batches; NAME is sgd, momentum, nesterov or any Descent.Optim class (case-insensitive); "
            + "options as in PyTorch (lr=0.01, weight_decay=1e-4 or weightDecay=1e-4, betas=0.9/0.99)",
        ["lr-sweep"] = "descent lr-sweep [--lrs a,b,c] [--steps N] [--out DIR]\n  gradient descent on (2x)² from x = 2 for many learning rates",
        ["momentum"] = "descent momentum [--lrs a,b,c] [--momenta a,b,c] [--steps N] [--out DIR]\n  SGD with momentum on (2x)²",
        ["ewa"] = "descent ewa [--betas a,b,c] [--steps N] [--points N] [--seed N] [--out DIR]\n  exponentially weighted averages: weights, smoothing, bias correction",
        ["trajectories"] = "descent trajectories [--functions rosenbrock,beale,himmelblau,saddle] [--steps N] [--opt NAME:k=v ...] [--out DIR]\n"
            + "  optimizer paths over contour lines, animated in the report",
        ["fit"] = "descent fit [--every N] [--regression-steps N] [--classification-steps N] [--seed N] [--out DIR]\n"
            + "  the tutorial's regression and classification networks learning, frame by frame",
        ["lr-find"] = "descent lr-find [--opt NAME:k=v] [--start-lr X] [--end-lr X] [--steps N] [--batch-size N] [--seed N] [--out DIR]\n"
            + "  learning-rate range test with a suggested rate",
        ["replay"] = "descent replay --spec SPEC.json --out OUT.json\n"
            + "  runs an optimizer (and scheduler) trajectory given in the conformance format (docs/conformance.md) and writes the result",
        ["train"] = "descent train fashion-mnist [--model mlp|cnn|lstm] [--epochs N] [--data DIR] [--limit N] [--threads N] [--seed N] [--json]\n"
            + "  the Fashion-MNIST benchmark run: epoch time, test accuracy, peak memory (bench/torch_fashion_mnist.py is its PyTorch twin)",
        ["bench"] = "descent bench gemm|optim|tutorial [options] [--json]\n"
            + "  kernel and loop benchmarks; bench/side_by_side.py runs each against PyTorch",
    };

    /// <summary>The version the tool was built as (the packages' version).</summary>
    private static string Version =>
        typeof(Cli).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false) is [System.Reflection.AssemblyInformationalVersionAttribute v, ..]
            ? v.InformationalVersion.Split('+')[0]
            : typeof(Cli).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Runs a verb; user errors print one line to stderr and return non-zero, never a stack trace.</summary>
    public static int Main(string[] args)
    {
        if (args is ["--version"])
        {
            Console.WriteLine($"descent {Version}");
            return 0;
        }
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            foreach (var usage in VerbUsage.Values) Console.WriteLine("  " + usage.Split('\n')[0]);
            Console.WriteLine("Each lab verb writes SVG charts, CSV data and report.html to --out (default ./descent-out/<verb>).");
            return args.Length == 0 ? 2 : 0;
        }
        if (VerbUsage.TryGetValue(args[0], out var verbUsage) && args.Skip(1).Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine(verbUsage);
            return 0;
        }
        try
        {
            return args[0] switch
            {
                "compare" => CompareVerb.Run(new CliArgs(args.Skip(1))),
                "replay" => ReplayVerb.Run(new CliArgs(args.Skip(1))),
                "lr-sweep" => LrSweepVerb.Run(new CliArgs(args.Skip(1))),
                "momentum" => MomentumVerb.Run(new CliArgs(args.Skip(1))),
                "ewa" => EwaVerb.Run(new CliArgs(args.Skip(1))),
                "trajectories" => TrajectoriesVerb.Run(new CliArgs(args.Skip(1))),
                "fit" => FitVerb.Run(new CliArgs(args.Skip(1))),
                "lr-find" => LrFindVerb.Run(new CliArgs(args.Skip(1))),
                "bench" => BenchVerb.Run(args[1..]),
                "train" => TrainVerb.Run(args[1..]),
                "checkpoint-train" => CheckpointTrainVerb.Run(new CliArgs(args.Skip(1))), // hidden: drives the kill-and-resume test
                _ => throw new CliException($"unknown verb '{args[0]}'. {Usage}"),
            };
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"descent: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or IOException
            or InvalidDataException or FormatException or UnauthorizedAccessException or ArithmeticException or InvalidCastException)
        {
            Console.Error.WriteLine($"descent: {e.Message.Split('\n')[0]}");
            return 1;
        }
        catch (Exception e) when (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DESCENT_DEBUG")))
        {
            // A bug, not a user error; still one line. DESCENT_DEBUG=1 lets it through with its stack trace.
            Console.Error.WriteLine($"descent: unexpected {e.GetType().Name}: {e.Message.Split('\n')[0]} (set DESCENT_DEBUG=1 for details)");
            return 70;
        }
    }
}
