using Descent.Cli.Experiments;

namespace Descent.Cli.Verbs;

/// <summary>
/// <c>descent replay --spec SPEC.json --out OUT.json</c>: runs a conformance spec (docs/conformance.md) and writes
/// the trajectory. A bad spec is reported in one line and no OUT is written.
/// </summary>
internal static class ReplayVerb
{
    public static int Run(CliArgs args)
    {
        var specPath = args.String("spec") ?? throw new CliException("replay needs --spec SPEC.json");
        var outPath = args.String("out") ?? throw new CliException("replay needs --out OUT.json");
        args.EnsureAllUsed();
        if (!File.Exists(specPath)) throw new CliException($"spec file '{specPath}' does not exist");
        var result = Replay.Run(File.ReadAllText(specPath));
        // Written only after the whole replay succeeded, so a failed run leaves no partial OUT.
        File.WriteAllText(outPath, result.ToJson());
        return 0;
    }
}
