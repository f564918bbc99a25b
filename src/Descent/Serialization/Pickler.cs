using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Descent.Optim;
using Descent.Tensors;
using static Descent.Serialization.PickleOpcodes;

namespace Descent.Serialization;

/// <summary>
/// Writes pickle protocol 2 the way Python's pickler does for what torch.save sees: the same opcodes, batching
/// (SETITEMS/APPENDS in runs of 1000), memo puts and gets, and tensors as <c>torch._utils._rebuild_tensor_v2</c>
/// over persistent-id storages <c>('storage', torch.FloatStorage, key, 'cpu', numel)</c>. Strings are memoized by
/// value (Python memoizes by identity; for the interned names in state dicts that is the same thing).
/// </summary>
/// <remarks>
/// Accepted values: null, bool, integers, float/double, string, byte[], <see cref="PyTuple"/>, value tuples,
/// <see cref="PyDict"/>, lists and arrays, dictionaries (string → tensor ones become an OrderedDict, as a
/// module's state dict is in PyTorch), <see cref="OptimizerStateDict"/>, <see cref="Tensor"/>, <see cref="RawTensor"/>
/// and whole modules of the classes in <see cref="ModuleClasses"/> (as <c>torch.save(model)</c> writes them).
/// Reference cycles are refused.
/// </remarks>
// The output is a MemoryStream, which holds no resource that needs disposing.
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable")]
internal sealed partial class Pickler
{
    private const int BatchSize = 1000;
    private const int MaxDepth = 1000;
    private readonly MemoryStream output = new();
    private readonly Dictionary<object, int> memo = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, int> stringMemo = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> globalMemo = new(StringComparer.Ordinal);
    private readonly HashSet<object> inProgress = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, string> storageKeys = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, int> storageKeyMemo = new(ReferenceEqualityComparer.Instance);
    private int depth;

    /// <summary>Storages in key order ("0", "1", …): the key and the little-endian bytes to store under data/key.</summary>
    public List<(string Key, byte[] Bytes)> Storages { get; } = [];

    /// <summary>Pickles <paramref name="obj"/>; storages of its tensors are collected in <see cref="Storages"/>.</summary>
    public byte[] Dump(object? obj)
    {
        output.WriteByte(Proto);
        output.WriteByte(2);
        Save(obj);
        output.WriteByte(Stop);
        return output.ToArray();
    }

    private void Save(object? obj)
    {
        if (++depth > MaxDepth) throw new ArgumentException($"object nests deeper than {MaxDepth} levels");
        try { SaveCore(obj); }
        finally { depth--; }
    }

    private void SaveCore(object? obj)
    {
        switch (obj)
        {
            case null: output.WriteByte(None); return;
            case bool b: output.WriteByte(b ? NewTrue : NewFalse); return;
            case float f: SaveFloat(f); return;
            case double d: SaveFloat(d); return;
            case string s: SaveString(s); return;
            case FreshString f: WriteUnicode(f.Value); return;
            case Enum e: throw new ArgumentException($"cannot pickle the enum value {e}");
        }
        if (PyKeyComparer.TryInteger(obj, out var integer)) { SaveInteger(integer); return; }
        // Checked before the memo: Python would pickle a list inside itself, but loaders (ours included) refuse cycles.
        if (inProgress.Contains(obj)) throw new ArgumentException("cannot save a reference cycle (a container inside itself)");
        if (memo.TryGetValue(obj, out int id)) { WriteGet(id); return; }
        inProgress.Add(obj);
        try
        {
            switch (obj)
            {
                case Tensor t: SaveTensor(t.storage, StorageTypes.For(t.DType).Name, t.offset, t.shape, t.strides, t.RequiresGrad, obj); return;
                case RawTensor r: SaveTensor(r.StorageBytes, r.StorageType, r.StorageOffset, r.Shape, r.Strides, r.RequiresGrad, obj); return;
                case byte[] bytes: SaveBytes(bytes); return;
                case NN.Module module: SaveModule(module); return;
                case ParameterValue p: SaveParameter(p.Tensor); return;
                case OwnString own: memo[own] = WriteUnicode(own.Value); return;
                case PySet set: SaveSet(set, obj); return;
                case PyTuple t: SaveTuple(t, obj); return;
                case ITuple vt: SaveTuple(ToPyTuple(vt), obj); return;
                case PyDict d: SaveDict(d); return;
                case OptimizerStateDict osd: SaveDict(OptimizerStateDicts.ToPy(osd), obj); return;
                case IDictionary dict: SaveDict(FromDictionary(dict), obj); return;
                case IEnumerable list: SaveList(list, obj); return;
            }
        }
        finally { inProgress.Remove(obj); }
        throw new ArgumentException($"cannot save a value of type {obj.GetType().Name} in a checkpoint");
    }

    private static PyTuple ToPyTuple(ITuple vt)
    {
        var items = new object?[vt.Length];
        for (int i = 0; i < items.Length; i++) items[i] = vt[i];
        return PyTuple.Wrap(items);
    }

    private static PyDict FromDictionary(IDictionary dict)
    {
        // A string → tensor map is a module state dict: PyTorch's is an OrderedDict.
        var t = dict.GetType();
        bool stateDict = t.IsGenericType && t.GetGenericArguments() is [var k, var v] && k == typeof(string) && v == typeof(Tensor);
        var d = new PyDict(stateDict);
        foreach (DictionaryEntry e in dict) d[e.Key] = e.Value;
        return d;
    }

    private void SaveInteger(BigInteger v)
    {
        if (v >= 0 && v <= 0xFF) { output.WriteByte(BinInt1); output.WriteByte((byte)v); }
        else if (v >= 0 && v <= 0xFFFF)
        {
            output.WriteByte(BinInt2);
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v);
            output.Write(b);
        }
        else if (v >= int.MinValue && v <= int.MaxValue)
        {
            output.WriteByte(BinInt);
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, (int)v);
            output.Write(b);
        }
        else
        {
            var bytes = v.ToByteArray(isUnsigned: false, isBigEndian: false); // minimal two's complement, as Python's encode_long
            if (bytes.Length > 255) throw new ArgumentException("integer too large to save");
            output.WriteByte(Long1);
            output.WriteByte((byte)bytes.Length);
            output.Write(bytes);
        }
    }

    private void SaveFloat(double d)
    {
        output.WriteByte(BinFloat);
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, d);
        output.Write(b);
    }

    private void SaveString(string s)
    {
        if (stringMemo.TryGetValue(s, out int id)) { WriteGet(id); return; }
        stringMemo[s] = WriteUnicode(s);
    }

    /// <summary>BINUNICODE and its memo slot, without sharing it by value: Python memoizes by identity, and strings made at run time (storage keys, str(i)) are new objects.</summary>
    private int WriteUnicode(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        output.WriteByte(BinUnicode);
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)bytes.Length);
        output.Write(len);
        output.Write(bytes);
        return WritePut();
    }

    private void SaveGlobal(string module, string name)
    {
        string key = module + "\n" + name;
        if (globalMemo.TryGetValue(key, out int id)) { WriteGet(id); return; }
        output.WriteByte(PickleOpcodes.Global);
        output.Write(Encoding.ASCII.GetBytes(key + "\n"));
        globalMemo[key] = WritePut();
    }

    private void SaveBytes(byte[] bytes)
    {
        // Protocol 2 has no bytes opcode: Python 3 writes _codecs.encode(latin-1 text, 'latin1').
        SaveGlobal("_codecs", "encode");
        output.WriteByte(Mark);
        SaveString(Encoding.Latin1.GetString(bytes));
        SaveString("latin1");
        output.WriteByte(PickleOpcodes.Tuple);
        WritePut();
        output.WriteByte(Reduce);
        memo[bytes] = WritePut();
    }

    private void SaveTuple(PyTuple t, object identity)
    {
        if (t.Count == 0) { output.WriteByte(EmptyTuple); return; }
        if (t.Count > 3) output.WriteByte(Mark);
        foreach (var item in t) Save(item);
        output.WriteByte(t.Count switch { 1 => Tuple1, 2 => Tuple2, 3 => Tuple3, _ => PickleOpcodes.Tuple });
        memo[identity] = WritePut();
    }

    private void SaveList(IEnumerable items, object identity)
    {
        output.WriteByte(EmptyList);
        memo[identity] = WritePut();
        var batch = new List<object?>(Math.Min(BatchSize, 64));
        foreach (var item in items)
        {
            batch.Add(item);
            if (batch.Count == BatchSize) { FlushAppends(batch); batch.Clear(); }
        }
        FlushAppends(batch);
    }

    private void FlushAppends(List<object?> batch)
    {
        if (batch.Count == 0) return;
        if (batch.Count > 1) output.WriteByte(Mark);
        foreach (var item in batch) Save(item);
        output.WriteByte(batch.Count > 1 ? Appends : Append);
    }

    private void SaveDict(PyDict d) => SaveDict(d, d);

    private void SaveDict(PyDict d, object identity)
    {
        if (d.IsOrderedDict)
        {
            SaveGlobal("collections", "OrderedDict");
            output.WriteByte(EmptyTuple);
            output.WriteByte(Reduce);
        }
        else output.WriteByte(EmptyDict);
        memo[identity] = WritePut();
        var batch = new List<KeyValuePair<object, object?>>(Math.Min(BatchSize, Math.Max(d.Count, 1)));
        foreach (var e in d)
        {
            batch.Add(e);
            if (batch.Count == BatchSize) { FlushSetItems(batch); batch.Clear(); }
        }
        FlushSetItems(batch);
        if (d.Attributes is { Count: > 0 } attrs)
        {
            Save(attrs);
            output.WriteByte(Build);
        }
    }

    private void FlushSetItems(List<KeyValuePair<object, object?>> batch)
    {
        if (batch.Count == 0) return;
        if (batch.Count > 1) output.WriteByte(Mark);
        foreach (var (k, v) in batch)
        {
            Save(k);
            Save(v);
        }
        output.WriteByte(batch.Count > 1 ? SetItems : SetItem);
    }

    private void SaveTensor(object storage, string storageType, int offset, int[] shape, int[] strides, bool requiresGrad, object identity)
    {
        SaveGlobal("torch._utils", "_rebuild_tensor_v2");
        output.WriteByte(Mark);
        // The persistent id, as torch.save's persistent_id returns it.
        if (!storageKeys.TryGetValue(storage, out var key))
        {
            key = storageKeys.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            storageKeys[storage] = key;
            Storages.Add((key, storage is Storage s ? StorageBytes.ToBytes(s) : (byte[])((byte[])storage).Clone()));
        }
        int elementSize = StorageTypes.Find(storageType)!.ElementSize;
        long numel = storage is Storage st ? st.Length : ((byte[])storage).Length / elementSize;
        output.WriteByte(Mark);
        SaveString("storage");
        SaveGlobal("torch", storageType);
        // torch.save's key is str(len(id_map)), one string object per storage.
        if (storageKeyMemo.TryGetValue(storage, out int keyId)) WriteGet(keyId);
        else storageKeyMemo[storage] = WriteUnicode(key);
        SaveString("cpu");
        SaveInteger(numel);
        output.WriteByte(PickleOpcodes.Tuple);
        WritePut();
        output.WriteByte(BinPersId);
        SaveInteger(offset);
        SaveIntTuple(shape);
        SaveIntTuple(strides);
        output.WriteByte(requiresGrad ? NewTrue : NewFalse);
        SaveDict(new PyDict(ordered: true)); // backward_hooks: always an empty OrderedDict
        output.WriteByte(PickleOpcodes.Tuple);
        WritePut();
        output.WriteByte(Reduce);
        memo[identity] = WritePut();
    }

    private void SaveIntTuple(int[] values)
    {
        var items = new object?[values.Length];
        for (int i = 0; i < items.Length; i++) items[i] = (long)values[i];
        var t = PyTuple.Wrap(items);
        SaveTuple(t, t);
    }

    private int WritePut()
    {
        // Every memoized object takes the next slot, whether or not it is fetched again, as in Python.
        int id = nextMemo++;
        WriteMemoOp(id, BinPut, LongBinPut);
        return id;
    }

    private int nextMemo;

    private void WriteGet(int id) => WriteMemoOp(id, BinGet, LongBinGet);

    private void WriteMemoOp(int id, byte shortOp, byte longOp)
    {
        if (id < 256) { output.WriteByte(shortOp); output.WriteByte((byte)id); return; }
        output.WriteByte(longOp);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)id);
        output.Write(b);
    }
}
