using Descent.Autograd;

namespace Descent.Tensors;

public sealed partial class Tensor
{
    /// <summary>The error function, like <c>torch.erf</c> (GELU's exact form is built on it).</summary>
    internal Tensor Erf()
    {
        RequireFloat(this, "erf");
        var xc = Contiguous();
        var r = AllocateForOverwrite(DType, (int[])shape.Clone());
        if (DType == DType.Float32)
        {
            ReadOnlySpan<float> xs = xc.AsSpan<float>();
            var rs = r.AsSpan<float>();
            for (int i = 0; i < rs.Length; i++) rs[i] = (float)ErfOf(xs[i]);
        }
        else
        {
            ReadOnlySpan<double> xs = xc.AsSpan<double>();
            var rs = r.AsSpan<double>();
            for (int i = 0; i < rs.Length; i++) rs[i] = ErfOf(xs[i]);
        }
        return Graph.Needs(this) ? Graph.Attach(r, new ErfBackward(this), this) : r;
    }

    /// <summary>
    /// erf to double precision: the Maclaurin series below |x| = 2 (its largest term is about 20, so little is lost
    /// to cancellation), the continued fraction of erfc above, where it converges quickly.
    /// </summary>
    internal static double ErfOf(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        if (a < 2)
        {
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 60; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            }
            return 2 / Math.Sqrt(Math.PI) * sum;
        }
        if (a > 6) return Math.Sign(x);
        // erfc(a) = e^(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + …)))), evaluated from the tail.
        double f = a;
        for (int k = 120; k >= 1; k--) f = a + k / 2.0 / f;
        double erfc = Math.Exp(-a * a) / Math.Sqrt(Math.PI) / f;
        return Math.Sign(x) * (1 - erfc);
    }
}
