using Descent.Autograd;

namespace Descent.Tensors;

// Softmax and log-softmax along a dimension, computed stably with the row maximum subtracted.
public sealed partial class Tensor
{
    /// <summary>exp(x) / Σ exp(x) along <paramref name="dim"/>, like <c>torch.softmax</c>.</summary>
    public Tensor Softmax(int dim)
    {
        if (!DType.IsFloatingPoint()) return To(DType.Float32).Softmax(dim);
        int d = ShapeHelper.WrapDim(dim, Dim);
        Tensor r;
        using (GradMode.Set(false))
        {
            var e = Detach().Sub(StableShift(d)).Exp();
            r = e.Div(e.Sum(d, keepDim: true));
        }
        return Graph.Needs(this) ? Graph.Attach(r, new SoftmaxBackward(r, d), this) : r;
    }

    /// <summary>x - log Σ exp(x) along <paramref name="dim"/>, like <c>torch.log_softmax</c>.</summary>
    public Tensor LogSoftmax(int dim)
    {
        if (!DType.IsFloatingPoint()) return To(DType.Float32).LogSoftmax(dim);
        int d = ShapeHelper.WrapDim(dim, Dim);
        Tensor r;
        using (GradMode.Set(false))
        {
            var shifted = Detach().Sub(StableShift(d));
            r = shifted.Sub(shifted.Exp().Sum(d, keepDim: true).Log());
        }
        return Graph.Needs(this) ? Graph.Attach(r, new LogSoftmaxBackward(r, d), this) : r;
    }

    /// <summary>The max along <paramref name="dim"/> (kept), or 0 where it is infinite, so x - shift stays finite.</summary>
    private Tensor StableShift(int dim)
    {
        var m = Detach().ReduceRaw(ReduceMask([dim]), keepDim: true, RowReduction.Max);
        return Where(m.IsInf(), ZerosLike(m), m);
    }
}
