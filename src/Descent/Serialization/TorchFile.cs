using System.Text;
using Descent.IO;

namespace Descent.Serialization;

/// <summary>
/// PyTorch's <c>torch.save</c> files. Reads the zip format as PyTorch 1.6 to 2.x write it (any top-level folder;
/// <c>data.pkl</c>, <c>data/&lt;key&gt;</c>, <c>version</c> or <c>.data/version</c>, <c>byteorder</c>,
/// <c>.format_version</c>, <c>.storage_alignment</c>, <c>.data/serialization_id</c>; entries stored or deflated)
/// and the legacy pre-1.6 format; writes the zip format exactly as PyTorch 1.13 does. Values come back as the object model: <see cref="PyDict"/>, lists, <see cref="PyTuple"/>, tensors (Descent
/// <see cref="Tensors.Tensor"/> or <see cref="RawTensor"/>), strings and numbers.
/// </summary>
/// <remarks>Malformed, truncated, corrupted or hostile files throw <see cref="InvalidDataException"/>.</remarks>
public static class TorchFile
{
    /// <summary>Loads the object a <c>torch.save</c> file holds.</summary>
    public static object? Load(string path, PickleLimits? limits = null)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(fs, limits);
    }

    /// <summary>Loads from a seekable stream.</summary>
    public static object? Load(Stream stream, PickleLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw new ArgumentException("TorchFile.Load needs a seekable stream");
        try
        {
            return LoaderGuard.Run(() =>
            {
                Span<byte> magic = stackalloc byte[4];
                stream.Position = 0;
                int n = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
                stream.Position = 0;
                if (n == 4 && magic.SequenceEqual("PK\x03\x04"u8)) return LoadZip(stream, limits);
                if (n >= 2 && magic[0] == PickleOpcodes.Proto) return LegacyTorchFormat.Load(stream, limits);
                throw new InvalidDataException("not a PyTorch file: neither a zip archive nor a legacy pickle (wrong magic)");
            });
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("file is truncated: " + e.Message, e);
        }
    }

    private static object? LoadZip(Stream stream, PickleLimits? limits)
    {
        var zip = new ZipReader(stream, (limits ?? PickleLimits.Default).InflationBudget(stream.Length));
        if (zip.Names.Count == 0) throw new InvalidDataException("zip archive is empty");
        // As PyTorch's reader: the folder of the first entry names the archive.
        string first = zip.Names[0];
        int slash = first.IndexOf('/');
        if (slash <= 0) throw new InvalidDataException($"zip entry '{first}' is not inside an archive folder");
        string prefix = first[..(slash + 1)];
        if (!zip.Contains(prefix + "data.pkl")) throw new InvalidDataException($"no '{prefix}data.pkl' in the archive");
        // PyTorch 2.x moves the version to .data/version once it passes 5; torch.save writes 3 to either.
        foreach (var record in new[] { "version", ".data/version" })
            if (zip.Contains(prefix + record)) CheckSmallInt(zip, prefix + record, "file format version", 1, 10);
        // 2.x: the storages' order (1: numeric keys) and their alignment in the zip; neither changes how they read.
        // .data/serialization_id (a 40-digit tag) is not read at all.
        if (zip.Contains(prefix + ".format_version")) CheckSmallInt(zip, prefix + ".format_version", ".format_version", 1, 10);
        if (zip.Contains(prefix + ".storage_alignment")) CheckSmallInt(zip, prefix + ".storage_alignment", ".storage_alignment", 1, 1 << 20);
        bool bigEndian = false;
        if (zip.Contains(prefix + "byteorder"))
        {
            var order = ReadSmallText(zip, prefix + "byteorder");
            bigEndian = order switch
            {
                "little" => false,
                "big" => true,
                _ => throw new InvalidDataException($"unknown byteorder '{Truncate(order)}'"),
            };
        }
        var pkl = zip.Read(prefix + "data.pkl");
        var storages = new Dictionary<string, LoadedStorage>(StringComparer.Ordinal);
        object? Persistent(object? pid)
        {
            var (info, key, numel) = StorageIds.Parse(pid, legacy: false);
            if (storages.TryGetValue(key, out var known))
            {
                if (known.Info != info || known.Numel != numel)
                    throw new InvalidDataException($"storage '{key}' is referenced with two different types or sizes");
                return known;
            }
            string entry = prefix + "data/" + key;
            if (!zip.Contains(entry)) throw new InvalidDataException($"storage '{key}' has no '{entry}' record");
            long size = zip.SizeOf(entry);
            // Checked before reading: the record must hold exactly numel elements.
            if (numel > long.MaxValue / info.ElementSize || size != numel * info.ElementSize)
                throw new InvalidDataException($"storage '{key}' declares {numel} {info.Name} elements ({numel * (double)info.ElementSize} bytes) but its record has {size} bytes");
            var bytes = zip.Read(entry);
            if (bigEndian) StorageBytes.SwapInPlace(bytes, info);
            var s = new LoadedStorage(info, bytes, key, numel);
            storages[key] = s;
            return s;
        }
        return Unpickler.Load(pkl, Persistent, limits);
    }

    private static void CheckSmallInt(ZipReader zip, string name, string what, int min, int max)
    {
        var v = ReadSmallText(zip, name);
        if (!int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) || n < min || n > max)
            throw new InvalidDataException($"unsupported {what} '{Truncate(v)}'");
    }

    /// <summary>
    /// The bytes a file holds once its compressed zip entries are inflated (their declared sizes; the file's own
    /// length otherwise): what the loader's work and memory bounds are proportional to.
    /// </summary>
    internal static long ContentLength(byte[] file)
    {
        try { return LoaderGuard.Run(() => file.Length + new ZipReader(new MemoryStream(file, writable: false)).InflatedSize); }
        catch (InvalidDataException) { return file.Length; }
    }

    private static string ReadSmallText(ZipReader zip, string name)
    {
        if (zip.SizeOf(name) > 64) throw new InvalidDataException($"record '{name}' is too large");
        return Encoding.ASCII.GetString(zip.Read(name)).Trim();
    }

    private static string Truncate(string s) => s.Length > 20 ? s[..20] : s;

    /// <summary>
    /// Saves <paramref name="obj"/> in torch.save's zip format (loadable by <c>torch.load</c> in PyTorch 1.13 and
    /// later), atomically: the previous file stays until the new one is complete on disk.
    /// </summary>
    public static void Save(object? obj, string path)
    {
        // Like PyTorch, the archive folder is the file name without its extension.
        string archive = Path.GetFileNameWithoutExtension(path);
        if (archive.Length == 0) archive = "archive";
        var bytes = ToBytes(obj, archive);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>The bytes <see cref="Save(object?, string)"/> writes, with <paramref name="archiveName"/> as the top-level folder.</summary>
    public static byte[] ToBytes(object? obj, string archiveName = "archive")
    {
        var pickler = new Pickler();
        var pkl = pickler.Dump(obj);
        using var ms = new MemoryStream();
        var zip = new ZipWriter(ms);
        zip.Add(archiveName + "/data.pkl", pkl);
        // torch.save writes storages sorted by key as strings ("0", "1", "10", "2", …).
        var storages = pickler.Storages.ToArray();
        Array.Sort(storages, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (key, data) in storages) zip.Add(archiveName + "/data/" + key, data);
        zip.Add(archiveName + "/version", "3\n"u8);
        zip.Finish();
        return ms.ToArray();
    }
}
