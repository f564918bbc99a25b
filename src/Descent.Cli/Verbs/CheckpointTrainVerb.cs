using System.Globalization;
using Descent.Cli.Experiments;
using Descent.NN;
using Descent.Optim;
using Descent.Serialization;
using Descent.Tensors;

namespace Descent.Cli.Verbs;

/// <summary>
/// <c>descent checkpoint-train --dir D [--steps N] [--every K]</c> (hidden; used by the kill-and-resume test):
/// trains the tutorial net with Adam on random mini-batches, saving a <see cref="Checkpoint"/> to D/ckpt.pt every
/// K steps and resuming from it when present. Batches are drawn from the default generator, whose state the
/// checkpoint carries, so a resumed run continues bit for bit; the final weights go to D/final.pt.
/// </summary>
internal static class CheckpointTrainVerb
{
    public static int Run(CliArgs args)
    {
        string dir = args.String("dir") ?? throw new CliException("checkpoint-train needs --dir");
        int steps = args.Int("steps", 2000, min: 1, max: CliArgs.MaxSteps);
        int every = args.Int("every", 25, min: 1);
        args.EnsureAllUsed();
        Directory.CreateDirectory(dir);
        string ckpt = Path.Combine(dir, "ckpt.pt");

        Torch.ManualSeed(1);
        var (x, y) = Comparison.QuadraticData();
        var net = new TutorialNet();
        var opt = new Adam(net.Parameters(), lr: 0.01);
        var lossFn = new MSELoss();
        long step = 0;
        if (File.Exists(ckpt))
        {
            step = Checkpoint.Load(ckpt, net, opt).Epoch ?? 0;
            Console.WriteLine($"resumed at step {step}");
        }
        while (step < steps)
        {
            var idx = Tensor.Randint(0, x.Size(0), [32]);
            var loss = lossFn.Forward(net.Forward(x.IndexSelect(0, idx)), y.IndexSelect(0, idx));
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
            step++;
            if (step % every == 0)
            {
                Checkpoint.Save(ckpt, net, opt, epoch: step);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {step} loss {loss.Item():F6}"));
            }
        }
        net.Save(Path.Combine(dir, "final.pt"));
        Console.WriteLine("done");
        return 0;
    }
}
