using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Descent.Tests.Serialization;

// Half-precision storages whose sizes do not add up, and zip entries compressed by other tools: deflate bombs
// (declared sizes past the budget, entries that inflate past or short of what they declare), broken deflate data,
// other compression methods.
internal static partial class HostileCorpus
{
    private static IEnumerable<Case> HalfPrecision()
    {
        const string C = "half-precision";
        foreach (var type in new[] { "HalfStorage", "BFloat16Storage" })
        {
            byte[] Tensor(long[] size, long numel) => P.Proto(2).Then(p => p.RebuildTensor(size, [1], 0, numel, storageType: type)).Stop();
            yield return new Case(C, $"ok-{type}", Zip(Tensor([4], 4), ("data/0", new byte[8])));
            yield return new Case(C, $"{type}-record-odd", Zip(Tensor([4], 4), ("data/0", new byte[7])));
            yield return new Case(C, $"{type}-record-of-floats", Zip(Tensor([4], 4), ("data/0", new byte[16])));
            yield return new Case(C, $"{type}-view-past-end", Zip(Tensor([5], 4), ("data/0", new byte[8])));
            yield return new Case(C, $"{type}-numel-wraps-bytes", Zip(Tensor([1], (1L << 62) + 1), ("data/0", new byte[2])));
            yield return new Case(C, $"{type}-numel-2^31", Zip(Tensor([1], 1L << 31), ("data/0", new byte[2])));
            var legacyObj = P.Proto(2).Then(p => p.RebuildTensor([1], [1], 0, (1L << 62) + 1, legacy: true, storageType: type)).Stop();
            var keys = P.Proto(2).Then(p => { p.Op(0x5d); p.Unicode("0"); p.Op(0x61); }).Stop();
            var tail = new byte[8 + 2];
            BinaryPrimitives.WriteInt64LittleEndian(tail, (1L << 62) + 1);
            yield return new Case(C, $"{type}-legacy-count-wraps", Concat(LegacyHeader(), legacyObj, keys, tail));
        }
    }

    private static IEnumerable<Case> Deflated()
    {
        const string C = "deflate";
        var tensor = P.Proto(2).Then(p => p.RebuildTensor([2], [1], 0, 2)).Stop();
        (string, byte[])[] Entries(byte[] pkl, byte[] storage) => [("archive/data.pkl", pkl), ("archive/data/0", storage), ("archive/version", "3\n"u8.ToArray())];
        yield return new Case(C, "ok-deflated", DeflatedZip(Entries(tensor, new byte[8])));
        // Zeros deflate about a thousandfold: 16 MiB from ~16 KiB, far past 64x the file.
        yield return new Case(C, "bomb-16MiB-of-zeros", DeflatedZip(Entries(tensor, new byte[16 << 20])));
        // Sizes the directory declares, checked before inflating: one huge, and many that add up.
        yield return new Case(C, "declares-4GiB", DeflatedZip(Entries(tensor, new byte[8]), declare: n => n.EndsWith("data/0", StringComparison.Ordinal) ? uint.MaxValue - 1 : null));
        var many = new List<(string, byte[])> { ("archive/data.pkl", tensor), ("archive/data/0", new byte[8]) };
        for (int i = 0; i < 200; i++) many.Add(($"archive/extra/{i}", new byte[1 << 16]));
        yield return new Case(C, "many-entries-add-up", DeflatedZip([.. many]));
        // Entries whose data inflate past, or short of, the declared size.
        yield return new Case(C, "inflates-past-declared", DeflatedZip(Entries(tensor, new byte[8]), declare: n => n.EndsWith("data.pkl", StringComparison.Ordinal) ? 4 : null));
        yield return new Case(C, "inflates-short-of-declared", DeflatedZip(Entries(tensor, new byte[8]), declare: n => n.EndsWith("data/0", StringComparison.Ordinal) ? 4096 : null));
        yield return new Case(C, "not-deflate-data", DeflatedZip(Entries(tensor, new byte[8]), corrupt: n => n.EndsWith("data.pkl", StringComparison.Ordinal)));
        yield return new Case(C, "crc-wrong", DeflatedZip(Entries(tensor, new byte[8]), crc: n => n.EndsWith("data/0", StringComparison.Ordinal) ? 1234u : null));
        yield return new Case(C, "method-bzip2", DeflatedZip(Entries(tensor, new byte[8]), method: 12));
        yield return new Case(C, "method-lzma", DeflatedZip(Entries(tensor, new byte[8]), method: 14));
    }

    /// <summary>
    /// A zip whose entries are deflated (as Python's zipfile or an archiver writes them), with hooks to lie about an
    /// entry's declared size or CRC, corrupt its data, or name another method.
    /// </summary>
    private static byte[] DeflatedZip((string Name, byte[] Data)[] entries, Func<string, long?>? declare = null,
        Func<string, bool>? corrupt = null, Func<string, uint?>? crc = null, ushort method = 8)
    {
        using var ms = new MemoryStream();
        var central = new List<(byte[] Name, uint Crc, uint CSize, uint Size, uint Offset)>();
        foreach (var (name, data) in entries)
        {
            using var packed = new MemoryStream();
            using (var z = new DeflateStream(packed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
            var body = packed.ToArray();
            if (corrupt?.Invoke(name) == true) body = [0xff, 0xff, 0xff, 0xff, .. body];
            uint entryCrc = crc?.Invoke(name) ?? System.IO.Hashing.Crc32.HashToUInt32(data);
            uint size = (uint)(declare?.Invoke(name) ?? data.Length);
            var nameBytes = Encoding.UTF8.GetBytes(name);
            uint offset = (uint)ms.Position;
            var h = new byte[30];
            BinaryPrimitives.WriteUInt32LittleEndian(h, 0x04034b50);
            BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(4), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(8), method);
            BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(14), entryCrc);
            BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(18), (uint)body.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(22), size);
            BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(26), (ushort)nameBytes.Length);
            ms.Write(h);
            ms.Write(nameBytes);
            ms.Write(body);
            central.Add((nameBytes, entryCrc, (uint)body.Length, size, offset));
        }
        uint cdStart = (uint)ms.Position;
        foreach (var (name, entryCrc, csize, size, offset) in central)
        {
            var r = new byte[46];
            BinaryPrimitives.WriteUInt32LittleEndian(r, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(4), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(6), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(10), method);
            BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(16), entryCrc);
            BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(20), csize);
            BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(24), size);
            BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(28), (ushort)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(42), offset);
            ms.Write(r);
            ms.Write(name);
        }
        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)central.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)central.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)ms.Position - cdStart);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), cdStart);
        ms.Write(end);
        return ms.ToArray();
    }
}
