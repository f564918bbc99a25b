using System.Buffers.Binary;
using System.IO.Compression;

namespace Descent.Cli.Experiments;

/// <summary>
/// A minimal reader for the IDX files MNIST and Fashion-MNIST ship as (unsigned bytes only, optionally gzipped).
/// Kept private to the lab until the library has its own reader.
/// </summary>
internal static class IdxFile
{
    /// <summary>Finds <paramref name="baseName"/> in <paramref name="directory"/>, plain or with <c>.gz</c>; null when absent.</summary>
    public static string? Find(string directory, string baseName)
    {
        foreach (var name in new[] { baseName, baseName + ".gz" })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>Reads an unsigned-byte IDX file: its dimensions and at most <paramref name="limit"/> items along the first one.</summary>
    public static (int[] Shape, byte[] Data) Read(string path, int limit = int.MaxValue)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        Span<byte> header = stackalloc byte[4];
        stream.ReadExactly(header);
        if (header[0] != 0 || header[1] != 0) throw new InvalidDataException($"{path} is not an IDX file");
        if (header[2] != 0x08) throw new InvalidDataException($"{path}: only unsigned-byte IDX files are supported (type 0x{header[2]:x2})");
        int dims = header[3];
        if (dims is < 1 or > 4) throw new InvalidDataException($"{path}: bad IDX dimension count {dims}");
        var shape = new int[dims];
        for (int i = 0; i < dims; i++)
        {
            stream.ReadExactly(header);
            shape[i] = checked((int)BinaryPrimitives.ReadUInt32BigEndian(header));
        }
        shape[0] = Math.Min(shape[0], limit);
        long count = 1;
        foreach (int d in shape) count *= d;
        var data = new byte[checked((int)count)];
        stream.ReadExactly(data);
        return (shape, data);
    }
}
