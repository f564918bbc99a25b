using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>
/// A tensor of a dtype Descent has no <see cref="DType"/> for (uint8, int32, float16, bfloat16, …), kept as raw
/// little-endian storage bytes with PyTorch's view geometry so it survives a load/save round trip;
/// <see cref="ToTensor"/> converts it. The RNG state
/// a <see cref="Checkpoint"/> stores is one: a uint8 tensor, like <c>torch.get_rng_state()</c>.
/// </summary>
public sealed class RawTensor
{
    /// <summary>A view of <paramref name="storageBytes"/> (not copied).</summary>
    public RawTensor(string storageType, byte[] storageBytes, int[] shape, int[] strides, int storageOffset, bool requiresGrad = false)
    {
        var info = StorageTypes.Find(storageType) ?? throw new ArgumentException($"unknown storage type '{storageType}'");
        if (storageBytes.Length % info.ElementSize != 0)
            throw new ArgumentException($"{storageBytes.Length} bytes is not a whole number of {info.ElementSize}-byte elements");
        TensorGeometry.Check(shape, strides, storageOffset, storageBytes.Length / info.ElementSize, "raw tensor");
        StorageType = storageType;
        StorageBytes = storageBytes;
        Shape = shape;
        Strides = strides;
        StorageOffset = storageOffset;
        RequiresGrad = requiresGrad;
    }

    /// <summary>A 1-D uint8 tensor over a copy of <paramref name="bytes"/>, like <c>torch.get_rng_state()</c>.</summary>
    public static RawTensor FromBytes(ReadOnlySpan<byte> bytes) =>
        new("ByteStorage", bytes.ToArray(), [bytes.Length], [1], 0);

    /// <summary>The storage class name, e.g. <c>ByteStorage</c>.</summary>
    public string StorageType { get; }

    /// <summary>PyTorch's dtype name, e.g. <c>torch.uint8</c>.</summary>
    public string TorchDType => StorageTypes.Find(StorageType)!.TorchDType;

    /// <summary>Bytes per element.</summary>
    public int ElementSize => StorageTypes.Find(StorageType)!.ElementSize;

    /// <summary>The whole storage, little-endian.</summary>
    public byte[] StorageBytes { get; }

    /// <summary>The shape.</summary>
    public int[] Shape { get; }

    /// <summary>Strides in elements.</summary>
    public int[] Strides { get; }

    /// <summary>Offset of the first element, in elements.</summary>
    public int StorageOffset { get; }

    /// <summary>Whether the tensor required grad when saved.</summary>
    public bool RequiresGrad { get; }

    /// <summary>The elements' bytes in row-major order (a copy).</summary>
    public byte[] ToBytes()
    {
        int es = ElementSize, n = ShapeHelper.Numel(Shape);
        var result = new byte[n * es];
        Span<int> idx = stackalloc int[Math.Max(Shape.Length, 1)];
        idx.Clear();
        for (int i = 0; i < n; i++)
        {
            long pos = StorageOffset;
            for (int d = 0; d < Shape.Length; d++) pos += (long)idx[d] * Strides[d];
            StorageBytes.AsSpan((int)(pos * es), es).CopyTo(result.AsSpan(i * es, es));
            for (int d = Shape.Length - 1; d >= 0; d--)
            {
                if (++idx[d] < Shape[d]) break;
                idx[d] = 0;
            }
        }
        return result;
    }

    /// <summary>
    /// The values as a Descent tensor of <paramref name="dtype"/>: float16 and bfloat16 widen exactly to float32 and
    /// the small integer types to int64 (as <c>tensor.float()</c> and <c>tensor.long()</c> would), then convert to
    /// <paramref name="dtype"/>. A floating-point result keeps <see cref="RequiresGrad"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">For complex tensors, which have no Descent dtype.</exception>
    public Tensor ToTensor(DType dtype = DType.Float32)
    {
        var t = RawElements.Widen(ToBytes(), StorageType, Shape).To(dtype);
        if (RequiresGrad && dtype.IsFloatingPoint()) t.RequiresGrad = true;
        return t;
    }

    /// <inheritdoc/>
    public override string ToString() => $"tensor {ShapeHelper.Format(Shape)} {TorchDType}";
}
