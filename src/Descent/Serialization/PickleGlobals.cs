using System.Text;
using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>
/// The allow-list of Python globals a checkpoint may name, and what "calling" each one builds. Any other global
/// (<c>os.system</c>, <c>builtins.eval</c>, <c>subprocess.Popen</c>, a user's class …) is refused by name when
/// the GLOBAL opcode is read, so no later opcode can reach it. The <c>torch.nn</c> classes of
/// <see cref="ModuleClasses"/> are allowed too, but only to be made empty by NEWOBJ and given their state by BUILD.
/// </summary>
internal static class PickleGlobals
{
    private static readonly HashSet<string> Callables = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch.Size",
        "_codecs.encode",
        "builtins.set",
    };

    /// <summary>Whether <paramref name="fullName"/> is one of the functions or types the unpickler calls.</summary>
    internal static bool IsCallable(string fullName) => Callables.Contains(fullName);

    /// <summary>Every allowed global, as <c>module.name</c>: the callables above plus torch's storage classes.</summary>
    public static IReadOnlyList<string> AllowList
    {
        get
        {
            var all = new List<string>(Callables);
            all.AddRange(ModuleClasses.Names);
            foreach (var name in new[] { "Float", "Double", "Long", "Bool", "Half", "BFloat16", "Int", "Short", "Char", "Byte", "ComplexFloat", "ComplexDouble" })
                all.Add($"torch.{name}Storage");
            all.Sort(StringComparer.Ordinal);
            return all;
        }
    }

    internal static GlobalRef Resolve(string module, string name)
    {
        // Python 2 pickles name the same modules differently.
        if (module == "__builtin__") module = "builtins";
        var full = module + "." + name;
        if (Callables.Contains(full) || (module == "torch" && StorageTypes.Find(name) is not null) || ModuleClasses.Find(full) is not null)
            return new GlobalRef(module, name);
        throw new InvalidDataException($"pickle refers to global '{PickleRepr.Cap(full)}', which is not on the allow-list of a checkpoint loader; refused without running it{ClassHint(module, name)}");
    }

    /// <summary>For a name that looks like a class: what to do when it is a model saved whole.</summary>
    private static string ClassHint(string module, string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0])) return "";
        string where = module.StartsWith("torch.nn.", StringComparison.Ordinal) ? "Descent has no torch.nn class of that name. " : "";
        return $". {where}If it is a model saved whole (torch.save(model)), save model.state_dict() instead and load that with LoadStateDict";
    }

    /// <summary>
    /// NEWOBJ (<c>cls.__new__(cls, *args)</c>): an allow-listed torch.nn class becomes an empty
    /// <see cref="ModuleObject"/>, which runs nothing; anything else is called as by REDUCE.
    /// </summary>
    internal static object? New(GlobalRef g, PyTuple args, LoadBudget budget)
    {
        if (ModuleClasses.Find(g.FullName) is not { } registration) return Call(g, args, budget);
        if (args.Count != 0) throw new InvalidDataException($"{g.FullName}.__new__ called with arguments {PickleRepr.Of(args)}");
        return new ModuleObject(registration);
    }

    internal static object? Call(GlobalRef g, PyTuple args, LoadBudget budget)
    {
        switch (g.FullName)
        {
            case "collections.OrderedDict": return MakeOrderedDict(args, budget);
            case "torch._utils._rebuild_tensor_v2":
                if (args.Count is < 6 or > 7) throw Arity(g, args);
                if (args[5] is not PyDict { Count: 0 } and not null)
                    throw new InvalidDataException("tensor has backward hooks, which cannot be loaded");
                // PyTorch 2.x adds the tensor's metadata when it is not empty: the conjugate and negative bits.
                if (args.Count == 7 && !IsEmptyMetadata(args[6]))
                    throw new InvalidDataException($"tensor metadata {PickleRepr.Of(args[6])} (a lazily conjugated or negated view) cannot be loaded");
                return RebuildTensor(args[0], args[1], args[2], args[3], args[4], budget);
            case "torch._utils._rebuild_tensor":
                if (args.Count != 4) throw Arity(g, args);
                return RebuildTensor(args[0], args[1], args[2], args[3], false, budget);
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                // (data, requires_grad, backward_hooks[, state]): the hooks an empty OrderedDict, the state the
                // parameter's __dict__ (or a (__dict__, slots) pair, PyTorch 2.x) — empty, as Descent keeps none.
                if (args.Count is < 3 or > 4) throw Arity(g, args);
                if (args[2] is not PyDict { Count: 0 } and not null)
                    throw new InvalidDataException("parameter has backward hooks, which cannot be loaded");
                if (args.Count == 4 && !IsEmptyState(args[3]))
                    throw new InvalidDataException($"parameter with extra Python state {PickleRepr.Of(args[3])} cannot be loaded");
                return MakeParameter(args[0], args[1]);
            case "torch.Size":
                if (args.Count != 1 || args[0] is not PyTuple t) throw Arity(g, args);
                return t;
            case "builtins.set":
                // Protocol 2's set: set([items]). Only a module's set of non-persistent buffer names is expected.
                if (args.Count != 1 || args[0] is not List<object?> items) throw Arity(g, args);
                foreach (var item in items)
                {
                    if (item is not string) throw new InvalidDataException($"set item {PickleRepr.Of(item)} is not a str (only a module's buffer names are read)");
                    budget.ChargeKey(item);
                }
                return new PySet(items);
            case "_codecs.encode":
                if (args.Count != 2 || args[0] is not string s || args[1] is not ("latin1" or "latin-1"))
                    throw new InvalidDataException("_codecs.encode is only accepted as protocol 2's encoding of bytes (str, 'latin1')");
                budget.Charge(s.Length);
                foreach (char c in s) if (c > 0xff) throw new InvalidDataException("bytes literal has a character above U+00FF");
                return Encoding.Latin1.GetBytes(s);
            default:
                if (ModuleClasses.Find(g.FullName) is not null)
                    throw new InvalidDataException($"calling {g.FullName}(...) would run its constructor; a torch.nn module is read only as torch.save writes it (NEWOBJ, then BUILD)");
                throw new InvalidDataException($"global '{g.FullName}' is a type, not something a pickle may call");
        }
    }

    /// <summary>BUILD: only dict attributes (PyTorch's <c>_metadata</c> on a state dict) are accepted.</summary>
    internal static void Build(object? target, object? state, LoadBudget budget)
    {
        if (target is PyDict d && state is PyDict attrs)
        {
            d.Attributes ??= new PyDict();
            foreach (var (k, v) in attrs)
            {
                budget.ChargeKey(k);
                d.Attributes[k] = v;
            }
            return;
        }
        throw new InvalidDataException($"BUILD on a {PickleRepr.TypeName(target)} with a {PickleRepr.TypeName(state)} state is not supported");
    }

    private static bool IsEmptyMetadata(object? metadata)
    {
        if (metadata is null) return true;
        if (metadata is not PyDict d) return false;
        foreach (var (_, v) in d)
            if (v is not false) return false;
        return true;
    }

    private static bool IsEmptyState(object? state) =>
        state is null or PyDict { Count: 0 } || (state is PyTuple { Count: 2 } t && (t[0] is null or PyDict { Count: 0 }) && (t[1] is null or PyDict { Count: 0 }));

    private static InvalidDataException Arity(GlobalRef g, PyTuple args) =>
        new($"{g.FullName} called with unexpected arguments {PickleRepr.Of(args)}");

    private static PyDict MakeOrderedDict(PyTuple args, LoadBudget budget)
    {
        var d = new PyDict(ordered: true);
        if (args.Count == 0) return d;
        if (args.Count != 1 || args[0] is not List<object?> pairs)
            throw new InvalidDataException("collections.OrderedDict called with arguments other than () or a list of pairs");
        foreach (var p in pairs)
        {
            if (p is not IReadOnlyList<object?> { Count: 2 } kv || kv[0] is null or List<object?> or PyDict)
                throw new InvalidDataException("collections.OrderedDict item is not a (hashable key, value) pair");
            budget.ChargeKey(kv[0]);
            d[kv[0]!] = kv[1];
        }
        return d;
    }

    private static object MakeParameter(object? data, object? requiresGrad)
    {
        if (requiresGrad is not bool rg) throw new InvalidDataException("parameter's requires_grad is not a bool");
        switch (data)
        {
            case LegacyGeometry: return data; // the legacy reader's first pass: geometry checked, no data yet
            case Tensor t:
                var p = t.Detach();
                if (rg && !p.DType.IsFloatingPoint()) throw new InvalidDataException("an integer parameter cannot require grad");
                p.RequiresGrad = rg;
                return p;
            case RawTensor r:
                return new RawTensor(r.StorageType, r.StorageBytes, r.Shape, r.Strides, r.StorageOffset, rg);
            default:
                throw new InvalidDataException($"parameter data is a {PickleRepr.TypeName(data)}, not a tensor");
        }
    }

    private static object RebuildTensor(object? storageObj, object? offsetObj, object? sizeObj, object? strideObj, object? requiresGradObj, LoadBudget budget)
    {
        var storage = storageObj as LoadedStorage ?? throw new InvalidDataException($"tensor's storage is a {PickleRepr.TypeName(storageObj)}");
        int offset = ToInt(offsetObj, "storage offset");
        int[] shape = ToInts(sizeObj, "size"), strides = ToInts(strideObj, "stride");
        if (requiresGradObj is not bool requiresGrad) throw new InvalidDataException("tensor's requires_grad is not a bool");
        TensorGeometry.Check(shape, strides, offset, storage.Numel, $"tensor on storage '{storage.Key}'");
        if (storage.Bytes is null) return LegacyGeometry.Instance; // legacy first pass: geometry checked, no data yet
        if (storage.Info.DType is not DType dtype)
            return new RawTensor(storage.Info.Name, storage.Bytes, shape, strides, offset, requiresGrad);
        if (storage.Descent is null)
        {
            // Made once per storage: its size is the file's, not the pickle's.
            storage.Descent = StorageBytes.ToStorage(dtype, storage.Bytes);
            budget.Credit(storage.Bytes.Length + 64);
        }
        var t = new Tensor(storage.Descent, offset, shape, strides);
        if (requiresGrad)
        {
            if (!dtype.IsFloatingPoint()) throw new InvalidDataException("an integer tensor cannot require grad");
            t.RequiresGrad = true;
        }
        return t;
    }

    private static int ToInt(object? v, string what) => v switch
    {
        long l and >= int.MinValue and <= int.MaxValue => (int)l,
        _ => throw new InvalidDataException($"tensor {what} {PickleRepr.Of(v)} is not a 32-bit integer"),
    };

    private static int[] ToInts(object? v, string what)
    {
        if (v is not PyTuple t) throw new InvalidDataException($"tensor {what} is a {PickleRepr.TypeName(v)}, not a tuple");
        var r = new int[t.Count];
        for (int i = 0; i < r.Length; i++) r[i] = ToInt(t[i], what);
        return r;
    }

    /// <summary>What a tensor rebuilds to in the legacy reader's first pass, before the storages' bytes are read.</summary>
    internal sealed class LegacyGeometry
    {
        public static readonly LegacyGeometry Instance = new();
    }
}
