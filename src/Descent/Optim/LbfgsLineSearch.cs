using System.Numerics;
using Descent.Optim.Kernels;

namespace Descent.Optim;

/// <summary>
/// The strong-Wolfe line search and cubic interpolation of PyTorch's <c>lbfgs.py</c> (after minFunc), ported
/// statement by statement, in the flat vectors' dtype <c>T</c> (float or double). Values PyTorch holds as tensors of
/// that dtype (directional derivatives, the direction's norm) are <c>T</c> here, and mixed arithmetic rounds the way
/// such a tensor meeting a Python float does (in float64, not at all); losses and step lengths are Python floats
/// (<c>double</c>).
/// </summary>
internal static class LbfgsLineSearch
{
    /// <summary>Evaluates the objective at x + t·d: the loss and the flat gradient there (parameters restored after).</summary>
    public delegate (double Loss, T[] Grad) Objective<T>(double t, T[] d);

    /// <summary>Minimizer of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds.</summary>
    public static double CubicInterpolate<T>(double x1, double f1, T g1, double x2, double f2, T g2, (double Min, double Max)? bounds = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (xmin, xmax) = bounds ?? (x1 <= x2 ? (x1, x2) : (x2, x1));
        T two = T.CreateTruncating(2);
        T d1 = g1 + g2 - Fp.Of<T>(3 * (f1 - f2) / (x1 - x2));
        T d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= T.Zero)
        {
            T d2 = T.Sqrt(d2Square);
            T minPos = x1 <= x2
                ? Fp.Of<T>(x2) - Fp.Of<T>(x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + two * d2))
                : Fp.Of<T>(x1) - Fp.Of<T>(x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + two * d2));
            // Python's min(max(min_pos, lo), hi) on a tensor of the flat dtype and floats.
            double m = Fp.Of<T>(xmin) > minPos ? xmin : double.CreateTruncating(minPos);
            return double.CreateTruncating(Fp.Of<T>(xmax)) < m ? xmax : m;
        }
        return (xmin + xmax) / 2.0;
    }

    /// <summary>PyTorch's <c>_strong_wolfe</c>: returns the accepted loss, gradient, step and the evaluations used.</summary>
    public static (double Loss, T[] Grad, double Step, int Evals) StrongWolfe<T>(Objective<T> obj, double t, T[] d, double f, T[] g, T gtd,
        double c1 = 1e-4, double c2 = 0.9, double toleranceChange = 1e-9, int maxLs = 25) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T dNorm = T.Zero;
        foreach (var v in d) dNorm = T.Max(dNorm, T.Abs(v));
        g = (T[])g.Clone();
        var (fNew, gNew) = obj(t, d);
        int evals = 1;
        T gtdNew = Fp.Dot<T>(gNew, d);
        double tPrev = 0, fPrev = f;
        T[] gPrev = g;
        T gtdPrev = gtd;
        bool done = false;
        int lsIter = 0;
        double[] bracket = [];
        double[] bracketF = [];
        T[][] bracketG = [];
        T[] bracketGtd = [];
        while (lsIter < maxLs)
        {
            if (Armijo(fNew, f, c1, t, gtd) || (lsIter > 1 && fNew >= fPrev))
            {
                bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, (T[])gNew.Clone()]; bracketGtd = [gtdPrev, gtdNew];
                break;
            }
            if (T.Abs(gtdNew) <= Fp.Of<T>(-c2) * gtd)
            {
                bracket = [t]; bracketF = [fNew]; bracketG = [gNew];
                done = true;
                break;
            }
            if (gtdNew >= T.Zero)
            {
                bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, (T[])gNew.Clone()]; bracketGtd = [gtdPrev, gtdNew];
                break;
            }
            double minStep = t + 0.01 * (t - tPrev), maxStep = t * 10;
            double tmp = t;
            t = CubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, (minStep, maxStep));
            tPrev = tmp;
            fPrev = fNew;
            gPrev = (T[])gNew.Clone();
            gtdPrev = gtdNew;
            (fNew, gNew) = obj(t, d);
            evals++;
            gtdNew = Fp.Dot<T>(gNew, d);
            lsIter++;
        }
        if (lsIter == maxLs)
        {
            bracket = [0, t]; bracketF = [f, fNew]; bracketG = [g, gNew];
            bracketGtd = [gtd, gtdNew]; // PyTorch leaves this from an earlier branch; only used if zooming continues
        }

        bool insufProgress = false;
        int lowPos = bracketF[0] <= bracketF[^1] ? 0 : 1, highPos = 1 - lowPos;
        while (!done && lsIter < maxLs)
        {
            if (Fp.Of<T>(Math.Abs(bracket[1] - bracket[0])) * dNorm < Fp.Of<T>(toleranceChange)) break;
            t = CubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
            double hi = Math.Max(bracket[0], bracket[1]), lo = Math.Min(bracket[0], bracket[1]);
            double eps = 0.1 * (hi - lo);
            if (Math.Min(hi - t, t - lo) < eps)
            {
                if (insufProgress || t >= hi || t <= lo)
                {
                    t = Math.Abs(t - hi) < Math.Abs(t - lo) ? hi - eps : lo + eps;
                    insufProgress = false;
                }
                else insufProgress = true;
            }
            else insufProgress = false;
            (fNew, gNew) = obj(t, d);
            evals++;
            gtdNew = Fp.Dot<T>(gNew, d);
            lsIter++;
            if (Armijo(fNew, f, c1, t, gtd) || fNew >= bracketF[lowPos])
            {
                bracket[highPos] = t; bracketF[highPos] = fNew; bracketG[highPos] = (T[])gNew.Clone(); bracketGtd[highPos] = gtdNew;
                (lowPos, highPos) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0);
            }
            else
            {
                if (T.Abs(gtdNew) <= Fp.Of<T>(-c2) * gtd) done = true;
                else if (gtdNew * Fp.Of<T>(bracket[highPos] - bracket[lowPos]) >= T.Zero)
                {
                    bracket[highPos] = bracket[lowPos]; bracketF[highPos] = bracketF[lowPos];
                    bracketG[highPos] = bracketG[lowPos]; bracketGtd[highPos] = bracketGtd[lowPos];
                }
                bracket[lowPos] = t; bracketF[lowPos] = fNew; bracketG[lowPos] = (T[])gNew.Clone(); bracketGtd[lowPos] = gtdNew;
            }
        }
        return (bracketF[lowPos], bracketG[lowPos], bracket[lowPos], evals);
    }

    // f_new > f + c1·t·gtd, where gtd is a tensor of the flat dtype: the right side is of that dtype.
    private static bool Armijo<T>(double fNew, double f, double c1, double t, T gtd) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Fp.Of<T>(fNew) > Fp.Of<T>(f) + Fp.Of<T>(c1 * t) * gtd;
}
