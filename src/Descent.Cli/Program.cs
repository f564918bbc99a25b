using Descent.Cli.Verbs;

namespace Descent.Cli
{
    /// <summary>The <c>descent</c> command line: one verb per experiment or tool.</summary>
    public static class Cli
    {
        private const string Usage = "usage: descent <verb> [options]; verbs: compare, replay, bench";

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
                    "replay" => ReplayVerb.Run(new CliArgs(args.Skip(1))),
                    "bench" => BenchVerb.Run(args[1..]),
                    "checkpoint-train" => CheckpointTrainVerb.Run(new CliArgs(args.Skip(1))), // hidden: drives the kill-and-resume test
                    _ => throw new CliException($"unknown verb '{args[0]}'. {Usage}"),
                };
            }
            catch (CliException e)
            {
                Console.Error.WriteLine($"descent: {e.Message}");
                return 2;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or IOException or InvalidDataException or FormatException or InvalidCastException)
            {
                Console.Error.WriteLine($"descent: {e.Message.Split('\n')[0]}");
                return 1;
            }
        }
    }
}
