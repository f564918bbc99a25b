using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using static Descent.Serialization.PickleOpcodes;

namespace Descent.Serialization;

/// <summary>
/// A restricted unpickler: a loop over the opcodes (no recursion) that builds only data — None, bool, int,
/// float, str, bytes, tuple, list, dict/OrderedDict, tensors — and refuses every global that is not on the
/// allow-list (<see cref="PickleGlobals"/>) by name, before anything could be called. Reads protocols 0–5 as far
/// as torch.save and plain data need. Every declared length is checked against the bytes left; object count,
/// memo size, stack size, result nesting, work and memory are bounded by <see cref="PickleLimits"/> while the
/// pickle is read (nesting is checked as containers are built and again, over the finished result, by an
/// iterative walk that also refuses reference cycles).
/// </summary>
internal sealed partial class Unpickler
{
    private readonly byte[] data;
    private readonly int end;
    private int pos;
    private readonly Func<object?, object?>? persistentLoad;
    private readonly PickleLimits limits;
    private List<object?> stack = [];
    private readonly Stack<List<object?>> marks = new();
    private readonly Stack<List<object?>> spareFrames = new();
    private readonly Memo memo = new();
    private readonly LoadBudget budget;
    // Nesting depth of each container built so far (by reference); scalars have depth 0.
    private readonly Dictionary<object, int> depths = new(ReferenceEqualityComparer.Instance);
    private int objects;

    private Unpickler(byte[] data, int start, int end, Func<object?, object?>? persistentLoad, PickleLimits? limits)
    {
        this.data = data;
        pos = start;
        this.end = end;
        this.persistentLoad = persistentLoad;
        this.limits = limits ?? PickleLimits.Default;
        budget = new LoadBudget(end - start, this.limits);
    }

    /// <summary>
    /// Unpickles one object from <paramref name="data"/>. <paramref name="persistentLoad"/> resolves persistent
    /// ids (torch.save's storages); without it a persistent id is refused.
    /// </summary>
    /// <exception cref="InvalidDataException">For anything malformed, truncated, refused or over a limit.</exception>
    public static object? Load(byte[] data, Func<object?, object?>? persistentLoad = null, PickleLimits? limits = null) =>
        Load(data, 0, out _, persistentLoad, limits);

    /// <summary>Unpickles the object that starts at <paramref name="start"/>; <paramref name="next"/> is where it ended.</summary>
    public static object? Load(byte[] data, int start, out int next, Func<object?, object?>? persistentLoad = null, PickleLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (start < 0 || start > data.Length) throw new ArgumentOutOfRangeException(nameof(start));
        var u = new Unpickler(data, start, data.Length, persistentLoad, limits);
        var result = LoaderGuard.Run(() =>
        {
            var r = u.Run();
            ObjectGraphCheck.Check(r, u.limits.MaxDepth);
            return r;
        });
        next = u.pos;
        return result;
    }

    private object? Run()
    {
        while (true)
        {
            int at = pos;
            byte op = ReadByte();
            try
            {
                if (op == Stop)
                {
                    if (marks.Count != 0) throw Bad("STOP inside an unclosed MARK");
                    if (stack.Count != 1) throw Bad($"STOP with {stack.Count} values on the stack (expected 1)");
                    return stack[0];
                }
                budget.Charge(1);
                Step(op);
                budget.CheckMemory();
            }
            catch (InvalidDataException e) when (!e.Message.StartsWith("pickle", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"pickle opcode 0x{op:x2} at byte {at}: {e.Message}", e);
            }
            if (stack.Count + marks.Count > limits.MaxStack) throw Bad($"more than {limits.MaxStack} values on the stack");
        }
    }

    private void Step(byte op)
    {
        switch (op)
        {
            case Proto:
                if (ReadByte() > 5) throw Bad("unsupported pickle protocol");
                break;
            case Frame:
            {
                // Frames only group opcodes for buffered reads; the bytes follow inline, and must all be there.
                long frame = BinaryPrimitives.ReadInt64LittleEndian(Take(8));
                if (frame < 0 || frame > end - pos) throw Bad($"frame of {frame} bytes but only {end - pos} remain");
                break;
            }
            case Mark:
                marks.Push(stack); // O(1): the current frame moves to the mark stack, as in Python's metastack
                stack = spareFrames.Count > 0 ? spareFrames.Pop() : [];
                break;
            case Pop:
                if (stack.Count > 0) stack.RemoveAt(stack.Count - 1);
                else Recycle(PopMark());
                break;
            case PickleOpcodes.PopMark: Recycle(PopMark()); break;
            case Dup: Push(Peek()); break;
            case None: Push(null); break;
            case NewTrue: Push(Boxes.True); break;
            case NewFalse: Push(Boxes.False); break;
            case BinInt: Push(Boxes.Long(BinaryPrimitives.ReadInt32LittleEndian(Take(4)))); break;
            case BinInt1: Push(Boxes.Long(ReadByte())); break;
            case BinInt2: Push(Boxes.Long(BinaryPrimitives.ReadUInt16LittleEndian(Take(2)))); break;
            case Long1: Push(ReadLong(ReadByte())); break;
            case Long4: Push(ReadLong(ReadLength(4))); break;
            case Int: Push(ParseIntLine(ReadLine())); break;
            case Long: Push(ParseLongLine(ReadLine())); break;
            case Float: Push(ParseFloatLine(ReadLine())); break;
            case BinFloat: Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
            case BinUnicode: Push(Utf8(Take(ReadLength(4)))); break;
            case ShortBinUnicode: Push(Utf8(Take(ReadByte()))); break;
            case BinUnicode8: Push(Utf8(Take(ReadLength(8)))); break;
            case Unicode: Push(ParseRawUnicodeEscape(ReadLine())); break;
            case BinString: Push(Utf8(Take(ReadLength(4)))); break; // Python 2 str: torch.load decodes it as text
            case ShortBinString: Push(Utf8(Take(ReadByte()))); break;
            case PickleOpcodes.String: Push(ParseQuotedString(ReadLine())); break;
            case BinBytes: Push(Take(ReadLength(4)).ToArray()); break;
            case ShortBinBytes: Push(Take(ReadByte()).ToArray()); break;
            case BinBytes8: case ByteArray8: Push(Take(ReadLength(8)).ToArray()); break;
            case EmptyTuple: Push(PyTuple.Empty); break;
            case Tuple1: PushContainer(PyTuple.Wrap([PopValue()])); break;
            case Tuple2: { var b = PopValue(); var a = PopValue(); PushContainer(PyTuple.Wrap([a, b])); break; }
            case Tuple3: { var c = PopValue(); var b = PopValue(); var a = PopValue(); PushContainer(PyTuple.Wrap([a, b, c])); break; }
            case PickleOpcodes.Tuple: { var items = PopMark(); PushContainer(PyTuple.Wrap(items.ToArray())); Recycle(items); break; }
            case EmptyList: PushContainer(new List<object?>()); break;
            case PickleOpcodes.List: PushContainer(PopMark()); break;
            case Append: { var v = PopValue(); var list = AsList(Peek()); list.Add(v); Nest(list, v); break; }
            case Appends: { var items = PopMark(); var list = AsList(Peek()); list.AddRange(items); foreach (var v in items) Nest(list, v); Recycle(items); break; }
            case EmptyDict: PushContainer(new PyDict()); break;
            case PickleOpcodes.Dict: { var items = PopMark(); var d = new PyDict(); SetItems(d, items); Recycle(items); PushContainer(d); break; }
            case PickleOpcodes.SetItem: { var v = PopValue(); var k = PopValue(); SetItem(AsDict(Peek()), k, v); break; }
            case PickleOpcodes.SetItems: { var items = PopMark(); SetItems(AsDict(Peek()), items); Recycle(items); break; }
            case EmptySet:
            case AddItems:
            case FrozenSet:
                throw Bad("sets are not supported in checkpoints");
            case Get: Push(MemoGet(ParseIntLine(ReadLine()) is long key ? key : -1)); break;
            case BinGet: Push(MemoGet(ReadByte())); break;
            case LongBinGet: Push(MemoGet(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break;
            case Put: MemoPut(ParseIntLine(ReadLine()) is long p ? p : -1); break;
            case BinPut: MemoPut(ReadByte()); break;
            case LongBinPut: MemoPut(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))); break;
            case Memoize: MemoPut(memo.Count); break;
            case Global:
            {
                string module = Ascii(ReadLine()), name = Ascii(ReadLine());
                Push(PickleGlobals.Resolve(module, name));
                break;
            }
            case StackGlobal:
            {
                var name = PopValue() as string ?? throw Bad("STACK_GLOBAL needs two strings");
                var module = PopValue() as string ?? throw Bad("STACK_GLOBAL needs two strings");
                Push(PickleGlobals.Resolve(module, name));
                break;
            }
            case Inst:
            {
                var g = PickleGlobals.Resolve(Ascii(ReadLine()), Ascii(ReadLine()));
                var items = PopMark();
                PushResult(PickleGlobals.Call(g, PyTuple.Wrap(items.ToArray()), budget));
                Recycle(items);
                break;
            }
            case Obj:
            {
                var items = PopMark();
                if (items.Count == 0 || items[0] is not GlobalRef g) throw Bad("OBJ needs a class");
                PushResult(PickleGlobals.Call(g, PyTuple.Wrap(items.GetRange(1, items.Count - 1).ToArray()), budget));
                Recycle(items);
                break;
            }
            case Reduce:
            case NewObj:
            {
                var args = PopValue() as PyTuple ?? throw Bad("REDUCE/NEWOBJ arguments are not a tuple");
                var callable = PopValue() as GlobalRef ?? throw Bad("REDUCE/NEWOBJ of something that is not an allowed global");
                PushResult(op == NewObj ? PickleGlobals.New(callable, args, budget) : PickleGlobals.Call(callable, args, budget));
                break;
            }
            case NewObjEx:
            {
                var kwargs = PopValue() as PyDict;
                var args = PopValue() as PyTuple;
                var cls = PopValue() as GlobalRef;
                if (cls is null || args is null || kwargs is null || kwargs.Count != 0) throw Bad("NEWOBJ_EX with keyword arguments or of a non-global");
                PushResult(PickleGlobals.New(cls, args, budget));
                break;
            }
            case Build:
            {
                var state = PopValue();
                var target = Peek();
                if (target is ModuleObject module) BuildModule(module, state);
                else
                {
                    PickleGlobals.Build(target, state, budget);
                    Nest(target, state);
                }
                break;
            }
            case BinPersId: Push(PersistentLoad(PopValue())); break;
            case PersId: Push(PersistentLoad(Ascii(ReadLine()))); break;
            case Ext1: case Ext2: case Ext4: throw Bad("extension registry codes (EXT1/2/4) are not supported");
            case NextBuffer: case ReadOnlyBuffer: throw Bad("out-of-band buffers are not supported");
            default: throw Bad($"unknown opcode 0x{op:x2}");
        }
    }

    /// <summary>
    /// BUILD on a torch.nn module object: the rebuilt Descent module takes its place on the stack and in the memo,
    /// so every later reference gets the module, and counts one level deeper than its state, so modules nested in
    /// modules meet the depth limit.
    /// </summary>
    private void BuildModule(ModuleObject module, object? state)
    {
        var built = ModuleRebuild.Build(module, state);
        stack[^1] = built;
        foreach (long key in module.MemoKeys)
            if (memo.TryGet(key, out var v) && ReferenceEquals(v, module)) memo.Set(key, built);
        SetDepth(built, 1 + DepthOf(state));
    }

    private object? PersistentLoad(object? pid)
    {
        if (persistentLoad is null) throw Bad("a persistent id, but this file format has no storages");
        // What the callback allocates is a storage the file holds: it scales with the file, not the pickle.
        return budget.Credited(() => persistentLoad(pid));
    }

    private static InvalidDataException Bad(string message) => new(message);

    private void Push(object? v)
    {
        if (++objects > limits.MaxObjects) throw Bad($"pickle makes more than {limits.MaxObjects} objects");
        stack.Add(v);
    }

    /// <summary>Pushes a new container whose elements are already built, checking its nesting as it is made.</summary>
    private void PushContainer(object container)
    {
        int depth = 1;
        switch (container)
        {
            case PyTuple t: foreach (var v in t) depth = Math.Max(depth, 1 + DepthOf(v)); break;
            case List<object?> l: foreach (var v in l) depth = Math.Max(depth, 1 + DepthOf(v)); break;
            case PyDict d:
                foreach (var (k, v) in d) depth = Math.Max(depth, 1 + Math.Max(DepthOf(k), DepthOf(v)));
                break;
        }
        SetDepth(container, depth);
        Push(container);
    }

    /// <summary>Pushes what an allowed global built: a container is measured like one built by opcodes.</summary>
    private void PushResult(object? value)
    {
        if (value is PyTuple or List<object?> or PyDict && !depths.ContainsKey(value)) PushContainer(value);
        else Push(value);
    }

    /// <summary>Records that <paramref name="child"/> was put inside <paramref name="container"/>.</summary>
    private void Nest(object? container, object? child)
    {
        if (container is null) return;
        int depth = 1 + DepthOf(child);
        if (depth > DepthOf(container)) SetDepth(container, depth);
    }

    private int DepthOf(object? v) => v is null ? 0 : depths.TryGetValue(v, out int d) ? d : v is PyTuple or List<object?> or PyDict ? 1 : 0;

    private void SetDepth(object container, int depth)
    {
        if (depth > limits.MaxDepth) throw Bad($"pickle nests containers deeper than {limits.MaxDepth}");
        if (depth > 1) depths[container] = depth; // depth 1, the common case, is what an unrecorded container has
    }

    /// <summary>A mark frame whose values were consumed goes back to a small pool, so batches reuse one list.</summary>
    private void Recycle(List<object?> frame)
    {
        if (spareFrames.Count >= 8) return;
        frame.Clear();
        spareFrames.Push(frame);
    }

    private object? Peek() => stack.Count > 0 ? stack[^1] : throw Bad("stack underflow");

    private object? PopValue()
    {
        if (stack.Count == 0) throw Bad("stack underflow");
        var v = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return v;
    }

    private List<object?> PopMark()
    {
        if (marks.Count == 0) throw Bad("no MARK to pop to");
        var items = stack;
        stack = marks.Pop();
        return items;
    }

    private static List<object?> AsList(object? v) => v as List<object?> ?? throw Bad($"APPEND to a {PickleRepr.TypeName(v)}, not a list");

    private static PyDict AsDict(object? v) => v as PyDict ?? throw Bad($"SETITEM on a {PickleRepr.TypeName(v)}, not a dict");

    private void SetItems(PyDict d, List<object?> items)
    {
        if (items.Count % 2 != 0) throw Bad("SETITEMS with an odd number of values");
        for (int i = 0; i < items.Count; i += 2) SetItem(d, items[i], items[i + 1]);
    }

    private void SetItem(PyDict d, object? key, object? value)
    {
        if (key is null or List<object?> or PyDict or GlobalRef or PySet or ModuleObject or NN.Module) throw Bad($"unhashable dict key of type {PickleRepr.TypeName(key)}");
        budget.ChargeKey(key);
        d[key] = value;
        Nest(d, key);
        Nest(d, value);
    }

    private object? MemoGet(long index) =>
        memo.TryGet(index, out var v) ? v : throw Bad($"memo key {index} was never stored");

    private void MemoPut(long index)
    {
        if (index < 0) throw Bad("negative memo key");
        if (memo.Count >= limits.MaxMemo && !memo.Contains(index)) throw Bad($"more than {limits.MaxMemo} memo entries");
        var value = Peek();
        memo.Set(index, value);
        if (value is ModuleObject m) m.MemoKeys.Add(index);
    }

    private byte ReadByte()
    {
        if (pos >= end) throw new InvalidDataException("pickle data ends before its STOP opcode");
        return data[pos++];
    }

    private ReadOnlySpan<byte> Take(long count)
    {
        if (count < 0 || count > end - pos)
            throw new InvalidDataException($"pickle declares {count} bytes but only {end - pos} remain");
        var span = data.AsSpan(pos, (int)count);
        pos += (int)count;
        return span;
    }

    private long ReadLength(int width)
    {
        var b = Take(width);
        long n = width switch
        {
            4 => BinaryPrimitives.ReadUInt32LittleEndian(b),
            _ => BinaryPrimitives.ReadInt64LittleEndian(b),
        };
        // Checked here, before any allocation: a length can never exceed what is left of the input.
        if (n < 0 || n > end - pos) throw new InvalidDataException($"pickle declares {n} bytes but only {end - pos} remain");
        return n;
    }

    private object ReadLong(long n)
    {
        if (n > 256) throw Bad($"integer of {n} bytes is too large");
        var bytes = Take(n);
        if (n <= 8)
        {
            long v = 0;
            for (int i = (int)n - 1; i >= 0; i--) v = (v << 8) | bytes[i];
            if (n > 0 && n < 8 && (bytes[(int)n - 1] & 0x80) != 0) v -= 1L << (int)(8 * n); // sign-extend
            return v;
        }
        var big = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return big >= long.MinValue && big <= long.MaxValue ? (long)big : big;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes)
    {
        try { return new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { throw Bad("string is not valid UTF-8"); }
    }
}
