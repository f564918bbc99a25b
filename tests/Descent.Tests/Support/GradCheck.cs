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
}
