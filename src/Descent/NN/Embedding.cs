using Descent.Tensors;
using Descent.Text;

namespace Descent.NN;

/// <summary>
/// A lookup table of <see cref="NumEmbeddings"/> vectors of size <see cref="EmbeddingDim"/>, like <c>nn.Embedding</c>:
/// the weight is drawn from N(0, 1) (the default generator, as PyTorch) with the padding row zeroed; see
/// <see cref="Functional.Embedding"/> for padding, max-norm, frequency scaling and sparse gradients. A sparse
/// gradient is stepped by <see cref="Optim.SparseAdam"/>, <see cref="Optim.SGD"/> or <see cref="Optim.Adagrad"/>.
/// </summary>
public sealed class Embedding : Module
{
    /// <summary>Creates the table and initialises it.</summary>
    /// <exception cref="ArgumentException">"Padding_idx must be within num_embeddings".</exception>
    public Embedding(int numEmbeddings, int embeddingDim, long? paddingIdx = null, double? maxNorm = null, double normType = 2,
        bool scaleGradByFreq = false, bool sparse = false)
        : this(numEmbeddings, embeddingDim, paddingIdx, maxNorm, normType, scaleGradByFreq, sparse, null) { }

    private Embedding(int numEmbeddings, int embeddingDim, long? paddingIdx, double? maxNorm, double normType,
        bool scaleGradByFreq, bool sparse, Tensor? weight)
    {
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIdx = paddingIdx is null ? null : Functional.NormalizePaddingIdx(paddingIdx, numEmbeddings);
        MaxNorm = maxNorm;
        NormType = normType;
        ScaleGradByFreq = scaleGradByFreq;
        Sparse = sparse;
        if (weight is null)
        {
            Weight = RegisterParameter("weight", Parameter.Create(Tensor.Empty(numEmbeddings, embeddingDim)))!;
            ResetParameters();
        }
        else
        {
            if (weight.Dim != 2 || weight.Size(0) != numEmbeddings || weight.Size(1) != embeddingDim)
                throw new ArgumentException("Shape of weight does not match num_embeddings and embedding_dim");
            Weight = RegisterParameter("weight", weight)!;
        }
    }

    /// <summary>
    /// A table holding <paramref name="embeddings"/> [V, D] as its weight (the padding row kept as given), like
    /// <c>Embedding.from_pretrained</c>; with <paramref name="freeze"/> the weight gets no gradient.
    /// </summary>
    /// <exception cref="ArgumentException">"Embeddings parameter is expected to be 2-dimensional".</exception>
    public static Embedding FromPretrained(Tensor embeddings, bool freeze = true, long? paddingIdx = null, double? maxNorm = null,
        double normType = 2, bool scaleGradByFreq = false, bool sparse = false)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Dim != 2) throw new ArgumentException("Embeddings parameter is expected to be 2-dimensional");
        var weight = Parameter.Create(embeddings.Detach().Clone());
        weight.RequiresGrad = !freeze;
        return new Embedding(embeddings.Size(0), embeddings.Size(1), paddingIdx, maxNorm, normType, scaleGradByFreq, sparse, weight);
    }

    /// <summary>V, the number of rows.</summary>
    public int NumEmbeddings { get; }

    /// <summary>D, the size of each row.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The row that gets no gradient (made non-negative), or null.</summary>
    public long? PaddingIdx { get; }

    /// <summary>Rows looked up with a larger norm are rescaled to this, or null.</summary>
    public double? MaxNorm { get; }

    /// <summary>The p of the norm for <see cref="MaxNorm"/>.</summary>
    public double NormType { get; }

    /// <summary>Whether gradients are divided by the index's frequency in the batch.</summary>
    public bool ScaleGradByFreq { get; }

    /// <summary>Whether the weight's gradient is row-sparse.</summary>
    public bool Sparse { get; }

    /// <summary>The table, [V, D].</summary>
    public Tensor Weight { get; }

    /// <summary>Draws the weight from N(0, 1) and zeroes the padding row, like <c>reset_parameters</c>.</summary>
    public void ResetParameters()
    {
        Init.Normal_(Weight);
        if (PaddingIdx is { } p)
            using (Autograd.GradMode.Set(false)) Weight.Select(0, (int)p).Fill_(0);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        Functional.Embedding(input, Weight, PaddingIdx, MaxNorm, NormType, ScaleGradByFreq, Sparse);

    /// <inheritdoc/>
    public override string ExtraRepr()
    {
        var s = $"{NumEmbeddings}, {EmbeddingDim}";
        if (PaddingIdx is { } p) s += $", padding_idx={p}";
        if (MaxNorm is { } m) s += $", max_norm={PyRepr.Float(m)}";
        if (NormType != 2) s += $", norm_type={PyRepr.Float(NormType)}";
        if (ScaleGradByFreq) s += ", scale_grad_by_freq=True";
        if (Sparse) s += ", sparse=True";
        return s;
    }
}
