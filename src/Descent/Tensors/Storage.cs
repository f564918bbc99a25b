namespace Descent.Tensors;

/// <summary>The flat memory a tensor views. Several tensors (views) can share one storage.</summary>
public abstract class Storage
{
    // A field, not a virtual property: every op asks, and small tensors make the asking a visible cost.
    private protected Storage(DType dtype) => DType = dtype;

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Number of elements.</summary>
    public abstract int Length { get; }

    /// <summary>
    /// Bumped by every in-place write, like PyTorch's version counter: autograd uses it to refuse
    /// a backward pass through a tensor that was modified after it was saved.
    /// </summary>
    public int Version { get; internal set; }

    /// <summary>The underlying array.</summary>
    public abstract Array Array { get; }

    internal static Storage Allocate(DType dtype, int length) => dtype switch
    {
        DType.Float32 => new Storage<float>(new float[length]),
        DType.Float64 => new Storage<double>(new double[length]),
        DType.Int64 => new Storage<long>(new long[length]),
        DType.Int32 => new Storage<int>(new int[length]),
        _ => new Storage<bool>(new bool[length]),
    };

    /// <summary>
    /// Storage whose every element the caller writes before anything reads it: large floating-point buffers skip
    /// the runtime's zeroing, a visible share of a small network's step.
    /// </summary>
    internal static Storage AllocateForOverwrite(DType dtype, int length) => dtype switch
    {
        DType.Float32 => new Storage<float>(GC.AllocateUninitializedArray<float>(length)),
        DType.Float64 => new Storage<double>(GC.AllocateUninitializedArray<double>(length)),
        _ => Allocate(dtype, length),
    };
}

/// <summary>A storage of elements of type <typeparamref name="T"/>.</summary>
public sealed class Storage<T> : Storage where T : unmanaged
{
    /// <summary>Wraps an array without copying it.</summary>
    public Storage(T[] data) : base(TypeOf<T>.DType) => Data = data;

    /// <summary>The elements.</summary>
    public T[] Data { get; }

    /// <inheritdoc/>
    public override int Length => Data.Length;

    /// <inheritdoc/>
    public override Array Array => Data;
}

/// <summary>Maps a CLR element type to its <see cref="DType"/>.</summary>
internal static class TypeOf<T>
{
    public static readonly DType DType =
        typeof(T) == typeof(float) ? DType.Float32 :
        typeof(T) == typeof(double) ? DType.Float64 :
        typeof(T) == typeof(long) ? DType.Int64 :
        typeof(T) == typeof(int) ? DType.Int32 :
        typeof(T) == typeof(bool) ? DType.Bool :
        throw new NotSupportedException($"No tensor dtype for {typeof(T)}.");
}
