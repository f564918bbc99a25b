using Descent.Autograd;
using Descent.NN;
using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>
/// Turns a pickled <c>torch.nn</c> module — an allow-listed class and its <c>__dict__</c> — into the Descent
/// module its registration (<see cref="ModuleClasses"/>) builds, and checks the result against what was saved.
/// The standard entries every module has (<c>training</c>, <c>_parameters</c>, <c>_buffers</c>,
/// <c>_non_persistent_buffers_set</c>, <c>_modules</c>, and the hook dicts, which must be empty, since hooks are
/// code) are read here; everything else is the class's attributes. PyTorch 1.x and 2.x state both read: 2.x adds
/// hook dicts and keeps <c>_parameters</c> in a plain dict.
/// </summary>
internal static class ModuleRebuild
{
    private static readonly HashSet<string> HookKeys = new(StringComparer.Ordinal)
    {
        "_backward_hooks", "_backward_pre_hooks", "_forward_hooks", "_forward_hooks_with_kwargs", "_forward_hooks_always_called",
        "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs", "_state_dict_hooks", "_state_dict_pre_hooks",
        "_load_state_dict_pre_hooks", "_load_state_dict_post_hooks",
    };

    /// <summary>
    /// The module <paramref name="obj"/> becomes with <paramref name="state"/>; in the legacy reader's first pass
    /// (tensors not read yet) the marker that stands for it.
    /// </summary>
    public static object Build(ModuleObject obj, object? state)
    {
        var reg = obj.Registration;
        string cls = reg.PythonName;
        if (obj.Built) throw new InvalidDataException($"{cls} object is given its state twice");
        obj.Built = true;
        if (state is not PyDict d) throw new InvalidDataException($"{cls} state is a {PickleRepr.TypeName(state)}, not a dict");
        bool training = true, firstPass = false;
        var parameters = new List<(string, Tensor?)>();
        var buffers = new List<(string, Tensor?)>();
        var children = new List<(string, Module?)>();
        var nonPersistent = new HashSet<string>(StringComparer.Ordinal);
        var attributes = new List<(string, object?)>();
        foreach (var (k, v) in d)
        {
            if (k is not string key) throw new InvalidDataException($"{cls} state has a non-string key {PickleRepr.Of(k)}");
            switch (key)
            {
                case "training":
                    training = v as bool? ?? throw new InvalidDataException($"{cls} 'training' is {PickleRepr.Of(v)}, not a bool");
                    break;
                case "_parameters":
                    firstPass |= ReadTensors(cls, "parameter", v, parameters);
                    break;
                case "_buffers":
                    firstPass |= ReadTensors(cls, "buffer", v, buffers);
                    break;
                case "_non_persistent_buffers_set":
                    if (v is not PySet set) throw new InvalidDataException($"{cls} '_non_persistent_buffers_set' is a {PickleRepr.TypeName(v)}, not a set");
                    foreach (var name in set.Items)
                        nonPersistent.Add(name as string ?? throw new InvalidDataException($"{cls} non-persistent buffer name {PickleRepr.Of(name)} is not a str"));
                    break;
                case "_modules":
                    firstPass |= ReadChildren(cls, v, children);
                    break;
                case "_is_full_backward_hook":
                    if (v is not (null or bool)) throw new InvalidDataException($"{cls} '_is_full_backward_hook' is {PickleRepr.Of(v)}");
                    break;
                default:
                    if (HookKeys.Contains(key))
                    {
                        if (v is not (null or PyDict { Count: 0 }))
                            throw new InvalidDataException($"{cls} has {key} registered, which cannot be loaded (hooks are code)");
                    }
                    else attributes.Add((key, v));
                    break;
            }
        }
        if (firstPass) return PickleGlobals.LegacyGeometry.Instance;
        var saved = new SavedModule(reg.PythonClass, training, parameters, buffers, nonPersistent, children, attributes);
        Module module;
        try
        {
            module = reg.Load(saved) ?? throw new InvalidDataException($"{cls} load function returned null");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"{cls} cannot be rebuilt from its saved state: {e.Message}", e);
        }
        if (module.GetType() != reg.Type) throw new InvalidDataException($"{cls} load function made a {module.GetType().Name}, not a {reg.Type.Name}");
        Adopt(saved, module, cls);
        module.SetOwnTraining(training);
        return module;
    }

    private static bool ReadTensors(string cls, string what, object? v, List<(string, Tensor?)> into)
    {
        if (v is not PyDict d) throw new InvalidDataException($"{cls} {what}s are a {PickleRepr.TypeName(v)}, not a dict");
        bool firstPass = false;
        foreach (var (k, t) in d)
        {
            if (k is not string name) throw new InvalidDataException($"{cls} {what} name {PickleRepr.Of(k)} is not a str");
            switch (t)
            {
                case null: into.Add((name, null)); break;
                case Tensor tensor: into.Add((name, tensor)); break;
                case PickleGlobals.LegacyGeometry: firstPass = true; break;
                case RawTensor r:
                    throw new InvalidDataException($"{cls} {what} '{name}' has dtype {r.TorchDType}; Descent rebuilds modules in float32 or float64 (save model.float(), or its state_dict)");
                default:
                    throw new InvalidDataException($"{cls} {what} '{name}' is a {PickleRepr.TypeName(t)}, not a tensor");
            }
        }
        return firstPass;
    }

    private static bool ReadChildren(string cls, object? v, List<(string, Module?)> into)
    {
        if (v is not PyDict d) throw new InvalidDataException($"{cls} submodules are a {PickleRepr.TypeName(v)}, not a dict");
        bool firstPass = false;
        foreach (var (k, m) in d)
        {
            if (k is not string name) throw new InvalidDataException($"{cls} submodule name {PickleRepr.Of(k)} is not a str");
            switch (m)
            {
                case null: into.Add((name, null)); break;
                case Module module: into.Add((name, module)); break;
                case PickleGlobals.LegacyGeometry: firstPass = true; break;
                case ModuleObject: throw new InvalidDataException($"{cls} submodule '{name}' is used before its own state is set (a module inside itself?)");
                default: throw new InvalidDataException($"{cls} submodule '{name}' is a {PickleRepr.TypeName(m)}, not a torch.nn module");
            }
        }
        return firstPass;
    }

    /// <summary>
    /// Checks the rebuilt module against the saved state — the same parameters and buffers by name and shape, and
    /// exactly the saved submodules — and copies in any saved value the load function did not take over itself.
    /// </summary>
    private static void Adopt(SavedModule saved, Module module, string cls)
    {
        var copies = new List<(Tensor Target, Tensor Source)>();
        Match(cls, "parameter", saved.Parameters, module.OwnParameters.Select(p => (p.Name, p.Value)).ToList(), copies);
        Match(cls, "buffer", saved.Buffers, module.OwnBuffers.Select(b => (b.Name, b.Value)).ToList(), copies);
        foreach (var (name, _, persistent) in module.OwnBuffers)
            if (persistent == saved.NonPersistentBuffers.Contains(name))
                throw new InvalidDataException($"{cls} buffer '{name}' is {(persistent ? "" : "not ")}persistent in Descent but was saved otherwise");
        var own = module.OwnChildren;
        var savedChildren = saved.Children.Where(c => c.Value is not null).ToList();
        if (own.Count != savedChildren.Count || own.Where((c, i) => c.Name != savedChildren[i].Name || !ReferenceEquals(c.Value, savedChildren[i].Value)).Any())
            throw new InvalidDataException($"{cls} was rebuilt with submodules other than the saved ones ({string.Join(", ", savedChildren.Select(c => c.Name))})");
        using (GradMode.Set(false))
            foreach (var (target, source) in copies)
            {
                target.Copy_(source);
                if (target.DType.IsFloatingPoint() && target.IsLeaf) target.RequiresGrad = source.RequiresGrad;
            }
    }

    private static void Match(string cls, string what, IReadOnlyList<(string Name, Tensor? Value)> saved, List<(string Name, Tensor? Value)> own, List<(Tensor, Tensor)> copies)
    {
        var mine = new Dictionary<string, Tensor?>(StringComparer.Ordinal);
        foreach (var (name, value) in own) mine[name] = value;
        var savedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in saved)
        {
            savedNames.Add(name);
            var target = mine.GetValueOrDefault(name);
            if (value is null)
            {
                if (target is not null) throw new InvalidDataException($"{cls} {what} '{name}' was saved as None but the rebuilt module has one");
                continue;
            }
            if (target is null) throw new InvalidDataException($"{cls} {what} '{name}' was saved but the rebuilt module has none");
            if (!ShapeHelper.SameShape(target.Shape, value.Shape))
                throw new InvalidDataException($"{cls} {what} '{name}' has shape {ShapeHelper.Format(value.Shape)} but the rebuilt module's is {ShapeHelper.Format(target.Shape)}");
            if (!ReferenceEquals(target, value)) copies.Add((target, value));
        }
        foreach (var (name, value) in own)
            if (value is not null && !savedNames.Contains(name))
                throw new InvalidDataException($"{cls} rebuilt module has a {what} '{name}' the file did not save");
    }
}
