using System.Buffers.Binary;
using System.IO.Compression;
using Descent.Tensors;

namespace Descent.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST (what torchvision's <c>read_sn3_pascalvincent_tensor</c>
/// reads): two zero bytes, an element-type code, the number of dimensions, each dimension as a big-endian int32,
/// then the elements, big-endian. Gzipped files (<c>.gz</c>, as distributed) are recognised by their magic bytes.
/// Malformed or truncated files fail with <see cref="InvalidDataException"/> before any tensor is made.
/// </summary>
public static class IdxReader
{
    /// <summary>The magic number of MNIST's image files: unsigned bytes, 3 dimensions.</summary>
    public const int ImagesMagic = 0x0803;

    /// <summary>The magic number of MNIST's label files: unsigned bytes, 1 dimension.</summary>
    public const int LabelsMagic = 0x0801;

    /// <summary>Reads the IDX file at <paramref name="path"/>; see <see cref="Read(Stream)"/>.</summary>
    public static Tensor Read(string path)
    {
        using var file = File.OpenRead(path);
        return Read(file);
    }

    /// <summary>
    /// Reads one IDX tensor: integer types (unsigned/signed byte, short, int) become int64, float becomes float32
    /// and double float64, with the file's shape. The stream must end where the data ends.
    /// </summary>
    /// <exception cref="InvalidDataException">A bad magic number, an unknown type, or sizes that do not match the data.</exception>
    public static Tensor Read(Stream stream) => ReadChecked(stream, expectedMagic: null, expectedName: null);

    /// <summary>
    /// Reads an MNIST-style image file (magic 2051) as float32 [N, rows, cols]; with <paramref name="normalize"/>
    /// the bytes are divided by 255 as torchvision's ToTensor does, otherwise they stay 0..255.
    /// </summary>
    public static Tensor ReadImages(string path, bool normalize = true)
    {
        using var file = File.OpenRead(path);
        // Unsigned bytes decode straight to float32 (÷255 when normalising, as ToTensor's float().div(255)), without
        // an int64 copy eight times the file's size in between.
        return ReadChecked(file, ImagesMagic, "image", normalize ? 255f : 1f);
    }

    /// <summary>Reads an MNIST-style label file (magic 2049) as int64 [N].</summary>
    public static Tensor ReadLabels(string path)
    {
        using var file = File.OpenRead(path);
        return ReadChecked(file, LabelsMagic, "label");
    }

    /// <summary>Images and labels as a dataset of (image [rows, cols], label) pairs; the counts must agree.</summary>
    public static TensorDataset ReadDataset(string imagesPath, string labelsPath, bool normalize = true)
    {
        var images = ReadImages(imagesPath, normalize);
        var labels = ReadLabels(labelsPath);
        if (images.Size(0) != labels.Size(0))
            throw new InvalidDataException($"{images.Size(0)} images but {labels.Size(0)} labels");
        return new TensorDataset(images, labels);
    }

    private static Tensor ReadChecked(Stream stream, int? expectedMagic, string? expectedName, float? byteDivisor = null)
    {
        var input = Decompressed(stream);
        Span<byte> head = stackalloc byte[4];
        ReadHeader(input, head);
        int magic = BinaryPrimitives.ReadInt32BigEndian(head);
        if (head[0] != 0 || head[1] != 0)
            throw new InvalidDataException($"Not an IDX file: the magic number 0x{magic:x8} does not start with two zero bytes.");
        if (expectedMagic is { } m && magic != m)
            throw new InvalidDataException($"Not an IDX {expectedName} file: magic number {magic} (0x{magic:x8}), expected {m} (0x{m:x8}).");
        var (dtype, size) = head[2] switch
        {
            0x08 => (DType.Int64, 1),
            0x09 => (DType.Int64, 1),
            0x0B => (DType.Int64, 2),
            0x0C => (DType.Int64, 4),
            0x0D => (DType.Float32, 4),
            0x0E => (DType.Float64, 8),
            var code => throw new InvalidDataException($"Unknown IDX element type 0x{code:x2}."),
        };
        int rank = head[3];
        var shape = new int[rank];
        long count = 1;
        Span<byte> dim = stackalloc byte[4];
        for (int d = 0; d < rank; d++)
        {
            ReadHeader(input, dim);
            uint s = BinaryPrimitives.ReadUInt32BigEndian(dim);
            if (s > int.MaxValue) throw new InvalidDataException($"IDX dimension {d} has an invalid size {s}.");
            shape[d] = (int)s;
            count *= s;
            if (count * size > Array.MaxLength) throw new InvalidDataException($"IDX data of shape [{string.Join(", ", shape[..(d + 1)])}] is too large.");
        }
        var bytes = new byte[count * size];
        int got = input.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (got < bytes.Length)
            throw new InvalidDataException($"IDX file truncated: shape [{string.Join(", ", shape)}] needs {bytes.Length} bytes of data, found {got}.");
        if (input.ReadByte() >= 0)
            throw new InvalidDataException($"IDX file has data after the {bytes.Length} bytes its shape [{string.Join(", ", shape)}] accounts for.");
        if (head[2] == 0x08 && byteDivisor is float divisor)
        {
            var f = Tensor.Zeros(shape, DType.Float32);
            var span = f.AsSpan<float>();
            for (int i = 0; i < span.Length; i++) span[i] = bytes[i] / divisor;
            return f;
        }
        return Decode(bytes, head[2], dtype, (int)count, shape);
    }

    private static void ReadHeader(Stream input, Span<byte> into)
    {
        if (input.ReadAtLeast(into, into.Length, throwOnEndOfStream: false) < into.Length)
            throw new InvalidDataException("IDX file truncated in its header.");
    }

    /// <summary>The stream itself, or a decompressing view when it starts with gzip's magic bytes 1f 8b.</summary>
    private static Stream Decompressed(Stream stream)
    {
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        long start = stream.Position;
        int b0 = stream.ReadByte(), b1 = stream.ReadByte();
        stream.Position = start;
        return b0 == 0x1f && b1 == 0x8b ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true) : stream;
    }

    private static Tensor Decode(byte[] bytes, byte code, DType dtype, int count, int[] shape)
    {
        var t = Tensor.Zeros(shape, dtype);
        switch (code)
        {
            case 0x08:
            {
                var d = t.AsSpan<long>();
                for (int i = 0; i < count; i++) d[i] = bytes[i];
                break;
            }
            case 0x09:
            {
                var d = t.AsSpan<long>();
                for (int i = 0; i < count; i++) d[i] = (sbyte)bytes[i];
                break;
            }
            case 0x0B:
            {
                var d = t.AsSpan<long>();
                for (int i = 0; i < count; i++) d[i] = BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(2 * i));
                break;
            }
            case 0x0C:
            {
                var d = t.AsSpan<long>();
                for (int i = 0; i < count; i++) d[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 * i));
                break;
            }
            case 0x0D:
            {
                var d = t.AsSpan<float>();
                for (int i = 0; i < count; i++) d[i] = BinaryPrimitives.ReadSingleBigEndian(bytes.AsSpan(4 * i));
                break;
            }
            default:
            {
                var d = t.AsSpan<double>();
                for (int i = 0; i < count; i++) d[i] = BinaryPrimitives.ReadDoubleBigEndian(bytes.AsSpan(8 * i));
                break;
            }
        }
        return t;
    }
}
