using System.Runtime.InteropServices;
using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>Converts between Descent storages and the little-endian bytes torch.save writes for them.</summary>
internal static class StorageBytes
{
    /// <summary>A Descent storage holding a copy of <paramref name="bytes"/>, read as little-endian <paramref name="dtype"/> elements.</summary>
    public static Storage ToStorage(DType dtype, ReadOnlySpan<byte> bytes)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("checkpoints are read on little-endian machines only");
        switch (dtype)
        {
            case DType.Float32: return new Storage<float>(MemoryMarshal.Cast<byte, float>(bytes).ToArray());
            case DType.Float64: return new Storage<double>(MemoryMarshal.Cast<byte, double>(bytes).ToArray());
            case DType.Int64: return new Storage<long>(MemoryMarshal.Cast<byte, long>(bytes).ToArray());
            case DType.Int32: return new Storage<int>(MemoryMarshal.Cast<byte, int>(bytes).ToArray());
            default:
                // A bool byte other than 0 or 1 would be an invalid CLR bool; normalise as PyTorch reads nonzero as True.
                var b = new bool[bytes.Length];
                for (int i = 0; i < b.Length; i++) b[i] = bytes[i] != 0;
                return new Storage<bool>(b);
        }
    }

    /// <summary>The storage's elements as little-endian bytes (a copy).</summary>
    public static byte[] ToBytes(Storage storage)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("checkpoints are written on little-endian machines only");
        return storage switch
        {
            Storage<float> f => MemoryMarshal.AsBytes(f.Data.AsSpan()).ToArray(),
            Storage<double> d => MemoryMarshal.AsBytes(d.Data.AsSpan()).ToArray(),
            Storage<long> l => MemoryMarshal.AsBytes(l.Data.AsSpan()).ToArray(),
            Storage<int> n => MemoryMarshal.AsBytes(n.Data.AsSpan()).ToArray(),
            Storage<bool> b => MemoryMarshal.AsBytes(b.Data.AsSpan()).ToArray(),
            _ => throw new NotSupportedException($"cannot save a storage of {storage.DType}"),
        };
    }

    /// <summary>Reverses the byte order of every element of a storage of <paramref name="info"/>, for files written big-endian.</summary>
    public static void SwapInPlace(Span<byte> bytes, StorageTypes.Info info)
    {
        // A complex number is two floats, each swapped on its own.
        int unit = info.Name.StartsWith("Complex", StringComparison.Ordinal) ? info.ElementSize / 2 : info.ElementSize;
        if (unit == 1) return;
        for (int i = 0; i + unit <= bytes.Length; i += unit) bytes.Slice(i, unit).Reverse();
    }
}
