using System.Numerics;
using Descent.Tensors;

namespace Descent.Optim.Kernels;

/// <summary>
/// A contiguous float32 or float64 tensor's elements as array and offset: unlike a span it can be stored in a job that
/// another thread runs. A default slice stands for an unused optional buffer and yields empty spans. A job reads
/// <see cref="IsDouble"/> of its parameter's slice to pick the kernel's instantiation; all its slices share that dtype.
/// </summary>
internal readonly struct TensorSlice
{
    private readonly Array? array;
    private readonly int offset;

    private TensorSlice(Array array, int offset)
    {
        this.array = array;
        this.offset = offset;
    }

    /// <summary>The elements of <paramref name="t"/>, which must be contiguous float32 or float64.</summary>
    public static TensorSlice Of(Tensor t)
    {
        if (!t.IsContiguous) throw new InvalidOperationException("optimizer kernels need contiguous tensors");
        return t.DType switch
        {
            DType.Float32 => new TensorSlice(t.Data<float>(), t.StorageOffset),
            DType.Float64 => new TensorSlice(t.Data<double>(), t.StorageOffset),
            _ => throw new InvalidOperationException($"optimizer kernels step float32 and float64 tensors, not {t.DType.TorchName()}"),
        };
    }

    /// <summary>As <see cref="Of"/>, or an empty slice for null.</summary>
    public static TensorSlice OfOptional(Tensor? t) => t is null ? default : Of(t);

    /// <summary>Whether the elements are float64.</summary>
    public bool IsDouble => array is double[];

    /// <summary>Elements [start, start + length) as <typeparamref name="T"/> (the slice's own type), or an empty span for an unused buffer.</summary>
    public Span<T> Span<T>(int start, int length) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        array is null ? default : new Span<T>((T[])array, offset + start, length);
}
