using System.Buffers.Binary;
using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>
/// Widens the elements of PyTorch dtypes Descent has no tensors for — float16 and bfloat16, and the small integer
/// types — to float32 and int64, which hold every one of their values exactly (what <c>tensor.float()</c> or
/// <c>tensor.long()</c> gives in PyTorch). Complex numbers have no Descent counterpart and are refused.
/// </summary>
internal static class RawElements
{
    /// <summary>Whether the storage class holds floating-point elements that widen to float32.</summary>
    public static bool IsHalfPrecision(string storageType) => storageType is "HalfStorage" or "BFloat16Storage";

    /// <summary>Whether the storage class holds integers that widen to int64.</summary>
    public static bool IsSmallInteger(string storageType) => storageType is "IntStorage" or "ShortStorage" or "CharStorage" or "ByteStorage";

    /// <summary>
    /// A contiguous tensor of <paramref name="shape"/> over the widened elements of <paramref name="bytes"/>
    /// (little-endian, row-major): float32 for float16/bfloat16, int64 for the integer types.
    /// </summary>
    /// <exception cref="NotSupportedException">For complex storages, which have no Descent dtype.</exception>
    public static Tensor Widen(ReadOnlySpan<byte> bytes, string storageType, int[] shape)
    {
        var info = StorageTypes.Find(storageType) ?? throw new ArgumentException($"unknown storage type '{storageType}'");
        int n = bytes.Length / info.ElementSize;
        Storage storage;
        switch (storageType)
        {
            case "HalfStorage":
            {
                var f = new float[n];
                for (int i = 0; i < n; i++) f[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]));
                storage = new Storage<float>(f);
                break;
            }
            case "BFloat16Storage":
            {
                // bfloat16 is the top half of a float32: widening is a shift (NaN payloads and signed zeros kept).
                var f = new float[n];
                for (int i = 0; i < n; i++) f[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16);
                storage = new Storage<float>(f);
                break;
            }
            case "IntStorage":
            case "ShortStorage":
            case "CharStorage":
            case "ByteStorage":
            {
                var l = new long[n];
                for (int i = 0; i < n; i++)
                {
                    var e = bytes[(i * info.ElementSize)..];
                    l[i] = storageType switch
                    {
                        "IntStorage" => BinaryPrimitives.ReadInt32LittleEndian(e),
                        "ShortStorage" => BinaryPrimitives.ReadInt16LittleEndian(e),
                        "CharStorage" => (sbyte)e[0],
                        _ => e[0],
                    };
                }
                storage = new Storage<long>(l);
                break;
            }
            default:
                throw new NotSupportedException($"{info.TorchDType} has no Descent dtype to convert to");
        }
        return new Tensor(storage, (int[])shape.Clone());
    }
}
