using Descent.Tensors;
using F = Descent.NN.Functional;

namespace Descent.Tests.Support;

// Convolution, pooling and the further activations and losses, float64, first and second order.
public static partial class GradCases
{
    private static void LayerCases(Action<string, string, Func<Random, Tensor[]>, Func<Tensor[], Tensor[]>> fn)
    {
        fn("conv2d", "conv2d", In(N(2, 2, 5, 4), N(3, 2, 3, 2), N(3)), x => [F.Conv2d(x[0], x[1], x[2], stride: (2, 1), padding: 1)]);
        fn("conv2d_groups_dilation", "conv2d", In(N(1, 4, 6, 6), N(4, 2, 2, 2)), x => [F.Conv2d(x[0], x[1], dilation: 2, groups: 2)]);
        fn("conv2d_same_unbatched", "conv2d", In(N(2, 4, 5), N(2, 2, 2, 3), N(2)), x => [F.Conv2d(x[0], x[1], x[2], padding: "same")]);
        fn("conv2d_long_rows", "conv2d", In(N(2, 2, 18, 17), N(2, 2, 2, 2), N(2)), x => [F.Conv2d(x[0], x[1], x[2])]);
        fn("conv2d_pointwise", "conv2d", In(N(2, 3, 3, 2), N(4, 3, 1, 1), N(4)), x => [F.Conv2d(x[0], x[1], x[2])]);
        fn("conv2d_groups_bias_9_images", "conv2d", In(N(9, 4, 4, 3), N(6, 2, 2, 2), N(6)), x => [F.Conv2d(x[0], x[1], x[2], padding: (1, 0), groups: 2)]);
        fn("conv1d", "conv1d", In(N(2, 2, 7), N(3, 2, 3), N(3)), x => [F.Conv1d(x[0], x[1], x[2], stride: 2, padding: 1)]);
        fn("max_pool2d", "max_pool2d", In(N(2, 2, 5, 5)), x => [F.MaxPool2d(x[0], 3, stride: 2, padding: 1, ceilMode: true)]);
        fn("max_pool2d_dilation", "max_pool2d", In(N(1, 2, 6, 5)), x => [F.MaxPool2d(x[0], (2, 2), stride: 1, dilation: (2, 1))]);
        fn("max_pool1d", "max_pool1d", In(N(2, 3, 9)), x => [F.MaxPool1d(x[0], 3, 2, padding: 1)]);
        fn("avg_pool2d", "avg_pool2d", In(N(2, 2, 5, 5)), x => [F.AvgPool2d(x[0], 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)]);
        fn("avg_pool2d_divisor", "avg_pool2d", In(N(1, 2, 4, 4)), x => [F.AvgPool2d(x[0], 2, divisorOverride: 3)]);
        fn("avg_pool1d", "avg_pool1d", In(N(2, 2, 7)), x => [F.AvgPool1d(x[0], 3, 2, padding: 1)]);
        fn("adaptive_avg_pool2d", "adaptive_avg_pool2d", In(N(2, 2, 5, 7)), x => [F.AdaptiveAvgPool2d(x[0], (3, 2))]);
        fn("gelu", "gelu", In(N(3, 4)), x => [F.Gelu(x[0])]);
        fn("gelu_tanh", "gelu", In(N(3, 4)), x => [F.Gelu(x[0], "tanh")]);
        fn("silu", "silu", In(N(3, 4)), x => [F.Silu(x[0])]);
        fn("mish", "mish", In(N(3, 4)), x => [F.Mish(x[0])]);
        fn("leaky_relu", "leaky_relu", In(N(3, 4)), x => [F.LeakyRelu(x[0], 0.2)]);
        fn("elu", "elu", In(N(3, 4)), x => [F.Elu(x[0], 0.7)]);
        fn("prelu", "prelu", In(N(2, 3, 4), N(3)), x => [F.Prelu(x[0], x[1])]);
        fn("hardtanh", "hardtanh", In(N(3, 4)), x => [F.Hardtanh(x[0], -0.5, 0.8)]);
        fn("hardswish", "hardswish", In(r => N(3, 4)(r).Mul(3.0)), x => [F.Hardswish(x[0])]);
        fn("smooth_l1_loss", "smooth_l1_loss", In(N(3, 4), N(3, 4)), x => [F.SmoothL1Loss(x[0], x[1], beta: 0.7)]);
        fn("huber_loss", "huber_loss", In(N(3, 4), N(3, 4)), x => [F.HuberLoss(x[0], x[1], "sum", 0.8)]);
        fn("kl_div", "kl_div", In(N(3, 4), P(3, 4)), x => [F.KlDiv(x[0], x[1], "batchmean")]);
        fn("kl_div_log_target", "kl_div", In(N(3, 4), N(3, 4)), x => [F.KlDiv(x[0], x[1], "none", logTarget: true)]);
    }
}
