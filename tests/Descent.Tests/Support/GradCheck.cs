using Descent.Tensors;
using Xunit.Sdk;

namespace Descent.Tests.Support;

/// <summary>
/// A finite-difference gradient check in float64, in the spirit of <c>torch.autograd.gradcheck</c>: for a
/// function f of some leaves, the analytic gradient of L = Σₖ sum(f(x)ₖ · wₖ) (w fixed random weights, so
/// every output element matters with a different weight) is compared with central differences
/// (L(x + ε) - L(x - ε)) / 2ε, element by element of every leaf that requires grad.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Checks <paramref name="f"/> at <paramref name="inputs"/> (float64 leaves; those with RequiresGrad are
    /// checked). Central differences are exact to O(ε²) for smooth f; with ε = 1e-6 the rounding error of L is
    /// about 1e-16·|L|/ε ≈ 1e-10·|L|, far below the tolerance.
    /// </summary>
    public static void Check(Func<Tensor[], Tensor[]> f, Tensor[] inputs, string what,
        double eps = 1e-6, double rtol = 1e-6, double atol = 1e-6, int seed = 1234)
    {
        foreach (var x in inputs)
            if (x.RequiresGrad && (x.DType != DType.Float64 || !x.IsLeaf || !x.IsContiguous))
                throw new ArgumentException("gradcheck inputs must be contiguous float64 leaves");

        var outputs = f(inputs);
        var rng = new Random(seed);
        var weights = new Tensor?[outputs.Length];
        Tensor? loss = null;
        for (int k = 0; k < outputs.Length; k++)
        {
            if (!outputs[k].DType.IsFloatingPoint()) continue;
            var w = new double[outputs[k].Numel];
            for (int i = 0; i < w.Length; i++) w[i] = rng.NextDouble() * 2 - 1;
            weights[k] = Tensor.FromArray(w, outputs[k].Numel == 0 ? [0] : [w.Length]).Reshape(outputs[k].Shape).To(outputs[k].DType);
            var term = outputs[k].Mul(weights[k]!).Sum();
            loss = loss is null ? term : loss.Add(term);
        }
        if (loss is null) throw new ArgumentException("no float output to check");
        foreach (var x in inputs) if (x.RequiresGrad) x.Grad = null;
        if (loss.RequiresGrad) loss.Backward();

        double Loss()
        {
            using (Torch.NoGrad())
            {
                var outs = f(inputs);
                double l = 0;
                for (int k = 0; k < outs.Length; k++)
                    if (weights[k] is { } w) l += outs[k].To(DType.Float64).Mul(w.To(DType.Float64)).Sum().Item();
                return l;
            }
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            var x = inputs[i];
            if (!x.RequiresGrad) continue;
            var analytic = x.Grad is null ? new double[x.Numel] : x.Grad.To(DType.Float64).ToArray<double>();
            var data = x.AsSpan<double>();
            for (int j = 0; j < data.Length; j++)
            {
                double v = data[j];
                x.AsSpan<double>()[j] = v + eps;
                double plus = Loss();
                x.AsSpan<double>()[j] = v - eps;
                double minus = Loss();
                x.AsSpan<double>()[j] = v;
                double numeric = (plus - minus) / (2 * eps);
                if (!(Math.Abs(numeric - analytic[j]) <= atol + rtol * Math.Abs(numeric)))
                    throw new XunitException(
                        $"{what}: d/d input {i}[{j}]: analytic {analytic[j]:R}, numeric {numeric:R} (diff {Math.Abs(numeric - analytic[j]):E2})");
            }
        }
    }

    /// <summary>
    /// As <c>torch.autograd.gradgradcheck</c>: random float64 output gradients v (leaves of their own) and the
    /// function (x, v) ↦ Grad(f(x), x, v, createGraph: true), whose gradient — the second derivative of f — is
    /// checked by <see cref="Check"/> with respect to both x and v. PyTorch's default tolerances for it (atol 1e-5,
    /// rtol 1e-3): the function differentiated numerically is itself a computed first derivative.
    /// </summary>
    /// <returns>The inputs' first gradients at the check point, for callers that look at the graph they carry.</returns>
    public static Tensor[] GradGradCheck(Func<Tensor[], Tensor[]> f, Tensor[] inputs, string what,
        double eps = 1e-6, double rtol = 1e-3, double atol = 1e-5, int seed = 4321)
    {
        var outputs = f(inputs);
        var rng = new Random(seed);
        var vs = new List<Tensor>();
        foreach (var o in outputs)
        {
            if (!o.RequiresGrad) continue;
            var v = new double[o.Numel];
            for (int i = 0; i < v.Length; i++) v[i] = rng.NextDouble() * 2 - 1;
            vs.Add(Tensor.FromArray(v, o.Numel == 0 ? [0] : [v.Length]).Reshape(o.Shape).To(o.DType).Detach().To(DType.Float64).RequiresGrad_());
        }
        if (vs.Count == 0) throw new ArgumentException("no output requires grad");
        int n = inputs.Length;

        Tensor[] FirstDerivative(Tensor[] all)
        {
            // Grad mode on even inside the checker's no-grad evaluations: the first derivative needs its graph.
            using var _ = Torch.EnableGrad();
            var xs = all[..n];
            var outs = f(xs).Where(o => o.RequiresGrad).ToArray();
            var seeds = all[n..].Select((v, k) => v.To(outs[k].DType)).ToArray();
            var wrt = xs.Where(x => x.RequiresGrad).ToArray();
            var grads = Torch.Autograd.Grad(outs, wrt, seeds, createGraph: true, allowUnused: true);
            return grads.Select((g, k) => g ?? Tensor.ZerosLike(wrt[k])).ToArray();
        }

        // The recorded backward formulas must give the plain pass's gradient: the check below only shows that they
        // are differentiated consistently with themselves.
        var recorded = FirstDerivative([.. inputs, .. vs]);
        var plainOuts = f(inputs).Where(o => o.RequiresGrad).ToArray();
        var plain = Torch.Autograd.Grad(plainOuts, inputs.Where(x => x.RequiresGrad).ToArray(),
            vs.Select((v, k) => v.Detach().To(plainOuts[k].DType)).ToArray(), allowUnused: true);
        for (int k = 0; k < plain.Length; k++)
        {
            var a = recorded[k].To(DType.Float64).ToArray<double>();
            var b = plain[k] is { } p ? p.To(DType.Float64).ToArray<double>() : new double[a.Length];
            for (int j = 0; j < a.Length; j++)
                if (!(Math.Abs(a[j] - b[j]) <= 1e-12 + 1e-9 * Math.Abs(b[j])))
                    throw new XunitException($"{what}: recorded gradient of input {k}[{j}] is {a[j]:R}, the plain pass gives {b[j]:R}");
        }

        Check(FirstDerivative, [.. inputs, .. vs], what + " (second order)", eps, rtol, atol, seed);
        return recorded;
    }
}
