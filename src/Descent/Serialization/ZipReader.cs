using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Descent.Serialization;

/// <summary>
/// Reads the central directory of a zip archive from a seekable stream and returns entries on demand, checking
/// every offset and size against the stream's length before allocating, and each entry's CRC-32 after reading.
/// Entries are STORED (what torch.save writes) or DEFLATEd (what other zip tools write); zip64 end records and
/// extra fields are understood. Deflate can expand a thousandfold, so the sizes the directory declares for
/// compressed entries may add up to at most <c>maxInflated</c> bytes (checked before anything is inflated), and no
/// entry may inflate past its declared size.
/// </summary>
internal sealed class ZipReader
{
    private readonly Stream stream;
    private readonly long length;
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>A central directory record.</summary>
    internal sealed record Entry(string Name, ushort Method, uint Crc, long CompressedSize, long Size, long HeaderOffset);

    /// <summary>Entry names in directory order.</summary>
    public List<string> Names { get; } = [];

    /// <summary>Reads the directory; compressed entries may declare <paramref name="maxInflated"/> bytes in all.</summary>
    public ZipReader(Stream stream, long maxInflated = long.MaxValue)
    {
        this.stream = stream;
        length = stream.Length;
        ReadDirectory();
        CheckInflatedSizes(maxInflated);
    }

    /// <summary>
    /// Refuses a zip bomb before inflating anything: the sizes declared for compressed entries must fit the
    /// budget, and a compressed entry that is read inflates into exactly its declared size (see <see cref="Read"/>).
    /// </summary>
    private void CheckInflatedSizes(long maxInflated)
    {
        long total = 0;
        foreach (var e in entries.Values)
            if (e.Method == Deflated) total = e.Size > long.MaxValue - total ? long.MaxValue : total + e.Size;
        // Stored entries are checked against the file; other methods are refused when read.
        InflatedSize = total;
        if (total > maxInflated)
            throw Bad($"compressed entries declare {total} bytes once inflated, more than the {maxInflated} allowed for a {length}-byte file; refused as a possible zip bomb");
    }

    /// <summary>What the compressed entries declare they inflate to, together.</summary>
    public long InflatedSize { get; private set; }

    private const ushort Stored = 0, Deflated = 8;

    private static InvalidDataException Bad(string message) => new("zip: " + message);

    private void ReadDirectory()
    {
        if (length < 22) throw Bad("file is too short to be a zip archive");
        int tailLength = (int)Math.Min(length, 22 + 0xFFFF);
        var tail = ReadAt(length - tailLength, tailLength);
        int eocd = -1;
        for (int i = tail.Length - 22; i >= 0; i--)
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == 0x06054b50) { eocd = i; break; }
        if (eocd < 0) throw Bad("no end-of-central-directory record");
        var e = tail.AsSpan(eocd);
        long count = BinaryPrimitives.ReadUInt16LittleEndian(e[10..]);
        long cdSize = BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
        long cdOffset = BinaryPrimitives.ReadUInt32LittleEndian(e[16..]);
        long eocdPos = length - tailLength + eocd;
        if (eocdPos >= 20)
        {
            var loc = ReadAt(eocdPos - 20, 20);
            if (BinaryPrimitives.ReadUInt32LittleEndian(loc) == 0x07064b50)
            {
                ulong z64Offset = BinaryPrimitives.ReadUInt64LittleEndian(loc.AsSpan(8));
                long maxOffset = eocdPos - 20 - 56;
                if (maxOffset < 0 || z64Offset > (ulong)maxOffset) throw Bad("zip64 end record offset out of range");
                var z = ReadAt((long)z64Offset, 56);
                if (BinaryPrimitives.ReadUInt32LittleEndian(z) != 0x06064b50) throw Bad("bad zip64 end record signature");
                ulong c64 = BinaryPrimitives.ReadUInt64LittleEndian(z.AsSpan(32));
                ulong s64 = BinaryPrimitives.ReadUInt64LittleEndian(z.AsSpan(40));
                ulong o64 = BinaryPrimitives.ReadUInt64LittleEndian(z.AsSpan(48));
                if (c64 > (ulong)length || s64 > (ulong)length || o64 > (ulong)length) throw Bad("zip64 end record sizes out of range");
                (count, cdSize, cdOffset) = ((long)c64, (long)s64, (long)o64);
            }
        }
        if (cdOffset + cdSize > length) throw Bad($"central directory ({cdSize} bytes at {cdOffset}) lies outside the {length}-byte file");
        if (count > cdSize / 46) throw Bad($"{count} entries cannot fit in a {cdSize}-byte central directory");
        var cd = ReadAt(cdOffset, (int)Math.Min(cdSize, int.MaxValue));
        int p = 0;
        for (long i = 0; i < count; i++)
        {
            if (p + 46 > cd.Length) throw Bad("central directory is truncated");
            var r = cd.AsSpan(p);
            if (BinaryPrimitives.ReadUInt32LittleEndian(r) != 0x02014b50) throw Bad($"bad central directory signature at entry {i}");
            ushort method = BinaryPrimitives.ReadUInt16LittleEndian(r[10..]);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(r[16..]);
            long csize = BinaryPrimitives.ReadUInt32LittleEndian(r[20..]);
            long usize = BinaryPrimitives.ReadUInt32LittleEndian(r[24..]);
            int nameLen = BinaryPrimitives.ReadUInt16LittleEndian(r[28..]);
            int extraLen = BinaryPrimitives.ReadUInt16LittleEndian(r[30..]);
            int commentLen = BinaryPrimitives.ReadUInt16LittleEndian(r[32..]);
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(r[42..]);
            if (p + 46 + nameLen + extraLen + commentLen > cd.Length) throw Bad("central directory entry runs past its end");
            string name;
            try { name = new UTF8Encoding(false, true).GetString(r.Slice(46, nameLen)); }
            catch (DecoderFallbackException) { throw Bad($"entry {i} has a name that is not UTF-8"); }
            ApplyZip64Extra(r.Slice(46 + nameLen, extraLen), ref usize, ref csize, ref offset);
            p += 46 + nameLen + extraLen + commentLen;
            if (!entries.TryAdd(name, new Entry(name, method, crc, csize, usize, offset)))
                throw Bad($"duplicate entry '{name}'");
            Names.Add(name);
        }
        CheckDisjoint(cdOffset);
    }

    /// <summary>
    /// Refuses entries whose data could overlap: with many directory records pointing at one large entry, reading
    /// each would copy the same bytes again and again, so memory would grow with the product of the two.
    /// Each entry needs at least its 30-byte local header and its data before the next entry or the directory.
    /// </summary>
    private void CheckDisjoint(long cdOffset)
    {
        var sorted = new List<Entry>(entries.Values);
        sorted.Sort((a, b) => a.HeaderOffset.CompareTo(b.HeaderOffset));
        for (int i = 0; i < sorted.Count; i++)
        {
            var e = sorted[i];
            long next = i + 1 < sorted.Count ? sorted[i + 1].HeaderOffset : cdOffset;
            if (e.CompressedSize < 0 || e.HeaderOffset < 0 || e.CompressedSize > next - e.HeaderOffset - 30)
                throw Bad($"entry '{e.Name}' overlaps the next entry or the central directory");
        }
    }

    private static void ApplyZip64Extra(ReadOnlySpan<byte> extra, ref long usize, ref long csize, ref long offset)
    {
        while (extra.Length >= 4)
        {
            ushort id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            int len = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (4 + len > extra.Length) throw Bad("extra field runs past its end");
            var body = extra.Slice(4, len);
            if (id == 1)
            {
                int q = 0;
                if (usize == 0xFFFFFFFF) usize = Read64(body, ref q);
                if (csize == 0xFFFFFFFF) csize = Read64(body, ref q);
                if (offset == 0xFFFFFFFF) offset = Read64(body, ref q);
            }
            extra = extra[(4 + len)..];
        }
    }

    private static long Read64(ReadOnlySpan<byte> body, ref int q)
    {
        if (q + 8 > body.Length) throw Bad("zip64 extra field is truncated");
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(body[q..]);
        q += 8;
        if (v > long.MaxValue) throw Bad("zip64 size out of range");
        return (long)v;
    }

    /// <summary>Whether an entry of that exact name exists.</summary>
    public bool Contains(string name) => entries.ContainsKey(name);

    /// <summary>The uncompressed size the directory declares for an entry.</summary>
    public long SizeOf(string name) => entries.TryGetValue(name, out var e) ? e.Size : throw Bad($"no entry '{name}'");

    /// <summary>An entry's bytes, after checking its header, bounds and CRC.</summary>
    public byte[] Read(string name)
    {
        if (!entries.TryGetValue(name, out var e)) throw Bad($"no entry '{name}'");
        if (e.Method is not (Stored or Deflated))
            throw Bad($"entry '{name}' is compressed with method {e.Method} ({MethodName(e.Method)}); only stored and deflated entries are read");
        if (e.Method == Stored && e.CompressedSize != e.Size) throw Bad($"stored entry '{name}' has different compressed and uncompressed sizes");
        if (e.HeaderOffset > length - 30) throw Bad($"entry '{name}' header lies outside the file");
        var h = ReadAt(e.HeaderOffset, 30);
        if (BinaryPrimitives.ReadUInt32LittleEndian(h) != 0x04034b50) throw Bad($"bad local header signature for '{name}'");
        long dataStart = e.HeaderOffset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(26)) + BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(28));
        // Checked before allocating: the declared size must fit in what the file actually holds.
        if (e.CompressedSize > length - dataStart || dataStart > length)
            throw Bad($"entry '{name}' declares {e.CompressedSize} bytes but the file has only {Math.Max(0, length - dataStart)} after its header");
        if (e.Size > int.MaxValue) throw Bad($"entry '{name}' is larger than 2 GiB");
        var data = e.Method == Stored ? ReadAt(dataStart, (int)e.Size) : Inflate(e, ReadAt(dataStart, (int)e.CompressedSize));
        if (System.IO.Hashing.Crc32.HashToUInt32(data) != e.Crc) throw Bad($"CRC mismatch in entry '{name}' (file corrupted)");
        return data;
    }

    /// <summary>Inflates into a buffer of the declared size: more output, or less, is a malformed entry.</summary>
    private static byte[] Inflate(Entry e, byte[] compressed)
    {
        var output = new byte[e.Size];
        try
        {
            using var z = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress);
            int total = 0;
            while (total < output.Length)
            {
                int n = z.Read(output, total, output.Length - total);
                if (n == 0) break;
                total += n;
            }
            if (total != output.Length) throw Bad($"entry '{e.Name}' inflates to {total} bytes, not the {e.Size} its directory declares");
            if (z.ReadByte() >= 0) throw Bad($"entry '{e.Name}' inflates past the {e.Size} bytes its directory declares");
        }
        catch (InvalidDataException x) when (!x.Message.StartsWith("zip:", StringComparison.Ordinal))
        {
            throw Bad($"entry '{e.Name}' is not valid deflate data ({x.Message})");
        }
        return output;
    }

    private static string MethodName(ushort method) => method switch
    {
        1 => "shrunk",
        6 => "imploded",
        9 => "deflate64",
        12 => "bzip2",
        14 => "lzma",
        93 => "zstandard",
        95 => "xz",
        99 => "encrypted",
        _ => "unknown",
    };

    private byte[] ReadAt(long offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > length) throw Bad("read outside the file");
        var buffer = new byte[count];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return buffer;
    }
}
