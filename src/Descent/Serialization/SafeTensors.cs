using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Descent.IO;
using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>
/// The safetensors format for module weights: an 8-byte little-endian header length, a JSON header mapping each
/// name to <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (plus an optional <c>__metadata__</c> map of
/// strings), then the tensors' bytes, row-major and little-endian. Loading checks everything the format's reference
/// implementation does — header length, JSON shape, known dtypes, offsets in bounds, contiguous and
/// non-overlapping, size = numel × element size — before allocating any tensor. F16 and BF16 tensors (Descent has
/// no half-precision tensors) load when asked for as float32 or float64: widened exactly, as <c>tensor.float()</c>.
/// </summary>
public static class SafeTensors
{
    /// <summary>Largest header accepted (the reference implementation's limit).</summary>
    public const int MaxHeaderSize = 100_000_000;

    private static readonly Dictionary<DType, string> Names = new()
    {
        [DType.Float32] = "F32", [DType.Float64] = "F64", [DType.Int64] = "I64", [DType.Int32] = "I32", [DType.Bool] = "BOOL",
    };

    // Raw: the torch storage class of a dtype Descent widens on request (F16, BF16).
    private static readonly Dictionary<string, (int Size, DType? DType, string? Raw)> DTypes = new(StringComparer.Ordinal)
    {
        ["F32"] = (4, DType.Float32, null), ["F64"] = (8, DType.Float64, null), ["I64"] = (8, DType.Int64, null), ["BOOL"] = (1, DType.Bool, null),
        ["F16"] = (2, null, "HalfStorage"), ["BF16"] = (2, null, "BFloat16Storage"), ["I32"] = (4, DType.Int32, null), ["I16"] = (2, null, null),
        ["I8"] = (1, null, null), ["U8"] = (1, null, null), ["U16"] = (2, null, null), ["U32"] = (4, null, null), ["U64"] = (8, null, null),
        ["F8_E4M3"] = (1, null, null), ["F8_E5M2"] = (1, null, null),
    };

    /// <summary>Saves <paramref name="tensors"/> (in name order) with optional string metadata, atomically.</summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var bytes = ToBytes(tensors, metadata);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>The bytes <see cref="Save"/> writes.</summary>
    public static byte[] ToBytes(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var names = new List<string>(tensors.Keys);
        names.Sort(StringComparer.Ordinal);
        var payloads = new List<byte[]>(names.Count);
        using var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                if (name == "__metadata__") throw new ArgumentException("a tensor cannot be named __metadata__");
                var t = tensors[name];
                var data = StorageBytes.ToBytes(t.Detach().Clone().storage);
                payloads.Add(data);
                w.WriteStartObject(name);
                w.WriteString("dtype", Names[t.DType]);
                w.WriteStartArray("shape");
                foreach (int s in t.shape) w.WriteNumberValue(s);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + data.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += data.Length;
            }
            w.WriteEndObject();
        }
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        int headerLength = (int)((json.Length + 7) / 8 * 8);
        using var ms = new MemoryStream();
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)headerLength);
        ms.Write(len);
        ms.Write(json.GetBuffer(), 0, (int)json.Length);
        for (long i = json.Length; i < headerLength; i++) ms.WriteByte((byte)' ');
        foreach (var p in payloads) ms.Write(p);
        return ms.ToArray();
    }

    /// <summary>
    /// Loads every tensor. With <paramref name="floatingPoint"/>, every floating-point tensor (F16, BF16, F32, F64) is
    /// converted to that dtype, as <c>module.to(dtype)</c> would; without it F16 and BF16 are refused by name. Other
    /// dtypes Descent lacks (I32, U8, …) are refused by name.
    /// </summary>
    public static Dictionary<string, Tensor> Load(string path, DType? floatingPoint = null) => Load(path, out _, floatingPoint);

    /// <summary>Loads every tensor and the <c>__metadata__</c> map (empty when absent); <paramref name="floatingPoint"/> as in <see cref="Load(string, DType?)"/>.</summary>
    public static Dictionary<string, Tensor> Load(string path, out Dictionary<string, string> metadata, DType? floatingPoint = null)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(fs, out metadata, floatingPoint);
    }

    /// <summary>Loads from a seekable stream.</summary>
    public static Dictionary<string, Tensor> Load(Stream stream, out Dictionary<string, string> metadata, DType? floatingPoint = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (floatingPoint is { } f && !f.IsFloatingPoint()) throw new ArgumentException($"floatingPoint must be a floating-point dtype, not {f.TorchName()}", nameof(floatingPoint));
        Dictionary<string, string>? meta = null;
        var result = LoaderGuard.Run(() => LoadChecked(stream, floatingPoint, out meta));
        metadata = meta!;
        return result;
    }

    private static Dictionary<string, Tensor> LoadChecked(Stream stream, DType? floatingPoint, out Dictionary<string, string> metadata)
    {
        long fileLength = stream.Length;
        if (fileLength < 8) throw Bad("file is shorter than the 8-byte header length");
        Span<byte> len = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(len);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (headerLength > MaxHeaderSize) throw Bad($"header length {headerLength} exceeds the {MaxHeaderSize}-byte limit");
        if (headerLength > (ulong)(fileLength - 8)) throw Bad($"header length {headerLength} exceeds the {fileLength - 8} bytes after it");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = fileLength - 8 - (long)headerLength;
        var entries = ParseHeader(header, dataLength, floatingPoint, out metadata);

        var result = new Dictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
        long dataStart = 8 + (long)headerLength;
        foreach (var e in entries)
        {
            var buffer = new byte[e.End - e.Begin]; // bounded: checked against the file's length above
            stream.Position = dataStart + e.Begin;
            stream.ReadExactly(buffer);
            var t = e.Raw is not null ? RawElements.Widen(buffer, e.Raw, e.Shape) : new Tensor(StorageBytes.ToStorage(e.DType, buffer), e.Shape);
            result[e.Name] = floatingPoint is { } f && t.DType.IsFloatingPoint() ? t.To(f) : t;
        }
        return result;
    }

    /// <summary>One tensor of the header; <paramref name="Raw"/> names the storage class of an F16/BF16 one, widened when read.</summary>
    private sealed record Entry(string Name, DType DType, string? Raw, int[] Shape, long Begin, long End);

    private static InvalidDataException Bad(string message) => new("safetensors: " + message);

    private static List<Entry> ParseHeader(byte[] header, long dataLength, DType? floatingPoint, out Dictionary<string, string> metadata)
    {
        metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        // System.Text.Json parses invalid UTF-8 inside strings lazily and throws only when a name is read.
        try { _ = new UTF8Encoding(false, true).GetCharCount(header); }
        catch (DecoderFallbackException) { throw Bad("header is not valid UTF-8"); }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw Bad("header is not valid JSON: " + e.Message); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad("header is not a JSON object");
            var entries = new List<Entry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(prop.Name)) throw Bad($"duplicate key '{prop.Name}' in header");
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw Bad("__metadata__ is not an object");
                    foreach (var m in prop.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : throw Bad($"metadata '{m.Name}' is not a string");
                    continue;
                }
                entries.Add(ParseEntry(prop.Name, prop.Value, floatingPoint));
            }
            // As the reference implementation: sorted by offset, the tensors tile the data exactly.
            entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
            long expected = 0;
            foreach (var e in entries)
            {
                if (e.Begin != expected) throw Bad($"tensor '{e.Name}' starts at {e.Begin}, expected {expected} (gap or overlap)");
                expected = e.End;
            }
            if (expected != dataLength) throw Bad($"tensors cover {expected} bytes but the file holds {dataLength} after the header");
            return entries;
        }
    }

    private static Entry ParseEntry(string name, JsonElement v, DType? floatingPoint)
    {
        if (v.ValueKind != JsonValueKind.Object) throw Bad($"entry '{name}' is not an object");
        if (!v.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String) throw Bad($"entry '{name}' has no dtype");
        string dtype = dt.GetString()!;
        if (!DTypes.TryGetValue(dtype, out var info)) throw Bad($"entry '{name}' has unknown dtype '{dtype}'");
        if (info.Raw is not null && floatingPoint is null)
            throw Bad($"entry '{name}' has dtype {dtype}, which Descent has no tensors for; load with floatingPoint: DType.Float32 to widen it exactly");
        if (info.DType is null && info.Raw is null) throw Bad($"entry '{name}' has dtype {dtype}, which Descent does not support");
        if (!v.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array) throw Bad($"entry '{name}' has no shape");
        if (sh.GetArrayLength() > 64) throw Bad($"entry '{name}' has more than 64 dimensions");
        var shape = new int[sh.GetArrayLength()];
        long numel = 1;
        int i = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int s) || s < 0) throw Bad($"entry '{name}' has a bad dimension in its shape");
            shape[i++] = s;
            numel *= s;
            if (numel > int.MaxValue) throw Bad($"entry '{name}' has more than {int.MaxValue} elements");
        }
        if (!v.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw Bad($"entry '{name}' has no [begin, end] data_offsets");
        if (off[0].ValueKind != JsonValueKind.Number || off[1].ValueKind != JsonValueKind.Number
            || !off[0].TryGetInt64(out long begin) || !off[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw Bad($"entry '{name}' has invalid data_offsets");
        if (end - begin != numel * info.Size)
            throw Bad($"entry '{name}' spans {end - begin} bytes but {dtype} {Tensors.ShapeHelper.Format(shape)} needs {numel * info.Size}");
        foreach (var p in v.EnumerateObject())
            if (p.Name is not ("dtype" or "shape" or "data_offsets")) throw Bad($"entry '{name}' has unknown field '{p.Name}'");
        return new Entry(name, info.DType ?? DType.Float32, info.Raw, shape, begin, end);
    }
}
