using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using Descent.Data;
using Xunit;

namespace Descent.Tests.Data;

/// <summary>
/// Hostile IDX files: truncated headers, huge and wrapping shapes, gzip bombs, bad magic and element types, labels
/// outside the classes. Each must be refused with <see cref="InvalidDataException"/>, quickly, and without allocating
/// much more than the input (the reader checks what a header declares before allocating for it).
/// </summary>
public sealed class IdxHostileTests
{
    private const int BombBytes = 200_000_000;

    /// <summary>An IDX header: 0, 0, type, rank, then the dimensions as big-endian uint32.</summary>
    private static byte[] Header(byte type, params uint[] dims)
    {
        var r = new byte[4 + 4 * dims.Length];
        r[2] = type;
        r[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(4 + 4 * i), dims[i]);
        return r;
    }

    private static byte[] Gzip(byte[] header, long zeros = 0, byte[]? payload = null)
    {
        var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(header);
            var block = new byte[1 << 20];
            for (long left = zeros; left > 0; left -= block.Length) z.Write(block, 0, (int)Math.Min(block.Length, left));
            if (payload is not null) z.Write(payload);
        }
        return ms.ToArray();
    }

    // Compressing 200 MB of zeros takes a moment: once for all cases.
    private static readonly Lazy<byte[]> DeclaredBomb = new(() => Gzip(Header(0x08, BombBytes), BombBytes));
    private static readonly Lazy<byte[]> UndeclaredBomb = new(() => Gzip(Header(0x08, 10), BombBytes));

    private static readonly byte[] SmallGzip = Gzip(Header(0x08, 3, 2, 2), payload: [0, 255, 128, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    private enum As { Any, Images, Labels10 }

    private static readonly Dictionary<string, (Func<byte[]> Input, As Reader, string Message)> Cases = new()
    {
        ["empty"] = (() => [], As.Any, "truncated in its header"),
        ["three bytes"] = (() => [0, 0, 8], As.Any, "truncated in its header"),
        ["rank 3, two dims"] = (() => Header(0x08, 60000, 28, 28)[..12], As.Any, "truncated in its header"),
        ["12-byte header declaring 512 MiB"] = (() => Header(0x08, 1 << 14, 1 << 15), As.Any, "needs 536870912 bytes of data, found 0"),
        ["12-byte header declaring 2 GiB"] = (() => Header(0x08, 1 << 16, 1 << 15), As.Any, "too large"),
        ["12-byte header declaring 4 GiB of int32"] = (() => Header(0x0C, 1 << 15, 1 << 15), As.Any, "more than the limit"),
        ["images header, no pixels"] = (() => Header(0x08, 60000, 28, 28), As.Images, "needs 47040000 bytes of data, found 0"),
        ["doubles 2^31-1"] = (() => Header(0x0E, int.MaxValue), As.Any, "more than the limit"),
        ["dimension over int32"] = (() => Header(0x08, 0x80000000u), As.Any, "invalid size 2147483648"),
        ["dimension 2^32-1"] = (() => Header(0x08, uint.MaxValue), As.Any, "invalid size"),
        ["product 2^48"] = (() => Header(0x08, 1 << 16, 1 << 16, 1 << 16), As.Any, "too large"),
        ["product wraps to 0 in int32"] = (() => Header(0x08, 1 << 16, 1 << 16), As.Any, "too large"),
        ["product wraps to 131073 in int32"] = (() => [.. Header(0x08, 65537, 65537), .. new byte[131073]], As.Any, "too large"),
        ["zero dim beside huge ones"] = (() => Header(0x08, 0, int.MaxValue, int.MaxValue), As.Any, "too large"),
        ["rank 255 of 2s"] = (() => Header(0x08, Enumerable.Repeat(2u, 255).ToArray()), As.Any, "too large"),
        ["rank 255 truncated"] = (() => Header(0x08, Enumerable.Repeat(1u, 255).ToArray())[..500], As.Any, "truncated in its header"),
        ["plain data short by one"] = (() => [.. Header(0x0C, 4), .. new byte[15]], As.Any, "needs 16 bytes of data, found 15"),
        ["plain data one too many"] = (() => [.. Header(0x0C, 4), .. new byte[17]], As.Any, "has data after the 16 bytes"),
        ["bad magic"] = (() => [1, 0, 8, 1, 0, 0, 0, 1, 5], As.Any, "Not an IDX file"),
        ["labels read as images"] = (() => [.. Header(0x08, 2), 1, 2], As.Images, "Not an IDX image file"),
        ["element type 0x0a"] = (() => [.. Header(0x0A, 1), 0], As.Any, "Unknown IDX element type 0x0a"),
        ["element type 0x00"] = (() => [.. Header(0x00, 1), 0], As.Any, "Unknown IDX element type 0x00"),
        ["element type 0xff"] = (() => [.. Header(0xFF, 1), 0], As.Any, "Unknown IDX element type 0xff"),
        ["label 10 of 10 classes"] = (() => [.. Header(0x08, 4), 1, 9, 10, 0], As.Labels10, "IDX label 10 at index 2 is outside the 10 classes"),
        ["label 255 of 10 classes"] = (() => [.. Header(0x08, 2), 255, 3], As.Labels10, "IDX label 255 at index 0"),
        ["gzip bomb declaring 200 MB"] = (() => DeclaredBomb.Value, As.Any, "inflation ratio of 64:1"),
        ["gzip bomb declaring 10 bytes"] = (() => UndeclaredBomb.Value, As.Any, "inflates past the 18 bytes"),
        ["gzip declaring 2 GiB of floats"] = (() => Gzip(Header(0x0D, 1 << 16, 1 << 13)), As.Any, "more than the limit"),
        ["gzip, content short"] = (() => Gzip(Header(0x08, 100_000), 99_999), As.Any, "needs 100000 bytes of data, found 99999"),
        ["gzip, content one too many"] = (() => Gzip(Header(0x08, 100), 101), As.Any, "inflates past the 108 bytes"),
        ["gzip cut in half"] = (() => SmallGzip[..(SmallGzip.Length / 2)], As.Any, "IDX"),
        ["gzip without its trailer"] = (() => SmallGzip[..^8], As.Any, "IDX file truncated"),
        ["gzip trailer cut by one"] = (() => SmallGzip[..^1], As.Any, "trailer"),
        ["gzip with trailing garbage"] = (() => [.. SmallGzip, .. "garbage!!"u8.ToArray()], As.Any, "trailer"),
        ["gzip with trailing zeros"] = (() => [.. SmallGzip, 0, 0, 0, 0], As.Any, "trailer"),
        ["gzip, two members"] = (() => [.. SmallGzip, .. SmallGzip], As.Any, "trailer"),
        ["gzip, wrong CRC"] = (() => Flip(SmallGzip, SmallGzip.Length - 8), As.Any, "trailer"),
        ["gzip, wrong size"] = (() => Flip(SmallGzip, SmallGzip.Length - 1), As.Any, "trailer"),
        ["gzip, corrupt deflate"] = (() => CorruptDeflate(), As.Any, "gzip data is corrupt"),
        ["gzip, method 7"] = (() => Set(SmallGzip, 2, 7), As.Any, "compression method 7"),
        ["gzip, reserved flag"] = (() => Set(SmallGzip, 3, 0x20), As.Any, "reserved flags"),
        ["gzip, name never ends"] = (() => [.. Set(SmallGzip[..10], 3, 0x08), .. "name"u8.ToArray()], As.Any, "truncated in its header"),
        ["gzip, extra field too long"] = (() => [.. Set(SmallGzip[..10], 3, 0x04), 0xff, 0xff, 1, 2, 3], As.Any, "truncated in its header"),
        ["gzip magic only"] = (() => [0x1f, 0x8b], As.Any, "truncated in its header"),
        ["gzip, label out of range"] = (() => Gzip([.. Header(0x08, 3), 0, 1, 42]), As.Labels10, "IDX label 42 at index 2"),
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    private static byte[] Flip(byte[] b, int at)
    {
        var c = (byte[])b.Clone();
        c[at] ^= 0x55;
        return c;
    }

    private static byte[] Set(byte[] b, int at, byte value)
    {
        var c = (byte[])b.Clone();
        c[at] = value;
        return c;
    }

    /// <summary>A stored (uncompressed) deflate block whose length and its complement disagree.</summary>
    private static byte[] CorruptDeflate()
    {
        var g = Gzip(Header(0x08, 1), payload: [7]);
        // Header (10 bytes), then a final stored block: BFINAL=1, BTYPE=00, LEN, NLEN that does not complement it.
        return [.. g[..10], 0x01, 0x05, 0x00, 0x00, 0x00, .. new byte[5], .. g[^8..]];
    }

    [Theory]
    [Trait("Category", "Timing")]
    [MemberData(nameof(Names))]
    public void HostileFileIsRefusedCheaply(string name)
    {
        var (make, reader, message) = Cases[name];
        var input = make();
        Assert.True(input.Length < 4 << 20, $"{name}: the input itself should stay small ({input.Length} bytes)");
        foreach (bool seekable in new[] { true, false })
        {
            Stream stream = seekable ? new MemoryStream(input, writable: false) : new NonSeekable(input);
            var clock = Stopwatch.StartNew();
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Record.Exception(() =>
            {
                switch (reader)
                {
                    case As.Images: IdxReader.ReadImages(stream); break;
                    case As.Labels10: IdxReader.ReadLabels(stream, numClasses: 10); break;
                    default: IdxReader.Read(stream); break;
                }
            });
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            clock.Stop();
            Assert.True(e is InvalidDataException, $"{name}: expected InvalidDataException, got {e?.GetType().Name ?? "no exception"}: {e?.Message}");
            Assert.Contains(message, e!.Message);
            long budget = 64L * input.Length + (4 << 20);
            Assert.True(allocated <= budget, $"{name}: allocated {allocated} bytes for a {input.Length}-byte input (budget {budget})");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{name}: took {clock.Elapsed.TotalSeconds:F2} s");
        }
    }

    [Fact]
    public void BombsAreSmallInputs()
    {
        // The cases above are only meaningful if the bombs really are bombs.
        Assert.True(DeclaredBomb.Value.Length * 100L < BombBytes, $"{DeclaredBomb.Value.Length} bytes");
        Assert.True(UndeclaredBomb.Value.Length * 100L < BombBytes, $"{UndeclaredBomb.Value.Length} bytes");
    }

    [Fact]
    public void CompressibleFilesLoadWithinTheLimits()
    {
        // 60,000 identical labels: a ratio far above 64:1, but under the 1 MiB every gzip file may inflate to.
        var labels = Gzip(Header(0x08, 60000), 60000);
        Assert.True(labels.Length * 64L < 60008);
        Assert.Equal([60000], IdxReader.ReadLabels(new MemoryStream(labels), numClasses: 10).Shape);
        // 8 MB of zeros is refused by default, and loads once the ratio allows it.
        var images = Gzip(Header(0x08, 10000, 28, 28), 7_840_000);
        Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(images)));
        var x = IdxReader.ReadImages(new MemoryStream(images), limits: new IdxLimits { MaxInflationRatio = 2000 });
        Assert.Equal([10000, 28, 28], x.Shape);
        // A plain file over MaxDataBytes is refused before its data is read.
        var small = new IdxLimits { MaxDataBytes = 11 };
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream([.. Header(0x08, 3, 4), .. new byte[12]]), small));
        Assert.Contains("declares 12 bytes of data, more than the limit of 11", e.Message);
    }

    [Fact]
    public void GzipHeaderFieldsAreSkipped()
    {
        // FEXTRA, FNAME, FCOMMENT and FHCRC after the fixed 10 bytes, as gzip(1) may write them.
        var g = Gzip([.. Header(0x08, 3), 4, 5, 6]);
        byte[] file = [.. g[..3], 0x1E, .. g[4..10], 2, 0, 0xAA, 0xBB, .. "labels\0"u8.ToArray(), .. "comment\0"u8.ToArray(), 0, 0, .. g[10..]];
        Assert.Equal([4L, 5L, 6L], IdxReader.Read(new MemoryStream(file)).ToArray<long>());
    }

    [Fact]
    public void ChunkedReadDecodesEveryElementAcrossChunks()
    {
        // 3 MiB of int16 data spans several 1 MiB chunks; every value must land in its place.
        const int N = 3 << 19;
        var data = new byte[2 * N];
        for (int i = 0; i < N; i++) BinaryPrimitives.WriteInt16BigEndian(data.AsSpan(2 * i), unchecked((short)(i * 7)));
        foreach (var file in new[] { (byte[])[.. Header(0x0B, N), .. data], Gzip(Header(0x0B, N), payload: data) })
        {
            var t = IdxReader.Read(new MemoryStream(file)).ToArray<long>();
            Assert.Equal(N, t.Length);
            for (int i = 0; i < N; i += 4099) Assert.Equal(unchecked((short)(i * 7)), t[i]);
            Assert.Equal(unchecked((short)((N - 1) * 7)), t[^1]);
        }
    }

    [Fact]
    public void CheckLabelsNamesTheFirstBadLabel()
    {
        var y = Descent.Tensors.Tensor.FromArray(new long[] { 0, 3, -1, 7 });
        Assert.Equal("IDX label -1 at index 2 is outside the 4 classes (expected 0 to 3).",
            Assert.Throws<InvalidDataException>(() => IdxReader.CheckLabels(y, 4)).Message);
        IdxReader.CheckLabels(y[..2], 4);
    }

    private sealed class NonSeekable(byte[] data) : Stream
    {
        private readonly MemoryStream inner = new(data, writable: false);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
