using Descent.Cli.Experiments;
using Descent.IO;
using Descent.Optim;
using Descent.Serialization;

namespace Descent.Cli.Verbs;

/// <summary>
/// <c>descent replay --spec SPEC.json --out OUT.json [--load-state FILE] [--save-state FILE]</c>: runs a conformance
/// spec (docs/conformance.md) and writes the trajectory. <c>--load-state</c> loads an optimizer state_dict in
/// PyTorch's <c>torch.save</c> format (e.g. one PyTorch saved) before the first step; <c>--save-state</c> writes the
/// optimizer's state_dict after the last step in that format. A bad spec or state file is reported in one line
/// and nothing is written.
/// </summary>
internal static class ReplayVerb
{
    public static int Run(CliArgs args)
    {
        var specPath = args.String("spec") ?? throw new CliException("replay needs --spec SPEC.json");
        var outPath = args.String("out") ?? throw new CliException("replay needs --out OUT.json");
        var loadPath = args.String("load-state");
        var savePath = args.String("save-state");
        args.EnsureAllUsed();
        if (!File.Exists(specPath)) throw new CliException($"spec file '{specPath}' does not exist");
        if (loadPath is not null && !File.Exists(loadPath)) throw new CliException($"state file '{loadPath}' does not exist");
        var spec = ReplaySpec.Parse(File.ReadAllText(specPath));
        // The state file is read and converted completely before anything runs.
        OptimizerStateDict? state = loadPath is null ? null : OptimizerCheckpoint.Read(loadPath);
        Optimizer? finalOptimizer = null;
        var result = Replay.Run(spec, state, o => finalOptimizer = o);
        // Written only after the whole replay succeeded, so a failed run leaves no partial output.
        AtomicFile.Write(outPath, result.WriteJson);
        if (savePath is not null) OptimizerCheckpoint.Save(savePath, finalOptimizer!);
        return 0;
    }
}
