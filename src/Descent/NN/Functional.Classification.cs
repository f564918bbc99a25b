using Descent.Autograd;
using Descent.Tensors;

namespace Descent.NN;

// Multi-class losses: nll_loss on log-probabilities and cross_entropy on logits (class indices or probabilities).
public static partial class Functional
{
    /// <summary>
    /// Negative log-likelihood, like <c>F.nll_loss</c>: input holds log-probabilities [C], [N, C] or
    /// [N, C, d1, ...]; target holds int64 class indices [], [N] or [N, d1, ...]. Each counted element contributes
    /// −weight[c]·input[n, c]; targets equal to <paramref name="ignoreIndex"/> count nowhere, and "mean" divides
    /// by the total weight of the counted elements.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes, dtypes or weight do not fit (PyTorch's messages).</exception>
    /// <exception cref="IndexOutOfRangeException">"Target {t} is out of bounds."</exception>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean")
    {
        var r = ReductionOf(reduction);
        var (n, c, s) = CheckNllShapes(input, target, weight);
        if (target.DType != DType.Int64)
            throw new ArgumentException($"expected scalar type Long but found {target.DType.ScalarTypeName()}");
        if (!input.DType.IsFloatingPoint())
            throw new ArgumentException($"\"nll_loss\" not implemented for '{input.DType.ScalarTypeName()}'");
        if (weight is not null && weight.DType != input.DType)
            throw new ArgumentException($"expected scalar type {input.DType.ScalarTypeName()} but found {weight.DType.ScalarTypeName()}");
        NotDifferentiable(weight, "nll_loss", "weight");

        var x = input.Detach().Contiguous();
        var classes = target.ToArray<long>();
        var w = weight?.Detach().To(DType.Float64).ToArray<double>();
        int count = n * s;
        if (classes.Length > count) Array.Resize(ref classes, count);
        var weights = new double[count];
        var losses = r == Reduction.None ? new double[count] : null;
        double total = 0, sum = 0;
        for (int k = 0; k < count; k++)
        {
            long t = classes[k];
            if (t == ignoreIndex)
            {
                classes[k] = -1;
                continue;
            }
            if (t < 0 || t >= c) throw new IndexOutOfRangeException($"Target {t} is out of bounds.");
            double wk = w is null ? 1 : w[t];
            int ni = k / s, si = k % s;
            double l = -wk * x.GetAsDouble(x.StorageOffset + (int)((ni * c + t) * s + si));
            weights[k] = wk;
            total += wk;
            sum += l;
            if (losses is not null) losses[k] = l;
        }
        Tensor result = r switch
        {
            // A 1-D input is one sample: its loss is 0-d, and only the first target counts, as in ATen's kernel.
            Reduction.None => (input.Dim == 1 ? Tensor.Scalar(losses![0], DType.Float64) : Tensor.FromArray(losses!, target.Shape)).To(input.DType),
            Reduction.Sum => Tensor.Scalar(sum, input.DType),
            // 0/0 is NaN when every target is ignored, as in PyTorch.
            _ => Tensor.Scalar(sum / total, input.DType),
        };
        if (!Graph.Needs(input)) return result;
        double scale = r == Reduction.Mean ? 1 / total : 1;
        return Graph.Attach(result, new NllLossBackward(input.Shape, c, s, classes, weights, scale, r != Reduction.None), input);
    }

    /// <summary>PyTorch's shape checks of nll_loss_nd and nll_loss; returns the input seen as [N, C, S].</summary>
    private static (int N, int C, int S) CheckNllShapes(Tensor input, Tensor target, Tensor? weight)
    {
        if (input.Dim < 1) throw new ArgumentException($"Expected 1 or more dimensions (got {input.Dim})");
        int targetBatch = target.Dim == 0 ? 0 : target.Size(0);
        if (input.Dim != 1 && input.Size(0) != targetBatch)
            throw new ArgumentException($"Expected input batch_size ({input.Size(0)}) to match target batch_size ({targetBatch}).");
        int n, c, s = 1;
        if (input.Dim <= 2)
        {
            if (target.Dim > 1) throw new ArgumentException("0D or 1D target tensor expected, multi-target not supported");
            bool noBatch = input.Dim == 1 && target.Dim == 0;
            if (!noBatch && input.Size(0) != target.Size(0))
                throw new ArgumentException($"size mismatch (got input: {FormatShape(input.Shape)}, target: {FormatShape(target.Shape)})");
            (n, c) = input.Dim == 1 ? (1, input.Size(0)) : (input.Size(0), input.Size(1));
        }
        else
        {
            var expected = new int[input.Dim - 1];
            expected[0] = input.Size(0);
            for (int d = 2; d < input.Dim; d++)
            {
                expected[d - 1] = input.Size(d);
                s *= input.Size(d);
            }
            if (!expected.AsSpan().SequenceEqual(target.Shape))
                throw new ArgumentException(input.Dim == 4
                    ? $"size mismatch (got input: {FormatShape(input.Shape)} , target: {FormatShape(target.Shape)}"
                    : $"Expected target size {FormatShape(expected)}, got {FormatShape(target.Shape)}");
            (n, c) = (input.Size(0), input.Size(1));
        }
        if (weight is not null && !(weight.Dim == 1 && weight.Numel == c))
            throw new ArgumentException(
                $"weight tensor should be defined either for all {c} classes or no classes but got weight tensor of shape: {FormatShape(weight.Shape)}");
        return (n, c, s);
    }

    /// <summary>
    /// Cross-entropy on unnormalised logits, like <c>F.cross_entropy</c>: log_softmax over the class dimension
    /// (dim 1, or 0 for a 1-D input) followed by <see cref="NllLoss"/>. A target of the input's shape holds class
    /// probabilities instead of indices. <paramref name="labelSmoothing"/> in [0, 1] mixes the target with the
    /// uniform distribution, as PyTorch does.
    /// </summary>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100,
        string reduction = "mean", double labelSmoothing = 0.0)
    {
        var r = ReductionOf(reduction);
        int classDim = input.Dim == 1 ? 0 : 1;
        if (input.Shape.AsSpan().SequenceEqual(target.Shape))
        {
            if (!target.DType.IsFloatingPoint())
                throw new ArgumentException($"Expected floating point type for target with class probabilities, got {target.DType.ScalarTypeName()}");
            if (ignoreIndex >= 0) throw new ArgumentException("ignore_index is not supported for floating point target");
            return CrossEntropyProbabilities(input, target, weight, r, labelSmoothing, classDim);
        }
        if (labelSmoothing > 0)
        {
            CheckLabelSmoothing(labelSmoothing);
            return CrossEntropyLabelSmoothing(input, target, weight, ignoreIndex, r, labelSmoothing, classDim);
        }
        return NllLoss(input.LogSoftmax(classDim), target, weight, ignoreIndex, reduction);
    }

    private static void CheckLabelSmoothing(double labelSmoothing)
    {
        if (labelSmoothing > 1.0)
            throw new ArgumentException($"label_smoothing must be between 0.0 and 1.0. Got: {labelSmoothing.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    /// <summary>The class weight shaped to broadcast along <paramref name="classDim"/> of an input of <paramref name="rank"/> dims.</summary>
    private static Tensor ClassWeight(Tensor weight, int rank, int classDim)
    {
        if (rank <= 1) return weight;
        var shape = new int[rank];
        Array.Fill(shape, 1);
        shape[classDim] = weight.Size(0);
        return weight.Reshape(shape);
    }

    // ATen's cross_entropy_loss_prob_target.
    private static Tensor CrossEntropyProbabilities(Tensor input, Tensor target, Tensor? weight, Reduction r, double labelSmoothing, int classDim)
    {
        int c = input.Size(classDim);
        if (weight is not null && !(weight.Dim == 1 && weight.Numel == c))
            throw new ArgumentException(
                $"cross_entropy: weight tensor should be defined either for all {c} classes or no classes but got weight tensor of shape: {FormatShape(weight.Shape)}");
        var logp = input.LogSoftmax(classDim);
        var t = target;
        if (labelSmoothing > 0)
        {
            CheckLabelSmoothing(labelSmoothing);
            t = target.Mul(1 - labelSmoothing).Add(labelSmoothing / c);
        }
        var prod = logp.Mul(t);
        if (weight is not null) prod = prod.Mul(ClassWeight(weight, input.Dim, classDim));
        return r switch
        {
            Reduction.None => prod.Sum(classDim).Neg(),
            Reduction.Sum => prod.Sum().Neg(),
            _ => input.Numel == 0 ? prod.Sum().Mul(double.NaN) : prod.Sum().Neg().Div(input.Numel / c),
        };
    }

    // ATen's cross_entropy_loss_label_smoothing: (1 − ε)·nll + ε/C · Σ_c −w_c·log p_c.
    private static Tensor CrossEntropyLabelSmoothing(Tensor input, Tensor target, Tensor? weight, long ignoreIndex, Reduction r,
        double labelSmoothing, int classDim)
    {
        var logp = input.LogSoftmax(classDim);
        var nll = NllLoss(logp, target, weight, ignoreIndex, r switch { Reduction.None => "none", Reduction.Sum => "sum", _ => "mean" });
        int c = logp.Size(classDim);
        var smooth = (weight is null ? logp : logp.Mul(ClassWeight(weight, input.Dim, classDim))).Sum(classDim).Neg();
        var ignored = target.Eq(ignoreIndex);
        smooth = Tensor.Where(ignored, Tensor.ZerosLike(smooth), smooth);
        Tensor ret;
        if (r == Reduction.Mean)
        {
            // Normalised like nll_loss: by the weight of the counted targets, or their number.
            var classes = target.ToArray<long>();
            var w = weight?.Detach().To(DType.Float64).ToArray<double>();
            double denominator = 0;
            foreach (var t in classes)
                if (t != ignoreIndex) denominator += w is null ? 1 : w[t];
            ret = smooth.Sum().Div(denominator);
        }
        else ret = r == Reduction.Sum ? smooth.Sum() : smooth;
        return nll.Mul(1 - labelSmoothing).Add(ret.Mul(labelSmoothing / c));
    }
}
