using Descent.Cli.Experiments;

namespace Descent.Cli.Bench;

/// <summary>
/// The classic tutorial's training loop (four 1-20-1 nets, 12 epochs of 32-point batches: 1,536 steps) timed as
/// <c>descent compare</c> times it, several times in one process: the first run includes compiling the code it
/// calls, the later ones are the loop alone.
/// </summary>
public static class TutorialBench
{
    /// <summary>Steps in one run: 4 optimizers × 12 epochs × 32 batches.</summary>
    public const int Steps = 4 * 12 * 32;

    /// <summary>train_ms of each of <paramref name="repeat"/> runs, in order.</summary>
    public static double[] Measure(int repeat)
    {
        var runs = new double[repeat];
        for (int r = 0; r < repeat; r++) runs[r] = Comparison.Run(Comparison.TutorialOptimizers(), epochs: 12, batchSize: 32, seed: 1).TrainMs;
        return runs;
    }
}
