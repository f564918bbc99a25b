using System.Buffers.Binary;
using System.IO.Compression;
using Descent.Data;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Data;

/// <summary>The IDX (MNIST) reader on small files written here: types, gzip, and refusal of malformed files.</summary>
public sealed class IdxReaderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("descent-idx-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>An IDX file: 0, 0, type, rank, big-endian dims, then the payload.</summary>
    private static byte[] Idx(byte type, int[] dims, byte[] payload)
    {
        var r = new byte[4 + 4 * dims.Length + payload.Length];
        r[2] = type;
        r[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(r.AsSpan(4 + 4 * i), dims[i]);
        payload.CopyTo(r, 4 + 4 * dims.Length);
        return r;
    }

    private string Write(string name, byte[] content, bool gzip = false)
    {
        var path = Path.Combine(dir, name);
        if (!gzip)
        {
            File.WriteAllBytes(path, content);
            return path;
        }
        using var file = File.Create(path);
        using var z = new GZipStream(file, CompressionLevel.Optimal);
        z.Write(content);
        return path;
    }

    private static readonly byte[] Pixels = [0, 255, 128, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Fact]
    public void ReadsImagesAndLabels()
    {
        var images = Write("images-idx3-ubyte", Idx(0x08, [3, 2, 2], Pixels));
        var labels = Write("labels-idx1-ubyte", Idx(0x08, [3], [7, 0, 9]));
        var x = IdxReader.ReadImages(images);
        Assert.Equal([3, 2, 2], x.Shape);
        Assert.Equal(DType.Float32, x.DType);
        Assert.Equal([0f, 1f, 128 / 255f, 1 / 255f], x[0].Reshape(-1).ToArray());
        Assert.Equal(255f, IdxReader.ReadImages(images, normalize: false).ToArray()[1]);
        var y = IdxReader.ReadLabels(labels);
        Assert.Equal(DType.Int64, y.DType);
        Assert.Equal([7L, 0L, 9L], y.ToArray<long>());
        var ds = IdxReader.ReadDataset(images, labels);
        Assert.Equal(3, ds.Count);
        Assert.Equal(9L, ds[2][1].Item<long>());
    }

    [Fact]
    public void ReadsGzippedFiles()
    {
        var path = Write("labels-idx1-ubyte.gz", Idx(0x08, [4], [1, 2, 3, 4]), gzip: true);
        Assert.Equal([1L, 2L, 3L, 4L], IdxReader.ReadLabels(path).ToArray<long>());
        using var s = new MemoryStream(File.ReadAllBytes(path));
        Assert.Equal([4], IdxReader.Read(s).Shape);
    }

    [Fact]
    public void ReadsEveryElementType()
    {
        var shorts = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(shorts, -2);
        BinaryPrimitives.WriteInt16BigEndian(shorts.AsSpan(2), 300);
        Assert.Equal([-2L, 300L], IdxReader.Read(new MemoryStream(Idx(0x0B, [2], shorts))).ToArray<long>());
        var ints = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(ints, -70000);
        Assert.Equal([-70000L], IdxReader.Read(new MemoryStream(Idx(0x0C, [1], ints))).ToArray<long>());
        Assert.Equal([-1L, 127L], IdxReader.Read(new MemoryStream(Idx(0x09, [2], [0xff, 0x7f]))).ToArray<long>());
        var floats = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(floats, 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(floats.AsSpan(4), -0.25f);
        var f = IdxReader.Read(new MemoryStream(Idx(0x0D, [1, 2], floats)));
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal([1, 2], f.Shape);
        Assert.Equal([1.5f, -0.25f], f.ToArray());
        var doubles = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(doubles, Math.PI);
        var d = IdxReader.Read(new MemoryStream(Idx(0x0E, [1], doubles)));
        Assert.Equal(DType.Float64, d.DType);
        Assert.Equal(Math.PI, d.Item());
    }

    [Fact]
    public void RefusesWrongMagicNumbers()
    {
        var labels = Write("labels", Idx(0x08, [3], [7, 0, 9]));
        Assert.Equal("Not an IDX image file: magic number 2049 (0x00000801), expected 2051 (0x00000803).",
            Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(labels)).Message);
        var bad = Idx(0x08, [1], [1]);
        bad[0] = 0x50;
        Assert.StartsWith("Not an IDX file", Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(bad))).Message);
        Assert.Equal("Unknown IDX element type 0x0a.", Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(Idx(0x0A, [1], [1])))).Message);
    }

    [Fact]
    public void RefusesTruncatedFiles()
    {
        var full = Idx(0x08, [3, 2, 2], Pixels);
        Assert.Equal("IDX file truncated: shape [3, 2, 2] needs 12 bytes of data, found 11.",
            Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(full[..^1]))).Message);
        Assert.Equal("IDX file truncated in its header.",
            Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(full[..9]))).Message);
        Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(Array.Empty<byte>())));
        var gz = Write("images.gz", full[..^3], gzip: true);
        Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(gz));
    }

    [Fact]
    public void RefusesSizesThatDoNotMatchTheData()
    {
        Assert.StartsWith("IDX file has data after the 3 bytes",
            Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(Idx(0x08, [3], [1, 2, 3, 4])))).Message);
        var negative = Idx(0x08, [1], [1]);
        negative[4] = 0x80;
        Assert.StartsWith("IDX dimension 0 has an invalid size", Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(negative))).Message);
        var images = Write("i", Idx(0x08, [3, 2, 2], Pixels));
        var labels = Write("l", Idx(0x08, [2], [1, 2]));
        Assert.Equal("3 images but 2 labels", Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(images, labels)).Message);
    }
}
