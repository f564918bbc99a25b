using Descent.Cli.Verbs;

namespace Descent.Cli
{
    /// <summary>The <c>descent</c> command line: one verb per experiment or tool.</summary>
    public static class Cli
    {
        private const string Usage = "usage: descent <verb> [options]; verbs: compare, lr-sweep, momentum, ewa, trajectories, fit, lr-find, bench";

        /// <summary>Runs a verb; user errors print one line to stderr and return non-zero, never a stack trace.</summary>
        public static int Main(string[] args)
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                Console.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }
            try
            {
                return args[0] switch
                {
                    "compare" => CompareVerb.Run(new CliArgs(args.Skip(1))),
                    "lr-sweep" => LrSweepVerb.Run(new CliArgs(args.Skip(1))),
                    "momentum" => MomentumVerb.Run(new CliArgs(args.Skip(1))),
                    "ewa" => EwaVerb.Run(new CliArgs(args.Skip(1))),
                    "trajectories" => TrajectoriesVerb.Run(new CliArgs(args.Skip(1))),
                    "fit" => FitVerb.Run(new CliArgs(args.Skip(1))),
                    "lr-find" => LrFindVerb.Run(new CliArgs(args.Skip(1))),
                    "bench" => BenchVerb.Run(args[1..]),
                    _ => throw new CliException($"unknown verb '{args[0]}'. {Usage}"),
                };
            }
            catch (CliException e)
            {
                Console.Error.WriteLine($"descent: {e.Message}");
                return 2;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or IOException
                or InvalidDataException or FormatException or UnauthorizedAccessException or ArithmeticException)
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
}
