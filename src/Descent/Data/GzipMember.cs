using System.Buffers.Binary;
using System.IO.Compression;

namespace Descent.Data;

/// <summary>
/// A gzip file (RFC 1952) of exactly one member, read incrementally and strictly: <see cref="Content"/> inflates only
/// as much as is read from it, and <see cref="CheckTrailer"/> requires the file to end with the member's 8-byte
/// trailer, right after the end of the deflate data, and the trailer's CRC-32 and length must match what was inflated.
/// (.NET's <see cref="GZipStream"/> alone accepts a missing trailer and ignores bytes after the member.) Every
/// malformation is an <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class GzipMember : IDisposable
{
    private const byte FlagHeaderCrc = 0x02, FlagExtra = 0x04, FlagName = 0x08, FlagComment = 0x10, FlagsReserved = 0xE0;

    private readonly Stream file;
    private readonly long end;
    private readonly WindowStream window;
    private readonly DeflateStream deflate;
    private readonly CrcStream content;

    private GzipMember(Stream file, long dataStart, long end)
    {
        this.file = file;
        this.end = end;
        window = new WindowStream(file, dataStart, end - 8);
        deflate = new DeflateStream(window, CompressionMode.Decompress);
        content = new CrcStream(deflate);
    }

    /// <summary>The inflated bytes, read incrementally.</summary>
    public Stream Content => content;

    /// <summary>
    /// Parses the member header at <paramref name="file"/>'s position; the file is the next
    /// <paramref name="length"/> bytes, whose last 8 must be the trailer. The stream must be seekable.
    /// </summary>
    public static GzipMember Open(Stream file, long length)
    {
        long end = file.Position + length;
        Span<byte> h = stackalloc byte[10];
        ReadHeaderBytes(file, h);
        if (h[0] != 0x1f || h[1] != 0x8b) throw new InvalidDataException("Not a gzip file: wrong magic bytes.");
        if (h[2] != 8) throw new InvalidDataException($"gzip compression method {h[2]} is not deflate (8).");
        byte flags = h[3];
        if ((flags & FlagsReserved) != 0) throw new InvalidDataException($"gzip header has reserved flags set (0x{flags:x2}).");
        if ((flags & FlagExtra) != 0)
        {
            Span<byte> xlen = stackalloc byte[2];
            ReadHeaderBytes(file, xlen);
            long skip = BinaryPrimitives.ReadUInt16LittleEndian(xlen);
            if (end - file.Position < skip) throw Truncated();
            file.Position += skip;
        }
        if ((flags & FlagName) != 0) SkipZeroTerminated(file, end);
        if ((flags & FlagComment) != 0) SkipZeroTerminated(file, end);
        if ((flags & FlagHeaderCrc) != 0)
        {
            if (end - file.Position < 2) throw Truncated();
            file.Position += 2;
        }
        if (end - file.Position < 8) throw Truncated();
        return new GzipMember(file, file.Position, end);
    }

    /// <summary>
    /// Checks that the file ends with a trailer matching everything read from <see cref="Content"/>; call once the
    /// content has been read to its end.
    /// </summary>
    public void CheckTrailer()
    {
        if (window.Remaining > 0)
            throw new InvalidDataException(
                $"gzip data ends {window.Remaining} bytes before the file's 8-byte trailer: the file holds more than one member, or bytes after its end.");
        Span<byte> t = stackalloc byte[8];
        file.Position = end - 8;
        file.ReadExactly(t);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(t), size = BinaryPrimitives.ReadUInt32LittleEndian(t[4..]);
        if (crc != content.Crc || size != unchecked((uint)content.Count))
            throw new InvalidDataException(
                $"gzip trailer (CRC-32 {crc:x8}, size {size}) does not match the {content.Count} bytes inflated (CRC-32 {content.Crc:x8}): "
                + "the file is corrupt, truncated, holds more than one member, or has bytes after its end.");
    }

    public void Dispose() => deflate.Dispose();

    private static InvalidDataException Truncated() => new("gzip file truncated in its header.");

    private static void ReadHeaderBytes(Stream file, Span<byte> into)
    {
        if (file.ReadAtLeast(into, into.Length, throwOnEndOfStream: false) < into.Length) throw Truncated();
    }

    private static void SkipZeroTerminated(Stream file, long end)
    {
        while (file.Position < end)
            if (file.ReadByte() is 0 or -1) return;
        throw Truncated();
    }

    /// <summary>
    /// The bytes [start, end) of a seekable stream, read-only, positioned independently of it. Reads never cross into
    /// the last <see cref="ExactTail"/> bytes, which are handed out one at a time; since the inflater asks for input
    /// only while it has not reached the end of the deflate data, <see cref="Remaining"/> is then zero exactly when
    /// that end is the end of the window: if the data ended earlier, the reads stopped before the tail.
    /// </summary>
    private sealed class WindowStream(Stream inner, long start, long end) : Stream
    {
        private const int ExactTail = 64;
        private long position = start;

        public long Remaining => end - position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            long left = end - position;
            if (left <= 0 || buffer.Length == 0) return 0;
            long beforeTail = left - ExactTail;
            inner.Position = position;
            int n = inner.Read(buffer[..(int)(beforeTail > 0 ? Math.Min(buffer.Length, beforeTail) : 1)]);
            position += n;
            return n;
        }

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

    /// <summary>Counts and CRC-32s (IEEE, as gzip) the bytes read through it; corrupt deflate data is reported as such.</summary>
    private sealed class CrcStream(Stream inner) : Stream
    {
        private static readonly uint[] Table = MakeTable();
        private uint state = 0xFFFFFFFFu;

        public long Count { get; private set; }
        public uint Crc => ~state;

        private static uint[] MakeTable()
        {
            var t = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                uint c = i;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                t[i] = c;
            }
            return t;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n;
            try { n = inner.Read(buffer); }
            catch (InvalidDataException e) { throw new InvalidDataException("gzip data is corrupt: " + e.Message, e); }
            uint c = state;
            foreach (byte b in buffer[..n]) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
            state = c;
            Count += n;
            return n;
        }

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
