using Descent.Autograd;
using Descent.Tensors;

namespace Descent.NN;

public static partial class Functional
{
    /// <summary>
    /// Looks up rows of <paramref name="weight"/> [V, D] by the integer <paramref name="input"/>, giving
    /// input.shape + [D], like <c>F.embedding</c>. The row at <paramref name="paddingIdx"/> (negative counts from the
    /// end) gets no gradient; with <paramref name="maxNorm"/> the looked-up rows whose <paramref name="normType"/>-norm
    /// exceeds it are first rescaled in place to that norm (as PyTorch, modifying <paramref name="weight"/>);
    /// <paramref name="scaleGradByFreq"/> divides each row's gradient by its index's count in the batch;
    /// <paramref name="sparse"/> makes the weight's gradient row-sparse (see <see cref="Tensor.IsSparse"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A non-integer input, a weight that is not 2-D, a padding index out of range.</exception>
    /// <exception cref="IndexOutOfRangeException">"index out of range in self".</exception>
    public static Tensor Embedding(Tensor input, Tensor weight, long? paddingIdx = null, double? maxNorm = null, double normType = 2,
        bool scaleGradByFreq = false, bool sparse = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.DType is not (DType.Int64 or DType.Int32))
            throw new ArgumentException($"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got {LegacyTypeName(input.DType)} instead (while checking arguments for embedding)");
        if (weight.Dim != 2) throw new ArgumentException("'weight' must be 2-D");
        int rows = weight.Size(0), dim = weight.Size(1);
        long pad = NormalizePaddingIdx(paddingIdx, rows);
        var flat = input.To(DType.Int64).Contiguous().Reshape(-1).ToArray<long>();
        foreach (var i in flat)
            if (i < 0 || i >= rows) throw new IndexOutOfRangeException("index out of range in self");
        if (maxNorm is { } mn) EmbeddingRenorm_(weight, flat, mn, normType);
        var outShape = new int[input.Dim + 1];
        input.Shape.CopyTo(outShape);
        outShape[^1] = dim;
        Tensor r;
        using (GradMode.Set(false)) r = weight.Detach().IndexSelect(0, Tensor.FromArray(flat)).Reshape(outShape);
        return Graph.Needs(weight) ? Graph.Attach(r, new EmbeddingBackward(rows, dim, flat, pad, scaleGradByFreq, sparse), weight) : r;
    }

    // The legacy tensor type names PyTorch's argument checks print.
    private static string LegacyTypeName(DType t) => t switch
    {
        DType.Float32 => "torch.FloatTensor",
        DType.Float64 => "torch.DoubleTensor",
        DType.Bool => "torch.BoolTensor",
        _ => t.TorchName(),
    };

    /// <summary>PyTorch's padding index: null is none (−1), a negative one counts from the end.</summary>
    internal static long NormalizePaddingIdx(long? paddingIdx, int rows)
    {
        if (paddingIdx is not { } p) return -1;
        if (p > 0 && p >= rows) throw new ArgumentException("Padding_idx must be within num_embeddings");
        if (p < 0 && p < -rows) throw new ArgumentException("Padding_idx must be within num_embeddings");
        return p < 0 ? rows + p : p;
    }

    // torch.embedding_renorm_: each distinct looked-up row whose norm exceeds maxNorm is scaled to it (1e-7 guards
    // the division), in place and unrecorded.
    private static void EmbeddingRenorm_(Tensor weight, long[] indices, double maxNorm, double normType)
    {
        var distinct = new SortedSet<long>(indices);
        using (GradMode.Set(false))
        {
            var w = weight.Detach();
            foreach (var i in distinct)
            {
                var row = w.Select(0, (int)i);
                double norm = row.Norm(normType).To(DType.Float64).Item<double>();
                if (norm > maxNorm) row.Mul_(maxNorm / (norm + 1e-7));
            }
        }
    }
}
