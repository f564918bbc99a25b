using System.Buffers.Binary;
using System.Text;
using Descent.Serialization;

namespace Descent.Tests.Serialization;

/// <summary>
/// Several hundred hostile torch.save files, made here by rule rather than committed: every class of structural
/// attack on the readers — containers nested far past the depth limit at every opcode that builds or consumes
/// them (dict keys, persistent ids, OrderedDict pairs, torch.Size, REDUCE arguments, BUILD state); keys and
/// containers reused to make hashing, comparing or copying quadratic; object, memo and mark floods; legacy storages
/// whose byte counts overflow; tensor shapes, strides and offsets whose products wrap; malformed zip archives; and
/// globals that would run code. Each comes as a bare pickle inside the zip format and, where the attack is in the
/// object pickle, in the legacy format too. Every case must be refused (<see cref="InvalidDataException"/>) except
/// those named <c>ok-…</c>: large but valid files, which must load within the same bounds.
/// </summary>
internal static partial class HostileCorpus
{
    public sealed record Case(string Class, string Name, byte[] Bytes)
    {
        /// <summary>A valid file among the hostile ones (within every limit): it must load, not be refused.</summary>
        public bool Loads => Name.StartsWith("ok-", StringComparison.Ordinal);

        public override string ToString() => $"{Class}/{Name}";
    }

    public static IEnumerable<Case> All()
    {
        foreach (var (cls, name, pkl) in Pickles())
        {
            // The geometry cases need storage '0' in the archive, so that the view, not a missing record, is refused.
            var record = cls == "wrapped-geometry" && GeometryNumel(name) is long n and >= 0 and <= 1024 ? new byte[n * 4] : null;
            yield return new Case(cls, name + ".zip", record is null ? Zip(pkl) : Zip(pkl, ("data/0", record)));
            yield return new Case(cls, name + ".legacy", Legacy(pkl));
        }
        foreach (var c in LegacyStorages()) yield return c;
        foreach (var c in Zips()) yield return c;
        foreach (var c in HalfPrecision()) yield return c;
        foreach (var c in Deflated()) yield return c;
    }

    // ---- Pickles --------------------------------------------------------------------------------------------------

    private static IEnumerable<(string, string, byte[])> Pickles()
    {
        foreach (var c in DeepNesting()) yield return c;
        foreach (var c in QuadraticWork()) yield return c;
        foreach (var c in Floods()) yield return c;
        foreach (var c in WrappedGeometry()) yield return c;
        foreach (var c in Grammar()) yield return c;
        foreach (var c in Globals()) yield return c;
        foreach (var c in Modules()) yield return c;
    }

    /// <summary>Ways to build a nested value of a given depth, leaving it on the stack.</summary>
    private static readonly (string Name, Action<P, int> Build)[] Nesters =
    [
        ("tuple1", (p, n) => { p.Op(0x29); for (int i = 0; i < n; i++) p.Op(0x85); }),            // () then TUPLE1 n times
        ("tuple-mark", (p, n) => { for (int i = 0; i < n; i++) p.Op(0x28); p.Op(0x29); for (int i = 0; i < n; i++) p.Op(0x74); }),
        ("tuple2", (p, n) => { p.Op(0x29); for (int i = 0; i < n; i++) { p.Op(0x4e); p.Op(0x86); } }),
        ("tuple3", (p, n) => { p.Op(0x29); for (int i = 0; i < n; i++) { p.Op(0x4e); p.Op(0x4e); p.Op(0x87); } }),
        // L(k+1) = [L(k)] by APPEND, the inner list parked in the memo meanwhile.
        ("list-append", (p, n) => { p.Op(0x5d); for (int i = 0; i < n; i++) { p.Op(0x71, 0); p.Op(0x30); p.Op(0x5d); p.Op(0x68, 0); p.Op(0x61); } }),
        ("list-mark", (p, n) => { for (int i = 0; i < n; i++) p.Op(0x28); p.Op(0x5d); for (int i = 0; i < n; i++) p.Op(0x6c); }),
        ("dict-setitem", (p, n) => { p.Op(0x7d); for (int i = 0; i < n; i++) { p.Op(0x71, 0); p.Op(0x30); p.Op(0x7d); p.Op(0x4b, 1); p.Op(0x68, 0); p.Op(0x73); } }),
        ("dict-mark", (p, n) => { for (int i = 0; i < n; i++) { p.Op(0x28); p.Op(0x4b, 1); } p.Op(0x7d); for (int i = 0; i < n; i++) p.Op(0x64); }),
    ];

    private static IEnumerable<(string, string, byte[])> DeepNesting()
    {
        int[] depths = [1001, 20_000, 60_000];
        foreach (var (nester, build) in Nesters)
            foreach (int depth in depths)
            {
                string n = $"{nester}-{depth}";
                // As the result itself.
                yield return ("deep-nesting", n + "-value", P.Proto(2).Then(p => build(p, depth)).Stop());
                // Inside a list that is the result.
                yield return ("deep-nesting", n + "-in-list", P.Proto(2).Then(p => { p.Op(0x5d); build(p, depth); p.Op(0x61); }).Stop());
                if (!nester.StartsWith("tuple", StringComparison.Ordinal)) continue;
                // As a dict key (hashing and equality recurse in a naive reader).
                yield return ("deep-nesting", n + "-dict-key", P.Proto(2).Then(p => { p.Op(0x7d); build(p, depth); p.Op(0x4e); p.Op(0x73); }).Stop());
                // As a persistent id.
                yield return ("deep-nesting", n + "-persid", P.Proto(2).Then(p => { build(p, depth); p.Op(0x51); }).Stop());
                // As an OrderedDict pair's key.
                yield return ("deep-nesting", n + "-ordereddict", P.Proto(2).Then(p =>
                {
                    p.Global("collections", "OrderedDict"); p.Op(0x5d); build(p, depth); p.Op(0x4e); p.Op(0x86); p.Op(0x61); p.Op(0x85); p.Op(0x52);
                }).Stop());
                // As torch.Size's argument.
                yield return ("deep-nesting", n + "-torch-size", P.Proto(2).Then(p => { p.Global("torch", "Size"); build(p, depth); p.Op(0x85); p.Op(0x52); }).Stop());
                // As REDUCE arguments.
                yield return ("deep-nesting", n + "-reduce-args", P.Proto(2).Then(p => { p.Global("collections", "OrderedDict"); build(p, depth); p.Op(0x52); }).Stop());
                // As BUILD state keys.
                yield return ("deep-nesting", n + "-build", P.Proto(2).Then(p => { p.Op(0x7d); p.Op(0x7d); build(p, depth); p.Op(0x4e); p.Op(0x73); p.Op(0x62); }).Stop());
                // Memoised and fetched back, then used as a key.
                yield return ("deep-nesting", n + "-memo-key", P.Proto(2).Then(p => { build(p, depth); p.Op(0x71, 0); p.Op(0x30); p.Op(0x7d); p.Op(0x68, 0); p.Op(0x4e); p.Op(0x73); }).Stop());
            }
        // A deep tuple in an error message (a bad storage offset names it).
        yield return ("deep-nesting", "tuple1-900-in-message", P.Proto(2).Then(p =>
        {
            p.Global("torch._utils", "_rebuild_tensor_v2"); p.Op(0x28); Nesters[0].Build(p, 900); p.Op(0x74); p.Op(0x52);
        }).Stop());
    }

    private static IEnumerable<(string, string, byte[])> QuadraticWork()
    {
        foreach (int reuse in new[] { 20_000, 100_000 })
        {
            // A deep tuple (under the depth limit) memoised once and used as a key many times.
            yield return ("quadratic-work", $"deep-key-reused-{reuse}", P.Proto(2).Then(p =>
            {
                Nesters[0].Build(p, 900); p.Op(0x71, 0); p.Op(0x30); p.Op(0x7d);
                for (int i = 0; i < reuse; i++) { p.Op(0x68, 0); p.Op(0x4e); p.Op(0x73); }
            }).Stop());
            // A wide tuple memoised once and used as a key many times.
            yield return ("quadratic-work", $"wide-key-reused-{reuse}", P.Proto(2).Then(p =>
            {
                p.Op(0x28); for (int i = 0; i < 5000; i++) p.Op(0x4b, (byte)i); p.Op(0x74); p.Op(0x71, 0); p.Op(0x30); p.Op(0x7d);
                for (int i = 0; i < reuse; i++) { p.Op(0x68, 0); p.Op(0x4e); p.Op(0x73); }
            }).Stop());
            // A long string memoised once and used as a key many times.
            yield return ("quadratic-work", $"long-string-key-reused-{reuse}", P.Proto(2).Then(p =>
            {
                p.Unicode(new string('k', 100_000)); p.Op(0x71, 0); p.Op(0x30); p.Op(0x7d);
                for (int i = 0; i < reuse; i++) { p.Op(0x68, 0); p.Op(0x4e); p.Op(0x73); }
            }).Stop());
            // Two equal but distinct wide tuples: every SETITEM compares them element by element.
            yield return ("quadratic-work", $"equal-distinct-keys-{reuse}", P.Proto(2).Then(p =>
            {
                p.Op(0x7d);
                for (int k = 0; k < 2; k++) { p.Op(0x28); for (int i = 0; i < 5000; i++) p.Op(0x4b, (byte)i); p.Op(0x74); p.Op(0x71, (byte)k); p.Op(0x30); }
                for (int i = 0; i < reuse; i++) { p.Op(0x68, (byte)(i & 1)); p.Op(0x4e); p.Op(0x73); }
            }).Stop());
            // OrderedDict of a memoised list of many pairs, built again and again.
            yield return ("quadratic-work", $"ordereddict-rebuilt-{reuse}", P.Proto(2).Then(p =>
            {
                p.Op(0x5d); p.Op(0x28); for (int i = 0; i < 5000; i++) { p.Op(0x4b, (byte)i); p.Op(0x4e); p.Op(0x86); }
                p.Op(0x65); p.Op(0x71, 0); p.Op(0x30);
                p.Op(0x5d); p.Op(0x28);
                for (int i = 0; i < reuse / 4; i++) { p.Global("collections", "OrderedDict"); p.Op(0x68, 0); p.Op(0x85); p.Op(0x52); }
                p.Op(0x65);
            }).Stop());
            // bytes made from a memoised long string again and again (protocol 2's _codecs.encode).
            yield return ("quadratic-work", $"encode-repeated-{reuse}", P.Proto(2).Then(p =>
            {
                p.Unicode(new string('b', 100_000)); p.Op(0x71, 0); p.Op(0x30); p.Op(0x5d); p.Op(0x28);
                for (int i = 0; i < reuse / 4; i++) { p.Global("_codecs", "encode"); p.Op(0x68, 0); p.Unicode("latin1"); p.Op(0x86); p.Op(0x52); }
                p.Op(0x65);
            }).Stop());
            // BUILD with a memoised attribute dict of many keys, again and again.
            yield return ("quadratic-work", $"build-repeated-{reuse}", P.Proto(2).Then(p =>
            {
                p.Op(0x7d); p.Op(0x28); for (int i = 0; i < 5000; i++) { p.Op(0x4a); p.Int32(i); p.Op(0x4e); }
                p.Op(0x75); p.Op(0x71, 0); p.Op(0x30);
                p.Op(0x7d);
                for (int i = 0; i < reuse / 4; i++) { p.Op(0x68, 0); p.Op(0x62); }
            }).Stop());
        }
        // A tuple DAG: each level holds the one below twice, so its unfolded size doubles per level.
        foreach (int levels in new[] { 40, 62, 200 })
            yield return ("quadratic-work", $"tuple-dag-{levels}-key", P.Proto(2).Then(p =>
            {
                p.Op(0x29);
                for (int i = 0; i < levels; i++) { p.Op(0x32); p.Op(0x86); }
                p.Op(0x71, 0); p.Op(0x30); p.Op(0x7d); p.Op(0x68, 0); p.Op(0x4e); p.Op(0x73);
                // and a second, equal but distinct DAG compared with it
                p.Op(0x29);
                for (int i = 0; i < levels; i++) { p.Op(0x32); p.Op(0x86); }
                p.Op(0x4e); p.Op(0x73);
            }).Stop());
    }

    private static IEnumerable<(string, string, byte[])> Floods()
    {
        foreach (int n in new[] { 200_000, 1_000_000 })
        {
            yield return ("flood", $"empty-dicts-{n}", P.Proto(2).Then(p => { p.Op(0x5d); p.Op(0x28); for (int i = 0; i < n; i++) p.Op(0x7d); p.Op(0x65); }).Stop());
            yield return ("flood", $"empty-lists-{n}", P.Proto(2).Then(p => { p.Op(0x5d); p.Op(0x28); for (int i = 0; i < n; i++) p.Op(0x5d); p.Op(0x65); }).Stop());
            yield return ("flood", $"marks-{n}", P.Proto(2).Then(p => { for (int i = 0; i < n; i++) p.Op(0x28); p.Op(0x4e); }).Stop());
            yield return ("flood", $"ok-dup-{n}", P.Proto(2).Then(p => { p.Op(0x5d); p.Op(0x28); p.Op(0x4e); for (int i = 0; i < n; i++) p.Op(0x32); p.Op(0x65); }).Stop());
            yield return ("flood", $"ok-memo-sparse-{n / 4}", P.Proto(2).Then(p => { p.Op(0x4e); for (int i = 0; i < n / 4; i++) { p.Op(0x72); p.Int32(i * 7919 + 1); } }).Stop());
            yield return ("flood", $"ok-big-ints-{n / 8}", P.Proto(2).Then(p =>
            {
                p.Op(0x5d); p.Op(0x28); for (int i = 0; i < n / 8; i++) { p.Op(0x8a, 8); p.Int32(i); p.Int32(i | 0x40000000); }
                p.Op(0x65);
            }).Stop());
            yield return ("flood", $"unclosed-{n}", P.Proto(2).Then(p => { for (int i = 0; i < n; i++) p.Op(0x4e); }).Stop());
        }
        // Length fields that promise more than the file holds.
        yield return ("flood", "binunicode8-huge", P.Proto(4).Then(p => { p.Op(0x8d); p.Int64(long.MaxValue); }).Stop());
        yield return ("flood", "binbytes8-huge", P.Proto(4).Then(p => { p.Op(0x8e); p.Int64(1L << 40); }).Stop());
        yield return ("flood", "bytearray8-negative", P.Proto(5).Then(p => { p.Op(0x96); p.Int64(-1); }).Stop());
        yield return ("flood", "long4-huge", P.Proto(2).Then(p => { p.Op(0x8b); p.Int32(int.MaxValue); }).Stop());
        yield return ("flood", "binunicode-huge", P.Proto(2).Then(p => { p.Op(0x58); p.Int32(-2); }).Stop());
        yield return ("flood", "frame-huge", P.Proto(4).Then(p => { p.Op(0x95); p.Int64(long.MaxValue); p.Op(0x4e); }).Stop());
    }

    private static long? GeometryNumel(string name) =>
        GeometryCases.FirstOrDefault(c => name == c.Name || name == c.Name + "-param") is { Name: not null } c ? c.Numel : null;

    /// <summary>Tensors whose shape, stride or offset products wrap or run past their storage.</summary>
    private static IEnumerable<(string, string, byte[])> WrappedGeometry()
    {
        foreach (var (name, size, stride, offset, numel) in GeometryCases)
        {
            yield return ("wrapped-geometry", name, P.Proto(2).Then(p => p.RebuildTensor(size, stride, offset, numel)).Stop());
            yield return ("wrapped-geometry", name + "-param", P.Proto(2).Then(p =>
            {
                p.Global("torch._utils", "_rebuild_parameter"); p.Op(0x28); p.RebuildTensor(size, stride, offset, numel); p.Op(0x88); p.Global("collections", "OrderedDict"); p.Op(0x29); p.Op(0x52); p.Op(0x74); p.Op(0x52);
            }).Stop());
        }
    }

    private static readonly (string Name, long[] Size, long[] Stride, long Offset, long Numel)[] GeometryCases =
        [
            ("size-65536^4", [65536, 65536, 65536, 65536], [0, 0, 0, 1], 0, 4),
            ("size-wraps-to-4", [4, 1L << 30, 1L << 30, 4], [1, 1, 1, 1], 0, 4),
            ("size-wraps-to-0", [1L << 32, 1L << 32], [1, 1], 0, 4),
            ("size-2^31", [1L << 31], [1], 0, 4),
            ("size-negative", [-1, 4], [4, 1], 0, 4),
            ("size-int64-min", [long.MinValue], [1], 0, 4),
            ("stride-huge", [2, 2], [long.MaxValue, 1], 0, 4),
            ("stride-wraps", [2, 2], [1L << 62, 1], 0, 4),
            ("stride-negative", [2, 2], [-2, 1], 0, 4),
            ("stride-int-max", [3], [int.MaxValue], 0, 4),
            ("offset-huge", [1], [1], long.MaxValue, 4),
            ("offset-negative", [1], [1], -1, 4),
            ("offset-past-end", [2], [1], 3, 4),
            ("view-past-end", [3, 2], [2, 1], 0, 4),
            ("dims-65", Enumerable.Repeat(1L, 65).ToArray(), Enumerable.Repeat(1L, 65).ToArray(), 0, 4),
            ("numel-huge-storage", [2], [1], 0, 1L << 61),
            ("numel-negative-storage", [2], [1], 0, -4),
            ("numel-wraps-bytes", [1], [1], 0, (1L << 62) + 1),
        ];

    private static IEnumerable<(string, string, byte[])> Grammar()
    {
        byte[][] bodies =
        [
            [], [0x2e], [0x4e, 0x4e, 0x2e], [0x28, 0x2e], [0x31], [0x30], [0x74], [0x6c], [0x64], [0x65], [0x75], [0x73], [0x61],
            [0x68, 5], [0x6a, 0xff, 0xff, 0xff, 0xff], [0x71, 0], [0x94], [0x52], [0x81], [0x92], [0x62], [0x51], [0x50, 0x0a],
            [0x82, 1], [0x83, 1, 0], [0x84, 1, 0, 0, 0], [0x8f], [0x90], [0x91], [0x97], [0x98], [0xff], [0x4e, 0x85, 0x4e, 0x73],
            [0x5d, 0x4e, 0x4e, 0x73], [0x7d, 0x5d, 0x4e, 0x73], [0x4e, 0x61], [0x7d, 0x4e, 0x61], [0x29, 0x29, 0x52],
            [0x4e, 0x29, 0x52], [0x4e, 0x29, 0x7d, 0x92], [0x7d, 0x4e, 0x62], [0x5d, 0x7d, 0x62], [0x80, 9],
            "Vabc\\u12\n"u8.ToArray(), "V\\UFFFFFFFF\n"u8.ToArray(), "V\\U0000D800\n"u8.ToArray(), "V\\U00110000\n"u8.ToArray(), "S'abc\n"u8.ToArray(), "S\"\\x1\"\n"u8.ToArray(), "g-1\n"u8.ToArray(), "p-5\n"u8.ToArray(),
            [0x8a, 0xff], [0x8c, 10, (byte)'a'], [0x55, 3, 0xff, 0xfe, 0xfd], [0x58, 2, 0, 0, 0, 0xc3, 0x28],
        ];
        for (int i = 0; i < bodies.Length; i++)
            yield return ("grammar", $"body-{i:D2}", P.Proto(2).Then(p => p.Raw(bodies[i])).Stop());
        // Text literals that are valid after all: a 41-digit int, a float that overflows to inf, nan.
        foreach (var (name, text) in new[] { ("ok-int-41-digits", "I99999999999999999999999999999999999999999\n"), ("ok-float-inf", "F1e999999\n"), ("ok-float-nan", "Fnan\n") })
            yield return ("grammar", name, P.Proto(2).Then(p => p.Raw(Encoding.ASCII.GetBytes(text))).Stop());
        // A line opcode with no newline before the end, and one longer than any allowed line.
        yield return ("grammar", "line-unterminated", P.Proto(2).Then(p => p.Raw(Encoding.ASCII.GetBytes("I" + new string('1', 100_000)))).Stop());
        yield return ("grammar", "line-too-long", P.Proto(2).Then(p => p.Raw(Encoding.ASCII.GetBytes("I" + new string('1', 100_000) + "\n"))).Stop());
        yield return ("grammar", "set-opcodes", P.Proto(4).Then(p => { p.Op(0x8f); p.Op(0x28); p.Op(0x4e); p.Op(0x90); }).Stop());
        yield return ("grammar", "self-containing-list", P.Proto(2).Then(p => { p.Op(0x5d); p.Op(0x71, 0); p.Op(0x68, 0); p.Op(0x61); }).Stop());
        yield return ("grammar", "self-containing-dict", P.Proto(2).Then(p => { p.Op(0x7d); p.Op(0x71, 0); p.Op(0x4b, 1); p.Op(0x68, 0); p.Op(0x73); }).Stop());
        yield return ("grammar", "list-key", P.Proto(2).Then(p => { p.Op(0x7d); p.Op(0x5d); p.Op(0x4e); p.Op(0x73); }).Stop());
        yield return ("grammar", "global-as-value", P.Proto(2).Then(p => p.Global("torch", "FloatStorage")).Stop());
    }

    private static IEnumerable<(string, string, byte[])> Globals()
    {
        (string Module, string Name)[] globals =
        [
            ("os", "system"), ("posix", "system"), ("nt", "system"), ("builtins", "eval"), ("builtins", "exec"), ("__builtin__", "eval"),
            ("builtins", "getattr"), ("builtins", "__import__"), ("subprocess", "Popen"), ("subprocess", "check_output"), ("pty", "spawn"),
            ("torch", "load"), ("torch._utils", "_rebuild_device_tensor_from_numpy"), ("numpy.core.multiarray", "_reconstruct"),
            ("collections", "OrderedDict.__setitem__"), ("torch.nn.modules.linear", "Linear"), ("runpy", "_run_code"), ("webbrowser", "open"),
        ];
        foreach (var (module, name) in globals)
        {
            yield return ("globals", $"{module}.{name}", P.Proto(2).Then(p => { p.Global(module, name); p.Unicode("touch pwned"); p.Op(0x85); p.Op(0x52); }).Stop());
            yield return ("globals", $"{module}.{name}-stack", P.Proto(4).Then(p => { p.Unicode(module); p.Unicode(name); p.Op(0x93); p.Unicode("touch pwned"); p.Op(0x85); p.Op(0x52); }).Stop());
            yield return ("globals", $"{module}.{name}-inst", P.Proto(0).Then(p => { p.Op(0x28); p.Unicode("x"); p.Raw(Encoding.ASCII.GetBytes($"i{module}\n{name}\n")); }).Stop());
        }
    }

    // ---- Legacy storages ------------------------------------------------------------------------------------------

    private static IEnumerable<Case> LegacyStorages()
    {
        (string Name, long Declared, long Header, int Data)[] cases =
        [
            ("count-2^62+1", (1L << 62) + 1, (1L << 62) + 1, 4),
            ("count-2^61", 1L << 61, 1L << 61, 8),
            ("count-int64-max", long.MaxValue, long.MaxValue, 4),
            ("count-negative", 4, -4, 16),
            ("count-mismatch", 4, 5, 20),
            ("count-truncated", 4, 4, 15),
            ("count-2^31", 1L << 31, 1L << 31, 16),
        ];
        foreach (var (name, declared, header, data) in cases)
        {
            var obj = P.Proto(2).Then(p => p.RebuildTensor([1], [1], 0, declared, legacy: true)).Stop();
            var keys = P.Proto(2).Then(p => { p.Op(0x5d); p.Unicode("0"); p.Op(0x61); }).Stop();
            var tail = new byte[8 + data];
            BinaryPrimitives.WriteInt64LittleEndian(tail, header);
            yield return new Case("legacy-storage", name, Concat(LegacyHeader(), obj, keys, tail));
        }
        // Storages listed twice, never listed, or named only in the key list.
        var one = P.Proto(2).Then(p => p.RebuildTensor([1], [1], 0, 1, legacy: true)).Stop();
        var four = new byte[12];
        BinaryPrimitives.WriteInt64LittleEndian(four, 1);
        yield return new Case("legacy-storage", "listed-twice", Concat(LegacyHeader(), one, P.Proto(2).Then(p => { p.Op(0x5d); p.Unicode("0"); p.Op(0x61); p.Unicode("0"); p.Op(0x61); }).Stop(), four, four));
        yield return new Case("legacy-storage", "never-listed", Concat(LegacyHeader(), one, P.Proto(2).Then(p => p.Op(0x5d)).Stop()));
        yield return new Case("legacy-storage", "unknown-key", Concat(LegacyHeader(), one, P.Proto(2).Then(p => { p.Op(0x5d); p.Unicode("9"); p.Op(0x61); }).Stop(), four));
        yield return new Case("legacy-storage", "wrong-magic", Concat(P.Proto(2).Then(p => { p.Op(0x8a, 2); p.Raw([1, 2]); }).Stop(), one));
        yield return new Case("legacy-storage", "wrong-protocol", Concat(P.Proto(2).Then(p => { p.Op(0x8a, 10); p.Raw(LegacyMagic); }).Stop(), P.Proto(2).Then(p => p.Op(0x4b, 7)).Stop()));
    }

    private static readonly byte[] LegacyMagic = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    private static byte[] LegacyHeader() => Concat(
        P.Proto(2).Then(p => { p.Op(0x8a, 10); p.Raw(LegacyMagic); }).Stop(),
        P.Proto(2).Then(p => { p.Op(0x4d); p.Raw([0xe9, 0x03]); }).Stop(),
        P.Proto(2).Then(p => { p.Op(0x7d); p.Unicode("little_endian"); p.Op(0x88); p.Op(0x73); }).Stop());

    /// <summary>An object pickle in the legacy format, with an empty storage list.</summary>
    private static byte[] Legacy(byte[] pkl) => Concat(LegacyHeader(), pkl, P.Proto(2).Then(p => p.Op(0x5d)).Stop());

    // ---- Zip archives ---------------------------------------------------------------------------------------------

    /// <summary>A torch.save zip archive holding <paramref name="pkl"/> as data.pkl, the given records and version 3.</summary>
    internal static byte[] Zip(byte[] pkl, params (string Name, byte[] Data)[] more)
    {
        using var ms = new MemoryStream();
        var zip = new ZipWriter(ms);
        zip.Add("archive/data.pkl", pkl);
        foreach (var (n, d) in more) zip.Add("archive/" + n, d);
        zip.Add("archive/version", "3\n"u8);
        zip.Finish();
        return ms.ToArray();
    }

    private static IEnumerable<Case> Zips()
    {
        var tensor = P.Proto(2).Then(p => p.RebuildTensor([2], [1], 0, 2)).Stop();
        var good = Zip(tensor, ("data/0", new byte[8]));
        int cd = LastIndexOf(good, [0x50, 0x4b, 0x01, 0x02], 0);
        int eocd = LastIndexOf(good, [0x50, 0x4b, 0x05, 0x06], 0);
        int z64 = LastIndexOf(good, [0x50, 0x4b, 0x06, 0x06], 0);
        byte[] With(int at, params byte[] v) { var b = (byte[])good.Clone(); v.CopyTo(b, at); return b; }
        yield return new Case("zip", "record-size-mismatch", Zip(tensor, ("data/0", new byte[12])));
        yield return new Case("zip", "record-missing", Zip(tensor));
        yield return new Case("zip", "version-999", ZipRaw(("archive/data.pkl", tensor), ("archive/data/0", new byte[8]), ("archive/version", "999\n"u8.ToArray())));
        yield return new Case("zip", "compressed-method", With(cd + 10, 8, 0));
        // The end record's fields are placeholders beside the zip64 end record, which is what counts.
        yield return new Case("zip", "ok-end-record-count-ignored", With(eocd + 10, 0xff, 0xff));
        yield return new Case("zip", "entry-count-huge", With(z64 + 32, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0));
        yield return new Case("zip", "entry-count-int64-max", With(z64 + 32, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f));
        yield return new Case("zip", "cd-size-huge", With(z64 + 40, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0));
        yield return new Case("zip", "cd-offset-huge", With(z64 + 48, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
        yield return new Case("zip", "zip64-locator-offset-huge", With(z64 + 56 + 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f));
        yield return new Case("zip", "entry-size-huge", With(cd + 24, 0xff, 0xff, 0xff, 0x7f));
        yield return new Case("zip", "entry-size-zip64-marker", With(cd + 24, 0xff, 0xff, 0xff, 0xff));
        yield return new Case("zip", "entry-offset-huge", With(cd + 42, 0xff, 0xff, 0xff, 0x7f));
        yield return new Case("zip", "entry-name-long", With(cd + 28, 0xff, 0xff));
        yield return new Case("zip", "entry-extra-long", With(cd + 30, 0xff, 0xff));
        yield return new Case("zip", "crc-wrong", With(cd + 16, 1, 2, 3, 4));
        yield return new Case("zip", "local-header-bad", With(0, 0x50, 0x4b, 0x09, 0x09));
        yield return new Case("zip", "local-name-long", With(26, 0xff, 0xff));
        yield return new Case("zip", "truncated-half", good[..(good.Length / 2)]);
        yield return new Case("zip", "truncated-eocd", good[..^10]);
        yield return new Case("zip", "no-data-pkl", ZipRaw(("archive/other.pkl", tensor)));
        yield return new Case("zip", "no-folder", ZipRaw(("data.pkl", tensor)));
        yield return new Case("zip", "empty", ZipRaw());
        yield return new Case("zip", "byteorder-unknown", Zip(tensor, ("byteorder", "middle"u8.ToArray()), ("data/0", new byte[8])));
        yield return new Case("zip", "version-not-a-number", ZipRaw(("archive/data.pkl", tensor), ("archive/data/0", new byte[8]), ("archive/version", "x\n"u8.ToArray())));
        yield return new Case("zip", "version-huge-record", ZipRaw(("archive/data.pkl", tensor), ("archive/data/0", new byte[8]), ("archive/version", new byte[100_000])));
        // Two storage ids with the same key but different types.
        yield return new Case("zip", "storage-type-conflict", Zip(P.Proto(2).Then(p =>
        {
            p.Op(0x5d); p.RebuildTensor([2], [1], 0, 2); p.Op(0x61); p.RebuildTensor([1], [1], 0, 1, storageType: "DoubleStorage"); p.Op(0x61);
        }).Stop(), ("data/0", new byte[8])));
        // Directory records that all point at one large entry: each storage read would copy it again.
        foreach (int n in new[] { 100, 2000 })
            yield return new Case("zip", $"entries-share-data-{n}", SharedDataZip(n));
        // Many tiny entries.
        var many = new List<(string, byte[])>();
        for (int i = 0; i < 20_000; i++) many.Add(($"archive/x{i}", []));
        yield return new Case("zip", "many-entries", ZipRaw([("archive/data.pkl", P.Proto(2).Then(p => { for (int i = 0; i < 100; i++) p.Op(0x28); }).Stop()), .. many]));
    }

    private static byte[] SharedDataZip(int n)
    {
        const int Floats = 1 << 18; // 1 MiB
        var pkl = P.Proto(2).Then(p =>
        {
            p.Op(0x5d); p.Op(0x28);
            for (int i = 0; i < n; i++)
            {
                p.Global("torch._utils", "_rebuild_tensor_v2"); p.Op(0x28);
                p.Op(0x28); p.Unicode("storage"); p.Global("torch", "FloatStorage"); p.Unicode($"{i}"); p.Unicode("cpu"); p.Long(Floats); p.Op(0x74); p.Op(0x51);
                p.Long(0); p.Op(0x28); p.Long(1); p.Op(0x74); p.Op(0x28); p.Long(1); p.Op(0x74); p.Op(0x89); p.Op(0x4e); p.Op(0x74); p.Op(0x52);
            }
            p.Op(0x65);
        }).Stop();
        var entries = new List<(string, byte[])> { ("archive/data.pkl", pkl), ("archive/data/0", new byte[Floats * 4]) };
        for (int i = 1; i < n; i++) entries.Add(($"archive/data/{i}", []));
        var zip = ZipRaw([.. entries]);
        // Point every data/i record (i > 0) at data/0's local entry, with its sizes and CRC.
        var records = CentralRecords(zip);
        int first = records.Single(r => r.Name == "archive/data/0").At;
        foreach (var (at, name) in records)
            if (name.StartsWith("archive/data/", StringComparison.Ordinal) && at != first)
            {
                zip.AsSpan(first + 16, 12).CopyTo(zip.AsSpan(at + 16)); // CRC, compressed and uncompressed size
                zip.AsSpan(first + 42, 4).CopyTo(zip.AsSpan(at + 42));  // local header offset
            }
        return zip;
    }

    private static List<(int At, string Name)> CentralRecords(byte[] zip)
    {
        var list = new List<(int, string)>();
        for (int i = 0; i + 46 <= zip.Length; i++)
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) == 0x02014b50)
            {
                int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28));
                list.Add((i, Encoding.UTF8.GetString(zip, i + 46, nameLength)));
                i += 45 + nameLength;
            }
        return list;
    }

    private static byte[] ZipRaw(params (string Name, byte[] Data)[] entries)
    {
        using var ms = new MemoryStream();
        var zip = new ZipWriter(ms);
        foreach (var (n, d) in entries) zip.Add(n, d);
        zip.Finish();
        return ms.ToArray();
    }

    private static int LastIndexOf(byte[] data, byte[] pattern, int from)
    {
        for (int i = data.Length - pattern.Length; i >= from; i--)
            if (data.AsSpan(i, pattern.Length).SequenceEqual(pattern)) return i;
        throw new InvalidOperationException("pattern not found");
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var all = new List<byte>();
        foreach (var p in parts) all.AddRange(p);
        return all.ToArray();
    }

    /// <summary>A pickle under construction, opcode by opcode.</summary>
    internal sealed class P
    {
        private readonly List<byte> bytes = [];

        public static P Proto(byte version)
        {
            var p = new P();
            if (version >= 2) p.Op(0x80, version);
            return p;
        }

        public P Then(Action<P> body)
        {
            body(this);
            return this;
        }

        public byte[] Stop()
        {
            bytes.Add(0x2e);
            return bytes.ToArray();
        }

        public void Op(byte op) => bytes.Add(op);

        public void Op(byte op, byte arg)
        {
            bytes.Add(op);
            bytes.Add(arg);
        }

        public void Raw(ReadOnlySpan<byte> data)
        {
            foreach (var b in data) bytes.Add(b);
        }

        public void Int32(int v)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, v);
            Raw(b);
        }

        public void Int64(long v)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, v);
            Raw(b);
        }

        /// <summary>An int of any size: BININT when it fits, else LONG1.</summary>
        public void Long(long v)
        {
            if (v is >= int.MinValue and <= int.MaxValue) { Op(0x4a); Int32((int)v); return; }
            Op(0x8a, 8);
            Int64(v);
        }

        public void Unicode(string s)
        {
            var b = Encoding.UTF8.GetBytes(s);
            Op(0x58);
            Int32(b.Length);
            Raw(b);
        }

        public void Global(string module, string name) => Raw(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));

        /// <summary>torch's _rebuild_tensor_v2 over storage '0' of <paramref name="numel"/> elements.</summary>
        public void RebuildTensor(long[] size, long[] stride, long offset, long numel, bool legacy = false, string storageType = "FloatStorage")
        {
            Global("torch._utils", "_rebuild_tensor_v2");
            Op(0x28);
            // persistent id ('storage', torch.FloatStorage, '0', 'cpu', numel[, None])
            Op(0x28); Unicode("storage"); Global("torch", storageType); Unicode("0"); Unicode("cpu"); Long(numel);
            if (legacy) Op(0x4e);
            Op(0x74); Op(0x51);
            Long(offset);
            Op(0x28); foreach (var s in size) Long(s); Op(0x74);
            Op(0x28); foreach (var s in stride) Long(s); Op(0x74);
            Op(0x89);
            Global("collections", "OrderedDict"); Op(0x29); Op(0x52);
            Op(0x74);
            Op(0x52);
        }
    }
}
