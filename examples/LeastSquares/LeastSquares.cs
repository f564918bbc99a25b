using Descent.Optim;
using Descent.Tensors;
using F = Descent.NN.Functional;

namespace Descent.Examples;

/// <summary>
/// A small least-squares fit in float64 with L-BFGS and the strong-Wolfe line search, as a scientific user writes
/// it in PyTorch: the coefficients w of y ≈ A·w, where A's columns are 1, t, t² and sin 3t at 30 points of [−1, 1].
/// </summary>
public static class LeastSquares
{
    /// <summary>The number of sample points.</summary>
    public const int Points = 30;

    /// <summary>The design matrix A (30×4) and targets y (30), float64, from closed formulas.</summary>
    public static (Tensor A, Tensor Y) Problem()
    {
        var a = new double[Points * 4];
        var y = new double[Points];
        for (int i = 0; i < Points; i++)
        {
            double t = -1 + 2.0 * i / (Points - 1);
            a[4 * i] = 1;
            a[4 * i + 1] = t;
            a[4 * i + 2] = t * t;
            a[4 * i + 3] = Math.Sin(3 * t);
            y[i] = 0.5 - 1.2 * t + 0.8 * t * t + 0.3 * Math.Sin(3 * t) + 0.05 * Math.Cos(11 * t);
        }
        return (Tensor.FromArray(a, [Points, 4]), Tensor.FromArray(y, [Points]));
    }

    /// <summary>
    /// Fits w from zero with <c>LBFGS(lr=1, max_iter=4, history_size=10, line_search_fn="strong_wolfe")</c>, one
    /// <c>Step(closure)</c> per outer step; returns the loss each step's closure first gave, and w.
    /// </summary>
    public static (double[] Losses, Tensor W) Fit(int steps)
    {
        var (a, y) = Problem();
        var w = Tensor.Zeros([4], DType.Float64, requiresGrad: true);
        var optimizer = new LBFGS([w], lr: 1, maxIter: 4, historySize: 10, lineSearchFn: "strong_wolfe");

        Tensor Closure()
        {
            optimizer.ZeroGrad();
            var loss = F.MseLoss(a.Matmul(w), y);
            loss.Backward();
            return loss;
        }

        var losses = new double[steps];
        for (int s = 0; s < steps; s++) losses[s] = optimizer.Step(Closure)!.Item();
        return (losses, w.Detach());
    }
}
