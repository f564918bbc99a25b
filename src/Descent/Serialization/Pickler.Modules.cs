using Descent.NN;
using Descent.Tensors;
using static Descent.Serialization.PickleOpcodes;

namespace Descent.Serialization;

// Whole modules, as torch.save(model) pickles them in PyTorch 1.13: NEWOBJ on the class, then BUILD with the
// module's __dict__ (attributes a class sets before nn.Module.__init__ first, then the standard entries in
// nn.Module.__init__'s order, then the class's other attributes), parameters as torch._utils._rebuild_parameter
// over their data. PyTorch 2.x fills in the hook dicts 1.13 did not have when it loads.
internal sealed partial class Pickler
{
    /// <summary>A tensor to pickle as an <c>nn.Parameter</c> (in a module's <c>_parameters</c>).</summary>
    private sealed record ParameterValue(Tensor Tensor);

    /// <summary>A string Python makes at run time (Sequential's <c>str(idx)</c> names), so never shared with an equal one.</summary>
    private sealed record FreshString(string Value);

    /// <summary>A string object of one module's own, shared by identity within the file but not with equal strings.</summary>
    private sealed class OwnString(string value)
    {
        public string Value => value;
    }

    private void SaveModule(Module module)
    {
        var registration = ModuleClasses.For(module.GetType())
            ?? throw new ArgumentException($"cannot save a {module.GetType().Name} as a whole module: no torch.nn class is registered for it in ModuleClasses; save its state dict (module.StateDict()) instead");
        // Parameter names an earlier module of the file interned first (see Registration.RuntimeParameterNames).
        var internedBefore = registration.RuntimeParameterNames
            ? module.OwnParameters.Select(p => p.Name).Where(stringMemo.ContainsKey).ToHashSet(StringComparer.Ordinal)
            : null;
        var state = new PyDict();
        if (registration.SaveFirst is { } first)
            foreach (var (name, value) in first(module)) state[name] = value;
        state["training"] = module.Training;
        var parameters = new PyDict(ordered: true);
        foreach (var (name, p) in module.OwnParameters) parameters[name] = p is null ? null : new ParameterValue(p);
        state["_parameters"] = parameters;
        var buffers = new PyDict(ordered: true);
        var nonPersistent = new List<object?>();
        foreach (var (name, b, persistent) in module.OwnBuffers)
        {
            buffers[name] = b;
            if (!persistent) nonPersistent.Add(name);
        }
        state["_buffers"] = buffers;
        state["_non_persistent_buffers_set"] = new PySet(nonPersistent);
        state["_backward_hooks"] = new PyDict(ordered: true);
        state["_is_full_backward_hook"] = null;
        foreach (var hooks in new[] { "_forward_hooks", "_forward_pre_hooks", "_state_dict_hooks", "_load_state_dict_pre_hooks", "_load_state_dict_post_hooks" })
            state[hooks] = new PyDict(ordered: true);
        var children = new PyDict(ordered: true);
        foreach (var (name, child) in module.OwnChildren)
            children[module is Sequential && name.All(char.IsAsciiDigit) ? new FreshString(name) : name] = child;
        state["_modules"] = children;
        var ownNames = new Dictionary<string, OwnString>(StringComparer.Ordinal);
        foreach (var (name, value) in registration.Save(module))
            state[name] = internedBefore is { Count: > 0 } ? WithOwnNames(value, internedBefore, ownNames) : value;

        SaveGlobal(registration.PythonModule, registration.PythonName);
        output.WriteByte(EmptyTuple);
        output.WriteByte(NewObj);
        memo[module] = WritePut();
        Save(state);
        output.WriteByte(Build);
    }

    /// <summary>
    /// <paramref name="value"/> with the names in <paramref name="internedBefore"/> inside its lists replaced by this
    /// module's own string objects: its <c>__init__</c> made them, and setattr gave the parameter dict the interned ones.
    /// </summary>
    private static object? WithOwnNames(object? value, HashSet<string> internedBefore, Dictionary<string, OwnString> ownNames) => value switch
    {
        List<object?> list => list.Select(v => v is string s && internedBefore.Contains(s)
            ? ownNames.TryGetValue(s, out var own) ? own : ownNames[s] = new OwnString(s)
            : WithOwnNames(v, internedBefore, ownNames)).ToList(),
        _ => value,
    };

    /// <summary><c>torch._utils._rebuild_parameter(data, requires_grad, OrderedDict())</c>, the data a tensor that does not require grad.</summary>
    private void SaveParameter(Tensor p)
    {
        if (memo.TryGetValue(p, out int id)) { WriteGet(id); return; }
        SaveGlobal("torch._utils", "_rebuild_parameter");
        // param.data is a new tensor object each time, memoized but never fetched again.
        SaveTensor(p.storage, StorageTypes.For(p.DType).Name, p.offset, p.shape, p.strides, requiresGrad: false, new object());
        output.WriteByte(p.RequiresGrad ? NewTrue : NewFalse);
        SaveDict(new PyDict(ordered: true));
        output.WriteByte(Tuple3);
        WritePut();
        output.WriteByte(Reduce);
        memo[p] = WritePut();
    }

    /// <summary>Protocol 2's set: <c>builtins.set([items])</c>, which Python 3 names <c>__builtin__.set</c> for protocol 2.</summary>
    private void SaveSet(PySet set, object identity)
    {
        SaveGlobal("__builtin__", "set");
        var items = new List<object?>(set.Items);
        SaveList(items, items);
        output.WriteByte(Tuple1);
        WritePut();
        output.WriteByte(Reduce);
        memo[identity] = WritePut();
    }
}
