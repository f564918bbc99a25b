using System.Buffers.Binary;
using System.Numerics;

namespace Descent.Serialization;

/// <summary>
/// Reads PyTorch's legacy (pre-1.6, <c>_use_new_zipfile_serialization=False</c>) format: five pickles in a row —
/// the magic number 0x1950a86a20f9469cfc6c, protocol version 1001, sys_info, the object, the list of storage
/// keys — followed by each storage as an int64 element count and its raw bytes. Whole modules name their classes
/// by persistent id (<c>('module', cls, source_file, source)</c>). Read-only.
/// </summary>
internal static class LegacyTorchFormat
{
    private static readonly BigInteger Magic = BigInteger.Parse("1950a86a20f9469cfc6c", System.Globalization.NumberStyles.HexNumber);

    public static object? Load(Stream stream, PickleLimits? limits)
    {
        if (stream.Length > int.MaxValue) throw new InvalidDataException("legacy-format files over 2 GiB are not supported");
        var data = new byte[stream.Length];
        stream.Position = 0;
        stream.ReadExactly(data);

        var magic = Unpickler.Load(data, 0, out int pos, null, limits);
        if (!(magic is BigInteger m && m == Magic)) throw new InvalidDataException("not a PyTorch file: wrong legacy magic number");
        if (Unpickler.Load(data, pos, out pos, null, limits) is not 1001L)
            throw new InvalidDataException("unsupported legacy protocol version (expected 1001)");
        var sysInfo = Unpickler.Load(data, pos, out pos, null, limits) as PyDict
            ?? throw new InvalidDataException("legacy sys_info is not a dict");
        bool littleEndian = !sysInfo.TryGetValue("little_endian", out var le) || le is not false;

        // Pass 1 learns each storage's type and size; the bytes come after the object's pickle.
        int objectStart = pos;
        var declared = new Dictionary<string, LoadedStorage>(StringComparer.Ordinal);
        object? Declare(object? pid)
        {
            if (StorageIds.ModuleClass(pid) is { } cls) return cls;
            var (info, key, numel) = StorageIds.Parse(pid, legacy: true);
            if (declared.TryGetValue(key, out var known))
            {
                if (known.Info != info || known.Numel != numel)
                    throw new InvalidDataException($"storage '{key}' is referenced with two different types or sizes");
                return known;
            }
            return declared[key] = new LoadedStorage(info, null, key, numel);
        }
        Unpickler.Load(data, objectStart, out pos, Declare, limits);

        if (Unpickler.Load(data, pos, out pos, null, limits) is not List<object?> keys)
            throw new InvalidDataException("legacy storage key list is not a list");
        var storages = new Dictionary<string, LoadedStorage>(StringComparer.Ordinal);
        foreach (var k in keys)
        {
            if (k is not string key || !declared.TryGetValue(key, out var d))
                throw new InvalidDataException($"legacy storage key {PickleRepr.Of(k)} is not referenced by the object");
            if (storages.ContainsKey(key)) throw new InvalidDataException($"legacy storage '{key}' is listed twice");
            if (data.Length - pos < 8) throw new InvalidDataException($"file ends before storage '{key}'");
            long count = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(pos));
            if (!littleEndian) count = BinaryPrimitives.ReverseEndianness(count);
            pos += 8;
            if (count != d.Numel) throw new InvalidDataException($"storage '{key}' declares {d.Numel} elements but its data header says {count}");
            // Checked before allocating, without overflow (count × element size can wrap): the data must be in the file.
            if (count > (data.Length - pos) / d.Info.ElementSize)
                throw new InvalidDataException($"storage '{key}' needs {count} elements of {d.Info.ElementSize} bytes but only {data.Length - pos} bytes remain (truncated file)");
            long bytes = count * d.Info.ElementSize;
            var copy = data.AsSpan(pos, (int)bytes).ToArray();
            pos += (int)bytes;
            if (!littleEndian) StorageBytes.SwapInPlace(copy, d.Info);
            storages[key] = new LoadedStorage(d.Info, copy, key, count);
        }
        foreach (var key in declared.Keys)
            if (!storages.ContainsKey(key)) throw new InvalidDataException($"storage '{key}' has no data in the file");

        object? Resolve(object? pid) => StorageIds.ModuleClass(pid) ?? (object)storages[StorageIds.Parse(pid, legacy: true).Key];
        return Unpickler.Load(data, objectStart, out _, Resolve, limits);
    }
}
