using Descent.Optim;
using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>How a run on the quadratic ended.</summary>
public enum DescentOutcome
{
    /// <summary>The loss fell below the tolerance.</summary>
    Converged,

    /// <summary>The loss ended above where it started, or overflowed.</summary>
    Diverged,

    /// <summary>Neither within the steps given (slow, or bouncing between ±x forever).</summary>
    NotConverged,
}

/// <summary>
/// One run of gradient descent on f(x) = (2x)² from x₀ = 2: the loss and x before each update.
/// </summary>
/// <param name="Lr">Learning rate.</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="Loss">f(x) at iterations 0, 1, …; stops early once it overflows.</param>
/// <param name="X">x at the same iterations.</param>
public sealed record DescentRun(double Lr, double Momentum, double[] Loss, double[] X)
{
    /// <summary>
    /// The iteration from which the loss stays at or below <see cref="QuadraticDescent.Tolerance"/> to the end, or
    /// null. A run that oscillates through the minimum dips below the tolerance at every crossing; that is not
    /// convergence.
    /// </summary>
    public int? ConvergedAt
    {
        get
        {
            int t = Loss.Length;
            while (t > 0 && Loss[t - 1] <= QuadraticDescent.Tolerance) t--;
            return t < Loss.Length ? t : null;
        }
    }

    /// <summary>Converged, diverged, or neither.</summary>
    public DescentOutcome Outcome =>
        ConvergedAt is not null ? DescentOutcome.Converged
        : !double.IsFinite(Loss[^1]) || Loss[^1] > Loss[0] || Stopped ? DescentOutcome.Diverged
        : DescentOutcome.NotConverged;

    /// <summary>True when the run was cut short because the loss overflowed.</summary>
    public bool Stopped { get; init; }

    /// <summary>How many times x changed sign: each one is an overshoot past the minimum.</summary>
    public int SignChanges
    {
        get
        {
            int n = 0;
            for (int i = 1; i < X.Length; i++)
                if (Math.Sign(X[i]) != Math.Sign(X[i - 1]) && X[i] != 0 && X[i - 1] != 0) n++;
            return n;
        }
    }
}

/// <summary>
/// The learning-rate and momentum experiments' function, f(x) = (2x)² = 4x² with f′(x) = 8x, minimised from
/// x₀ = 2 by Descent's SGD on a one-element parameter, with the gradient from autograd. Plain descent maps
/// x to (1 − 8·lr)·x, so lr = 0.125 lands on the minimum in one step and lr &gt; 0.25 diverges.
/// </summary>
public static class QuadraticDescent
{
    /// <summary>Where every run starts.</summary>
    public const double Start = 2;

    /// <summary>A loss at or below this counts as converged.</summary>
    public const double Tolerance = 1e-6;

    /// <summary>f(x) = (2x)² in double precision, for drawing the curve.</summary>
    public static double F(double x) => 4 * x * x;

    /// <summary>Runs <paramref name="steps"/> iterations of SGD(lr, momentum), recording f and x before each update.</summary>
    public static DescentRun Run(double lr, double momentum, int steps)
    {
        var x = Tensor.FromArray([(float)Start], 1).RequiresGrad_();
        var optimizer = new SGD([x], lr: lr, momentum: momentum);
        var loss = new List<double>(steps);
        var xs = new List<double>(steps);
        bool stopped = false;
        for (int i = 0; i < steps; i++)
        {
            var y = (2 * x).Pow(2).Sum();
            double value = y.Item();
            loss.Add(value);
            xs.Add(x.Item());
            if (!double.IsFinite(value))
            {
                // float32 overflowed: every later iterate is inf or NaN and says nothing more.
                stopped = true;
                break;
            }
            y.Backward();
            optimizer.Step();
            optimizer.ZeroGrad();
        }
        return new DescentRun(lr, momentum, loss.ToArray(), xs.ToArray()) { Stopped = stopped };
    }
}
