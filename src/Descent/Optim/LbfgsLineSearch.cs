namespace Descent.Optim;

/// <summary>
/// The strong-Wolfe line search and cubic interpolation of PyTorch's <c>lbfgs.py</c> (after minFunc), ported
/// statement by statement. Values PyTorch holds as float32 tensors (directional derivatives, the direction's norm)
/// are <c>float</c> here and mixed arithmetic rounds the way a float32 tensor meeting a Python float does;
/// losses and step lengths are Python floats (<c>double</c>).
/// </summary>
internal static class LbfgsLineSearch
{
    /// <summary>Evaluates the objective at x + t·d: the loss and the flat gradient there (parameters restored after).</summary>
    public delegate (double Loss, float[] Grad) Objective(double t, float[] d);

    /// <summary>Minimizer of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds.</summary>
    public static double CubicInterpolate(double x1, double f1, float g1, double x2, double f2, float g2, (double Min, double Max)? bounds = null)
    {
        var (xmin, xmax) = bounds ?? (x1 <= x2 ? (x1, x2) : (x2, x1));
        float d1 = g1 + g2 - (float)(3 * (f1 - f2) / (x1 - x2));
        float d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0)
        {
            float d2 = MathF.Sqrt(d2Square);
            float minPos = x1 <= x2
                ? (float)x2 - (float)(x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                : (float)x1 - (float)(x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            // Python's min(max(min_pos, lo), hi) on a float32 tensor and floats.
            double m = (float)xmin > minPos ? xmin : minPos;
            return (float)xmax < m ? xmax : m;
        }
        return (xmin + xmax) / 2.0;
    }

    /// <summary>PyTorch's <c>_strong_wolfe</c>: returns the accepted loss, gradient, step and the evaluations used.</summary>
    public static (double Loss, float[] Grad, double T, int Evals) StrongWolfe(Objective obj, double t, float[] d, double f, float[] g, float gtd,
        double c1 = 1e-4, double c2 = 0.9, double toleranceChange = 1e-9, int maxLs = 25)
    {
        float dNorm = 0;
        foreach (var v in d) dNorm = MathF.Max(dNorm, MathF.Abs(v));
        g = (float[])g.Clone();
        var (fNew, gNew) = obj(t, d);
        int evals = 1;
        float gtdNew = Kernels.Fp.Dot(gNew, d);
        double tPrev = 0, fPrev = f;
        float[] gPrev = g;
        float gtdPrev = gtd;
        bool done = false;
        int lsIter = 0;
        double[] bracket = [];
        double[] bracketF = [];
        float[][] bracketG = [];
        float[] bracketGtd = [];
        while (lsIter < maxLs)
        {
            if (Armijo(fNew, f, c1, t, gtd) || (lsIter > 1 && fNew >= fPrev))
            {
                bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, (float[])gNew.Clone()]; bracketGtd = [gtdPrev, gtdNew];
                break;
            }
            if (MathF.Abs(gtdNew) <= (float)-c2 * gtd)
            {
                bracket = [t]; bracketF = [fNew]; bracketG = [gNew];
                done = true;
                break;
            }
            if (gtdNew >= 0)
            {
                bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, (float[])gNew.Clone()]; bracketGtd = [gtdPrev, gtdNew];
                break;
            }
            double minStep = t + 0.01 * (t - tPrev), maxStep = t * 10;
            double tmp = t;
            t = CubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, (minStep, maxStep));
            tPrev = tmp;
            fPrev = fNew;
            gPrev = (float[])gNew.Clone();
            gtdPrev = gtdNew;
            (fNew, gNew) = obj(t, d);
            evals++;
            gtdNew = Kernels.Fp.Dot(gNew, d);
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
            if ((float)Math.Abs(bracket[1] - bracket[0]) * dNorm < (float)toleranceChange) break;
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
            gtdNew = Kernels.Fp.Dot(gNew, d);
            lsIter++;
            if (Armijo(fNew, f, c1, t, gtd) || fNew >= bracketF[lowPos])
            {
                bracket[highPos] = t; bracketF[highPos] = fNew; bracketG[highPos] = (float[])gNew.Clone(); bracketGtd[highPos] = gtdNew;
                (lowPos, highPos) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0);
            }
            else
            {
                if (MathF.Abs(gtdNew) <= (float)-c2 * gtd) done = true;
                else if (gtdNew * (float)(bracket[highPos] - bracket[lowPos]) >= 0)
                {
                    bracket[highPos] = bracket[lowPos]; bracketF[highPos] = bracketF[lowPos];
                    bracketG[highPos] = bracketG[lowPos]; bracketGtd[highPos] = bracketGtd[lowPos];
                }
                bracket[lowPos] = t; bracketF[lowPos] = fNew; bracketG[lowPos] = (float[])gNew.Clone(); bracketGtd[lowPos] = gtdNew;
            }
        }
        return (bracketF[lowPos], bracketG[lowPos], bracket[lowPos], evals);
    }

    // f_new > f + c1·t·gtd, where gtd is a float32 tensor: the right side is float32.
    private static bool Armijo(double fNew, double f, double c1, double t, float gtd) =>
        (float)fNew > (float)f + (float)(c1 * t) * gtd;
}
