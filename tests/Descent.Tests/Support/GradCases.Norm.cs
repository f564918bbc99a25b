using Descent.Tensors;
using F = Descent.NN.Functional;

namespace Descent.Tests.Support;

// The normalisation layers and embedding: first and second derivatives by finite differences.
public static partial class GradCases
{
    private static void NormCases(Action<string, string, Func<Random, Tensor[]>, Func<Tensor[], Tensor[]>> fn)
    {
        // Training mode: the batch statistics depend on the input (running statistics are updated on the side).
        fn("batch_norm_train", "batch_norm", In(N(4, 3), N(3), N(3)),
            x => [F.BatchNorm(x[0], Tensor.Zeros([3], DType.Float64), Tensor.Ones([3], DType.Float64), x[1], x[2], training: true)]);
        fn("batch_norm_train_3d_noaffine", "batch_norm", In(N(3, 2, 4)), x => [F.BatchNorm(x[0], null, null, training: true, eps: 1e-3)]);
        fn("batch_norm_train_4d", "batch_norm", In(N(2, 2, 3, 2), N(2), N(2)), x => [F.BatchNorm(x[0], null, null, x[1], x[2], training: true)]);
        fn("batch_norm_eval", "batch_norm", In(N(4, 3), N(3), N(3)),
            x => [F.BatchNorm(x[0], Tensor.FromArray([0.5, -1.0, 0.25]), Tensor.FromArray([2.0, 0.5, 1.5]), x[1], x[2])]);
        fn("layer_norm", "layer_norm", In(N(3, 4), N(4), N(4)), x => [F.LayerNorm(x[0], [4], x[1], x[2])]);
        fn("layer_norm_two_dims_noaffine", "layer_norm", In(N(2, 3, 2)), x => [F.LayerNorm(x[0], [3, 2], eps: 1e-3)]);
        fn("group_norm", "group_norm", In(N(2, 4, 3), N(4), N(4)), x => [F.GroupNorm(x[0], 2, x[1], x[2])]);
        fn("group_norm_4d_noaffine", "group_norm", In(N(2, 3, 2, 2)), x => [F.GroupNorm(x[0], 3)]);
        // The weight is the differentiable input; the indices repeat so rows accumulate.
        var idx = Tensor.FromArray([1L, 3L, 1L, 0L, 3L, 3L], 2, 3);
        fn("embedding", "embedding", In(N(4, 2)), x => [F.Embedding(idx, x[0])]);
        // Padding and frequency scaling change the gradient on purpose (it is not the derivative), so they are checked
        // against the plain pass instead (EmbeddingGoldenTests).
    }
}
