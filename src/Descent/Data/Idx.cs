using System.Buffers.Binary;
using Descent.Tensors;

namespace Descent.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST (what torchvision's <c>read_sn3_pascalvincent_tensor</c>
/// reads): two zero bytes, an element-type code, the number of dimensions, each dimension as a big-endian int32,
/// then the elements, big-endian. Gzipped files (<c>.gz</c>, as distributed) are recognised by their magic bytes.
/// </summary>
/// <remarks>
/// Malformed, truncated or hostile files fail with <see cref="InvalidDataException"/> before any tensor is made;
/// <see cref="IOException"/> is left to the file system's own errors. The size the header declares is checked before
/// anything is allocated for the data: its product must fit a tensor, it must be within
/// <see cref="IdxLimits.MaxDataBytes"/>, a plain file must be exactly that long, and a gzipped one must not declare
/// more than <see cref="IdxLimits.MaxInflationRatio"/> times its compressed size. Data is then read in chunks, so
/// memory grows only with the bytes actually there (or actually inflated). A gzipped file must be a single gzip member
/// whose trailer (CRC-32 and length) ends the file, and must inflate to exactly the size its header declares.
/// </remarks>
public static class IdxReader
{
    /// <summary>The magic number of MNIST's image files: unsigned bytes, 3 dimensions.</summary>
    public const int ImagesMagic = 0x0803;

    /// <summary>The magic number of MNIST's label files: unsigned bytes, 1 dimension.</summary>
    public const int LabelsMagic = 0x0801;

    // A power of two, so that no element (1, 2, 4 or 8 bytes) straddles two chunks.
    private const int ChunkBytes = 1 << 20;

    /// <summary>Reads the IDX file at <paramref name="path"/>; see <see cref="Read(Stream, IdxLimits?)"/>.</summary>
    public static Tensor Read(string path, IdxLimits? limits = null)
    {
        using var file = File.OpenRead(path);
        return Read(file, limits);
    }

    /// <summary>
    /// Reads one IDX tensor: integer types (unsigned/signed byte, short, int) become int64, float becomes float32
    /// and double float64, with the file's shape. The stream must end where the data ends.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// A bad magic number, an unknown type, a shape over the limits, or sizes that do not match the data.
    /// </exception>
    public static Tensor Read(Stream stream, IdxLimits? limits = null) => ReadChecked(stream, null, null, null, limits);

    /// <summary>
    /// Reads an MNIST-style image file (magic 2051) as float32 [N, rows, cols]; with <paramref name="normalize"/>
    /// the bytes are divided by 255 as torchvision's ToTensor does, otherwise they stay 0..255.
    /// </summary>
    public static Tensor ReadImages(string path, bool normalize = true, IdxLimits? limits = null)
    {
        using var file = File.OpenRead(path);
        return ReadImages(file, normalize, limits);
    }

    /// <summary>Reads an MNIST-style image file from a stream; see <see cref="ReadImages(string, bool, IdxLimits?)"/>.</summary>
    public static Tensor ReadImages(Stream stream, bool normalize = true, IdxLimits? limits = null) =>
        // Unsigned bytes decode straight to float32 (÷255 when normalising, as ToTensor's float().div(255)), without
        // an int64 copy eight times the file's size in between.
        ReadChecked(stream, ImagesMagic, "image", normalize ? 255f : 1f, limits);

    /// <summary>
    /// Reads an MNIST-style label file (magic 2049) as int64 [N]. With <paramref name="numClasses"/>, every label must
    /// be a class index in [0, numClasses) (see <see cref="CheckLabels"/>).
    /// </summary>
    public static Tensor ReadLabels(string path, int? numClasses = null, IdxLimits? limits = null)
    {
        using var file = File.OpenRead(path);
        return ReadLabels(file, numClasses, limits);
    }

    /// <summary>Reads an MNIST-style label file from a stream; see <see cref="ReadLabels(string, int?, IdxLimits?)"/>.</summary>
    public static Tensor ReadLabels(Stream stream, int? numClasses = null, IdxLimits? limits = null)
    {
        var labels = ReadChecked(stream, LabelsMagic, "label", null, limits);
        if (numClasses is int k) CheckLabels(labels, k);
        return labels;
    }

    /// <summary>
    /// Images and labels as a dataset of (image [rows, cols], label) pairs; the counts must agree, and with
    /// <paramref name="numClasses"/> every label must be a class index in [0, numClasses).
    /// </summary>
    public static TensorDataset ReadDataset(string imagesPath, string labelsPath, bool normalize = true, int? numClasses = null,
        IdxLimits? limits = null)
    {
        var images = ReadImages(imagesPath, normalize, limits);
        var labels = ReadLabels(labelsPath, numClasses, limits);
        if (images.Size(0) != labels.Size(0))
            throw new InvalidDataException($"{images.Size(0)} images but {labels.Size(0)} labels");
        return new TensorDataset(images, labels);
    }

    /// <summary>
    /// Checks that every element of an int64 label tensor is a class index in [0, <paramref name="numClasses"/>), as
    /// cross-entropy needs; the first that is not is named, with its (flat) index.
    /// </summary>
    /// <exception cref="InvalidDataException">A label outside the classes.</exception>
    public static void CheckLabels(Tensor labels, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        if (labels.DType != DType.Int64) throw new ArgumentException($"labels must be int64, not {labels.DType.TorchName()}", nameof(labels));
        var values = labels.Contiguous().AsSpan<long>();
        for (int i = 0; i < values.Length; i++)
            if ((ulong)values[i] >= (ulong)numClasses)
                throw new InvalidDataException(
                    $"IDX label {values[i]} at index {i} is outside the {numClasses} classes (expected 0 to {numClasses - 1}).");
    }

    /// <summary>
    /// Finds <paramref name="baseName"/> in <paramref name="directory"/> as MNIST and Fashion-MNIST ship it, plain or
    /// with <c>.gz</c> (the plain file first); null when neither exists.
    /// </summary>
    public static string? Find(string directory, string baseName)
    {
        foreach (var name in new[] { baseName, baseName + ".gz" })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    private static Tensor ReadChecked(Stream stream, int? expectedMagic, string? expectedName, float? byteDivisor, IdxLimits? limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= IdxLimits.Default;
        if (!stream.CanSeek)
        {
            // The checks below need the input's length; a pipe is read into memory (as large as the input itself).
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        long available = stream.Length - stream.Position;
        using var gzip = StartsWithGzipMagic(stream) ? GzipMember.Open(stream, available) : null;
        var input = gzip?.Content ?? stream;

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
        // extent: the product of the dimensions with zeros counted as ones, which the tensor's strides must hold
        // (a zero dimension must not let the others grow without bound); count: the number of elements.
        long count = 1, extent = 1;
        Span<byte> dim = stackalloc byte[4];
        for (int d = 0; d < rank; d++)
        {
            ReadHeader(input, dim);
            uint s = BinaryPrimitives.ReadUInt32BigEndian(dim);
            if (s > int.MaxValue) throw new InvalidDataException($"IDX dimension {d} has an invalid size {s}.");
            shape[d] = (int)s;
            // Both stay at most int.MaxValue before the step, and s is below 2^31: neither product can overflow.
            count = checked(count * s);
            extent = checked(extent * Math.Max(s, 1u));
            if (extent > int.MaxValue)
                throw new InvalidDataException(
                    $"IDX shape [{string.Join(", ", shape[..(d + 1)])}{(d + 1 < rank ? ", ..." : "")}] is too large: its dimensions multiply to more than {int.MaxValue}.");
        }
        long headerBytes = 4 + 4L * rank, dataBytes = count * size;
        string Shape() => $"[{string.Join(", ", shape)}]";
        if (dataBytes > limits.MaxDataBytes)
            throw new InvalidDataException(
                $"IDX shape {Shape()} declares {dataBytes} bytes of data, more than the limit of {limits.MaxDataBytes} (IdxLimits.MaxDataBytes).");
        if (gzip is not null)
        {
            long allowed = limits.InflatedBytesAllowed(available);
            if (headerBytes + dataBytes > allowed)
                throw new InvalidDataException(
                    $"IDX gzip file of {available} bytes declares {headerBytes + dataBytes} bytes of content (shape {Shape()}): more than the "
                    + $"{allowed} allowed by an inflation ratio of {limits.MaxInflationRatio}:1 (IdxLimits.MaxInflationRatio).");
        }
        else
        {
            long found = available - headerBytes;
            if (found < dataBytes) throw Truncated(Shape(), dataBytes, found);
            if (found > dataBytes) throw TooLong(Shape(), dataBytes);
        }

        var chunks = new byte[(int)((dataBytes + ChunkBytes - 1) / ChunkBytes)][];
        long got = 0;
        for (int c = 0; c < chunks.Length; c++)
        {
            int want = (int)Math.Min(ChunkBytes, dataBytes - got);
            var chunk = new byte[want];
            int n = input.ReadAtLeast(chunk, want, throwOnEndOfStream: false);
            got += n;
            if (n < want) throw Truncated(Shape(), dataBytes, got);
            chunks[c] = chunk;
        }
        if (input.ReadByte() >= 0)
            throw gzip is null ? TooLong(Shape(), dataBytes)
                : new InvalidDataException($"IDX gzip file inflates past the {headerBytes + dataBytes} bytes of content its shape {Shape()} accounts for.");
        gzip?.CheckTrailer();
        return Decode(chunks, head[2], dtype, size, shape, byteDivisor);
    }

    private static InvalidDataException Truncated(string shape, long needed, long found) =>
        new($"IDX file truncated: shape {shape} needs {needed} bytes of data, found {found}.");

    private static InvalidDataException TooLong(string shape, long bytes) =>
        new($"IDX file has data after the {bytes} bytes its shape {shape} accounts for.");

    private static bool StartsWithGzipMagic(Stream stream)
    {
        long start = stream.Position;
        int b0 = stream.ReadByte(), b1 = stream.ReadByte();
        stream.Position = start;
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static void ReadHeader(Stream input, Span<byte> into)
    {
        if (input.ReadAtLeast(into, into.Length, throwOnEndOfStream: false) < into.Length)
            throw new InvalidDataException("IDX file truncated in its header.");
    }

    /// <summary>The tensor of the data, decoded chunk by chunk (no element straddles two chunks).</summary>
    private static Tensor Decode(byte[][] chunks, byte code, DType dtype, int size, int[] shape, float? byteDivisor)
    {
        if (code == 0x08 && byteDivisor is float divisor)
        {
            var f = Tensor.Zeros(shape, DType.Float32);
            var span = f.AsSpan<float>();
            int at = 0;
            foreach (var chunk in chunks)
            {
                var dst = span.Slice(at, chunk.Length);
                for (int i = 0; i < chunk.Length; i++) dst[i] = chunk[i] / divisor;
                at += chunk.Length;
            }
            return f;
        }
        var t = Tensor.Zeros(shape, dtype);
        int offset = 0;
        foreach (var bytes in chunks)
        {
            int count = bytes.Length / size;
            switch (code)
            {
                case 0x08:
                {
                    var d = t.AsSpan<long>().Slice(offset, count);
                    for (int i = 0; i < count; i++) d[i] = bytes[i];
                    break;
                }
                case 0x09:
                {
                    var d = t.AsSpan<long>().Slice(offset, count);
                    for (int i = 0; i < count; i++) d[i] = (sbyte)bytes[i];
                    break;
                }
                case 0x0B:
                {
                    var d = t.AsSpan<long>().Slice(offset, count);
                    for (int i = 0; i < count; i++) d[i] = BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(2 * i));
                    break;
                }
                case 0x0C:
                {
                    var d = t.AsSpan<long>().Slice(offset, count);
                    for (int i = 0; i < count; i++) d[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 * i));
                    break;
                }
                case 0x0D:
                {
                    var d = t.AsSpan<float>().Slice(offset, count);
                    for (int i = 0; i < count; i++) d[i] = BinaryPrimitives.ReadSingleBigEndian(bytes.AsSpan(4 * i));
                    break;
                }
                default:
                {
                    var d = t.AsSpan<double>().Slice(offset, count);
                    for (int i = 0; i < count; i++) d[i] = BinaryPrimitives.ReadDoubleBigEndian(bytes.AsSpan(8 * i));
                    break;
                }
            }
            offset += count;
        }
        return t;
    }
}
