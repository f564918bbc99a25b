using System.Buffers.Binary;
using System.Text;

namespace Descent.Serialization;

/// <summary>
/// Writes a zip archive the way PyTorch's <c>PyTorchFileWriter</c> (miniz) does: every entry STORED, its data
/// 64-byte aligned by an "FB" padding extra field, a data descriptor after the data, zero timestamps, and the
/// zip64 end records miniz always emits. Byte for byte the layout torch.save produces, so torch.load reads it.
/// </summary>
internal sealed class ZipWriter
{
    private const int Alignment = 64;
    private readonly Stream output;
    private readonly List<(byte[] Name, uint Crc, uint Size, uint Offset)> central = [];
    private long position;

    public ZipWriter(Stream output) => this.output = output;

    /// <summary>Appends one stored entry.</summary>
    public void Add(string name, ReadOnlySpan<byte> data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (position + data.Length >= uint.MaxValue)
            throw new NotSupportedException("checkpoints over 4 GiB (zip64 entries) are not written");
        long start = position + 30 + nameBytes.Length + 4;
        int padding = (int)((Alignment - start % Alignment) % Alignment);
        Span<byte> header = stackalloc byte[30];
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0x0808); // data descriptor follows; UTF-8 names
        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)(padding + 4));
        uint offset = (uint)position;
        Write(header);
        Write(nameBytes);
        Span<byte> fb = stackalloc byte[4 + Alignment];
        fb[0] = (byte)'F';
        fb[1] = (byte)'B';
        BinaryPrimitives.WriteUInt16LittleEndian(fb[2..], (ushort)padding);
        fb.Slice(4, padding).Fill((byte)'Z');
        Write(fb[..(4 + padding)]);
        Write(data);
        uint crc = System.IO.Hashing.Crc32.HashToUInt32(data);
        Span<byte> descriptor = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor, 0x08074b50);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor[4..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor[8..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor[12..], (uint)data.Length);
        Write(descriptor);
        central.Add((nameBytes, crc, (uint)data.Length, offset));
    }

    /// <summary>Writes the central directory and the end records.</summary>
    public void Finish()
    {
        long cdStart = position;
        Span<byte> entry = stackalloc byte[46];
        foreach (var (name, crc, size, offset) in central)
        {
            entry.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(entry, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], 0x0808);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[20..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[24..], size);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[42..], offset);
            Write(entry);
            Write(name);
        }
        long cdSize = position - cdStart, zip64Start = position;
        Span<byte> end = stackalloc byte[56 + 20 + 22];
        end.Clear();
        var z64 = end[..56];
        BinaryPrimitives.WriteUInt32LittleEndian(z64, 0x06064b50);
        BinaryPrimitives.WriteUInt64LittleEndian(z64[4..], 44);
        BinaryPrimitives.WriteUInt16LittleEndian(z64[12..], 0x031e);
        BinaryPrimitives.WriteUInt16LittleEndian(z64[14..], 0x002d);
        BinaryPrimitives.WriteUInt64LittleEndian(z64[24..], (ulong)central.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(z64[32..], (ulong)central.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(z64[40..], (ulong)cdSize);
        BinaryPrimitives.WriteUInt64LittleEndian(z64[48..], (ulong)cdStart);
        var locator = end.Slice(56, 20);
        BinaryPrimitives.WriteUInt32LittleEndian(locator, 0x07064b50);
        BinaryPrimitives.WriteUInt64LittleEndian(locator[8..], (ulong)zip64Start);
        BinaryPrimitives.WriteUInt32LittleEndian(locator[16..], 1);
        var eocd = end.Slice(76, 22);
        BinaryPrimitives.WriteUInt32LittleEndian(eocd, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(eocd[8..], (ushort)Math.Min(central.Count, 0xFFFF));
        BinaryPrimitives.WriteUInt16LittleEndian(eocd[10..], (ushort)Math.Min(central.Count, 0xFFFF));
        BinaryPrimitives.WriteUInt32LittleEndian(eocd[12..], (uint)cdSize);
        BinaryPrimitives.WriteUInt32LittleEndian(eocd[16..], (uint)cdStart);
        Write(end);
        output.Flush();
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        output.Write(bytes);
        position += bytes.Length;
    }
}
