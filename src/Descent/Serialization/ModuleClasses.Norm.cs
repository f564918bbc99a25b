using Descent.NN;

namespace Descent.Serialization;

// The normalisation layers and Embedding, with the attributes PyTorch's __init__ sets, in its order. Their buffers
// (BatchNorm's running statistics) and parameters are copied in from the file.
public static partial class ModuleClasses
{
    private const string Normalization = "torch.nn.modules.normalization.", BatchNormModule = "torch.nn.modules.batchnorm.";

    private static void RegisterNorm()
    {
        Register(BatchNormModule + "BatchNorm1d", s => new BatchNorm1d(s.GetInt("num_features"), s.GetDouble("eps"), Momentum(s),
            s.GetBool("affine"), s.GetBool("track_running_stats")), BatchNormAttributes);
        Register(BatchNormModule + "BatchNorm2d", s => new BatchNorm2d(s.GetInt("num_features"), s.GetDouble("eps"), Momentum(s),
            s.GetBool("affine"), s.GetBool("track_running_stats")), BatchNormAttributes);
        Register(Normalization + "LayerNorm", s => new LayerNorm(IntTuple(s, "normalized_shape"), s.GetDouble("eps"),
            s.GetBool("elementwise_affine"), s.GetOptionalParameter("bias") is not null || !s.GetBool("elementwise_affine")),
            m => [("normalized_shape", PyTuple.Wrap([.. m.NormalizedShape.Select(v => (object?)(long)v)])), ("eps", m.Eps),
                ("elementwise_affine", m.ElementwiseAffine)]);
        Register(Normalization + "GroupNorm", s => new GroupNorm(s.GetInt("num_groups"), s.GetInt("num_channels"), s.GetDouble("eps"), s.GetBool("affine")),
            m => [("num_groups", m.NumGroups), ("num_channels", m.NumChannels), ("eps", m.Eps), ("affine", m.Affine)]);
        Register("torch.nn.modules.sparse.Embedding", s => new Embedding(s.GetInt("num_embeddings"), s.GetInt("embedding_dim"),
            s.GetOptionalInt("padding_idx"), s.Get("max_norm") is null ? null : s.GetDouble("max_norm"), s.GetDouble("norm_type"),
            s.GetBool("scale_grad_by_freq"), s.GetBool("sparse")),
            m => [("num_embeddings", m.NumEmbeddings), ("embedding_dim", m.EmbeddingDim), ("padding_idx", m.PaddingIdx), ("max_norm", m.MaxNorm),
                ("norm_type", m.NormType), ("scale_grad_by_freq", m.ScaleGradByFreq), ("sparse", m.Sparse)]);
    }

    private static double? Momentum(SavedModule s) => s.Get("momentum") is null ? null : s.GetDouble("momentum");

    private static IEnumerable<(string Name, object? Value)> BatchNormAttributes(BatchNormBase m) =>
        [("num_features", m.NumFeatures), ("eps", m.Eps), ("momentum", m.Momentum), ("affine", m.Affine), ("track_running_stats", m.TrackRunningStats)];

    private static int[] IntTuple(SavedModule s, string name)
    {
        if (s.Get(name) is not PyTuple t) throw s.Bad($"attribute '{name}' is {PickleRepr.Of(s.Get(name))}, not a tuple");
        var r = new int[t.Count];
        for (int i = 0; i < r.Length; i++)
            r[i] = t[i] is long l and > 0 and <= int.MaxValue ? (int)l : throw s.Bad($"attribute '{name}' holds {PickleRepr.Of(t[i])}, not a size");
        return r;
    }
}
