using Descent.Cli.Experiments;

namespace Descent.Cli.Reports;

/// <summary>One β's numbers: its memory, first weight, the weights' sum (and the closed form), and half-life.</summary>
internal sealed record EwaRow(double Beta, double[] Weights, double Memory, double FirstWeight, double Sum, double Expected, double HalfLife)
{
    public static EwaRow For(double beta, int steps)
    {
        var w = Ewa.Weights(beta, steps);
        double sum = 0;
        foreach (var v in w) sum += v;
        double halfLife = beta > 0 ? Math.Log(0.5) / Math.Log(beta) : 0;
        return new EwaRow(beta, w, 1 / (1 - beta), 1 - beta, sum, 1 - Math.Pow(beta, steps), halfLife);
    }
}
