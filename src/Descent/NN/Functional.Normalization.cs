using Descent.Autograd;
using Descent.Tensors;

namespace Descent.NN;

// Batch, layer and group normalisation. Each is composed of differentiable tensor ops (mean, biased variance,
// rsqrt), so first and higher derivatives come from those ops' own nodes.
public static partial class Functional
{
    /// <summary>
    /// Batch normalisation over the channel dimension 1 of an (N, C, …) input, like <c>F.batch_norm</c>. In
    /// training the batch's mean and biased variance normalise, and running statistics given are updated in place:
    /// r ← (1 − momentum)·r + momentum·s, with the unbiased variance for <paramref name="runningVar"/>. Otherwise the
    /// running statistics normalise.
    /// </summary>
    /// <exception cref="ArgumentException">PyTorch's messages for a single value per channel in training and for
    /// statistics or affine parameters whose size is not C.</exception>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null,
        Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (training) VerifyBatchSize(input);
        if (input.Dim < 2) throw new ArgumentException($"Expected at least 2 dimensions for input tensor but received {input.Dim}");
        int c = input.Size(1);
        CheckChannels(runningMean, "running_mean", c);
        CheckChannels(runningVar, "running_var", c);
        CheckChannels(weight, "weight", c);
        CheckChannels(bias, "bias", c);
        var dims = new int[input.Dim - 1];
        dims[0] = 0;
        for (int d = 2; d < input.Dim; d++) dims[d - 1] = d;
        var channelShape = new int[input.Dim];
        Array.Fill(channelShape, 1);
        channelShape[1] = c;

        if (!training && (runningMean is null || runningVar is null))
            throw new ArgumentException($"{(runningMean is null ? "running_mean" : "running_var")} must be defined in evaluation mode");
        Tensor mean, var;
        if (training)
        {
            mean = input.Mean(dims, keepDim: true);
            var = input.Var(dims, unbiased: false, keepDim: true);
            UpdateRunningStats(runningMean, runningVar, mean, var, input.Numel / c, momentum);
        }
        else
        {
            mean = runningMean!.Reshape(channelShape);
            var = runningVar!.Reshape(channelShape);
        }
        var y = input.Sub(mean).Mul(var.Add(eps).Rsqrt());
        return Affine(y, weight, bias, channelShape);
    }

    // PyTorch's _verify_batch_size: one value per channel has no variance to normalise by.
    private static void VerifyBatchSize(Tensor input)
    {
        if (input.Dim < 2) return;
        long values = input.Size(0);
        for (int d = 2; d < input.Dim; d++) values *= input.Size(d);
        if (values == 1)
            throw new ArgumentException($"Expected more than 1 value per channel when training, got input size torch.Size({ShapeHelper.Format(input.shape)})");
    }

    private static void CheckChannels(Tensor? t, string name, int c)
    {
        if (t is not null && t.Numel != c) throw new ArgumentException($"{name} should contain {c} elements not {t.Numel}");
    }

    private static void UpdateRunningStats(Tensor? runningMean, Tensor? runningVar, Tensor mean, Tensor var, int n, double momentum)
    {
        using (GradMode.Set(false))
        {
            if (runningMean is not null)
                runningMean.Mul_(1 - momentum).Add_(mean.Detach().Reshape(runningMean.shape).To(runningMean.DType), momentum);
            if (runningVar is not null)
            {
                // The running variance is the unbiased one; with one value per channel PyTorch's n/(n−1) is inf.
                double unbias = n > 1 ? (double)n / (n - 1) : double.PositiveInfinity;
                runningVar.Mul_(1 - momentum).Add_(var.Detach().Mul(unbias).Reshape(runningVar.shape).To(runningVar.DType), momentum);
            }
        }
    }

    private static Tensor Affine(Tensor y, Tensor? weight, Tensor? bias, int[] shape)
    {
        if (weight is not null) y = y.Mul(weight.Reshape(shape));
        if (bias is not null) y = y.Add(bias.Reshape(shape));
        return y;
    }

    /// <summary>
    /// Layer normalisation over the trailing dimensions <paramref name="normalizedShape"/>, like <c>F.layer_norm</c>:
    /// each sample is normalised by the mean and biased variance of those dimensions, then scaled and shifted
    /// elementwise by <paramref name="weight"/> and <paramref name="bias"/> (of shape <paramref name="normalizedShape"/>).
    /// </summary>
    /// <exception cref="ArgumentException">PyTorch's message when the input does not end with <paramref name="normalizedShape"/>.</exception>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        int k = normalizedShape.Length;
        if (k == 0) throw new ArgumentException("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []");
        if (weight is not null && !ShapeHelper.SameShape(weight.shape, normalizedShape))
            throw new ArgumentException($"Expected weight to be of same shape as normalized_shape, but got weight of shape {ShapeHelper.Format(weight.shape)} and normalized_shape = {ShapeHelper.Format(normalizedShape)}");
        if (bias is not null && !ShapeHelper.SameShape(bias.shape, normalizedShape))
            throw new ArgumentException($"Expected bias to be of same shape as normalized_shape, but got bias of shape {ShapeHelper.Format(bias.shape)} and normalized_shape = {ShapeHelper.Format(normalizedShape)}");
        bool fits = input.Dim >= k;
        for (int i = 0; fits && i < k; i++) fits = input.Size(input.Dim - k + i) == normalizedShape[i];
        if (!fits)
            throw new ArgumentException($"Given normalized_shape={ShapeHelper.Format(normalizedShape)}, expected input with shape [*, {string.Join(", ", normalizedShape)}], but got input of size{ShapeHelper.Format(input.shape)}");
        var dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = input.Dim - k + i;
        var y = input.Sub(input.Mean(dims, keepDim: true)).Mul(input.Var(dims, unbiased: false, keepDim: true).Add(eps).Rsqrt());
        if (weight is not null) y = y.Mul(weight);
        if (bias is not null) y = y.Add(bias);
        return y;
    }

    /// <summary>
    /// Group normalisation, like <c>F.group_norm</c>: the C channels of an (N, C, …) input are split into
    /// <paramref name="numGroups"/> groups, each sample's group normalised by its mean and biased variance, then
    /// scaled and shifted per channel.
    /// </summary>
    /// <exception cref="ArgumentException">PyTorch's messages for too few dimensions or channels not divisible into groups.</exception>
    public static Tensor GroupNorm(Tensor input, int numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim < 2) throw new ArgumentException($"Expected at least 2 dimensions for input tensor but received {input.Dim}");
        int n = input.Size(0), c = input.Size(1);
        if (numGroups <= 0 || c % numGroups != 0)
            throw new ArgumentException($"Expected number of channels in input to be divisible by num_groups, but got input of shape {ShapeHelper.Format(input.shape)} and num_groups={numGroups}");
        if (weight is not null && (weight.Dim != 1 || weight.Numel != c))
            throw new ArgumentException($"Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape {ShapeHelper.Format(weight.shape)} and input of shape {ShapeHelper.Format(input.shape)}");
        if (bias is not null && (bias.Dim != 1 || bias.Numel != c))
            throw new ArgumentException($"Expected bias to be a vector of size equal to the number of channels in input, but got bias of shape {ShapeHelper.Format(bias.shape)} and input of shape {ShapeHelper.Format(input.shape)}");
        var grouped = input.Reshape(n, numGroups, -1);
        var y = grouped.Sub(grouped.Mean(2, keepDim: true)).Mul(grouped.Var(2, unbiased: false, keepDim: true).Add(eps).Rsqrt()).Reshape(input.shape);
        var channelShape = new int[input.Dim];
        Array.Fill(channelShape, 1);
        channelShape[1] = c;
        return Affine(y, weight, bias, channelShape);
    }
}
