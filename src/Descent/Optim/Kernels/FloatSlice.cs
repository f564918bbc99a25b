using Descent.Tensors;

namespace Descent.Optim.Kernels;

/// <summary>
/// A contiguous float32 tensor's elements as array and offset: unlike a span it can be stored in a job that another
/// thread runs. A default slice stands for an unused optional buffer and yields empty spans.
/// </summary>
internal readonly struct FloatSlice
{
    private readonly float[]? array;
    private readonly int offset;

    private FloatSlice(float[] array, int offset)
    {
        this.array = array;
        this.offset = offset;
    }

    /// <summary>The elements of <paramref name="t"/>, which must be contiguous float32.</summary>
    public static FloatSlice Of(Tensor t)
    {
        if (!t.IsContiguous) throw new InvalidOperationException("optimizer kernels need contiguous tensors");
        return new FloatSlice(t.Data<float>(), t.StorageOffset);
    }

    /// <summary>As <see cref="Of"/>, or an empty slice for null.</summary>
    public static FloatSlice OfOptional(Tensor? t) => t is null ? default : Of(t);

    /// <summary>Elements [start, start + length), or an empty span for an unused buffer.</summary>
    public Span<float> Span(int start, int length) => array is null ? default : new Span<float>(array, offset + start, length);
}
