using Descent.Optim;
using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>
/// Converts an <see cref="OptimizerStateDict"/> to and from the unpickled form of PyTorch's
/// <c>optimizer.state_dict()</c>: <c>{"state": {id: {name: tensor|number|None}}, "param_groups": [{option: value, …, "params": [ids]}]}</c>.
/// Python ints stay <see cref="long"/>, floats <see cref="double"/>, None null; a pair of floats (betas) becomes a
/// <c>(double, double)</c> tuple, other tuples stay <see cref="PyTuple"/>.
/// </summary>
public static class OptimizerStateDicts
{
    /// <summary>The PyTorch structure of <paramref name="sd"/>, ready to pickle. Tensors are shared, not copied.</summary>
    public static PyDict ToPy(OptimizerStateDict sd)
    {
        ArgumentNullException.ThrowIfNull(sd);
        var state = new PyDict();
        foreach (var (id, entries) in sd.State)
        {
            var d = new PyDict();
            foreach (var (k, v) in entries) d[k] = v;
            state[(long)id] = d;
        }
        var groups = new List<object?>();
        foreach (var g in sd.ParamGroups)
        {
            var d = new PyDict();
            foreach (var (k, v) in g) if (k != "params") d[k] = v;
            if (g.TryGetValue("params", out var ids)) d["params"] = ids;
            groups.Add(d);
        }
        var root = new PyDict();
        root["state"] = state;
        root["param_groups"] = groups;
        return root;
    }

    /// <summary>Reads an unpickled optimizer state dict; <see cref="InvalidDataException"/> names what does not fit.</summary>
    public static OptimizerStateDict FromPy(object? obj)
    {
        if (obj is not PyDict root) throw Bad($"an optimizer state dict is a dict, but the file holds a {PickleRepr.TypeName(obj)}");
        if (!root.TryGetValue("state", out var stateObj) || stateObj is not PyDict state)
            throw Bad("optimizer state dict has no 'state' dict");
        if (!root.TryGetValue("param_groups", out var groupsObj) || groupsObj is not List<object?> groups)
            throw Bad("optimizer state dict has no 'param_groups' list");
        var sd = new OptimizerStateDict();
        foreach (var (key, value) in state)
        {
            if (key is not long id || id < 0 || id > int.MaxValue) throw Bad($"optimizer state key {PickleRepr.Of(key)} is not a parameter id");
            if (value is not PyDict entries) throw Bad($"state of parameter {id} is a {PickleRepr.TypeName(value)}, not a dict");
            var d = new Dictionary<string, object>();
            foreach (var (name, v) in entries)
            {
                if (name is not string s) throw Bad($"state of parameter {id} has a non-string key {PickleRepr.Of(name)}");
                d[s] = CheckValue(v, $"state '{s}' of parameter {id}")!; // None is kept as null, as PyTorch keeps it
            }
            sd.State[(int)id] = d;
        }
        for (int gi = 0; gi < groups.Count; gi++)
        {
            if (groups[gi] is not PyDict g) throw Bad($"parameter group {gi} is a {PickleRepr.TypeName(groups[gi])}, not a dict");
            var d = new Dictionary<string, object?>();
            foreach (var (name, v) in g)
            {
                if (name is not string s) throw Bad($"parameter group {gi} has a non-string key {PickleRepr.Of(name)}");
                d[s] = s == "params" ? ToIds(v, gi) : Option(v);
            }
            if (!d.ContainsKey("params")) throw Bad($"parameter group {gi} has no 'params'");
            sd.ParamGroups.Add(d);
        }
        return sd;
    }

    private static InvalidDataException Bad(string message) => new(message);

    private static int[] ToIds(object? v, int group)
    {
        if (v is not List<object?> list) throw Bad($"'params' of parameter group {group} is a {PickleRepr.TypeName(v)}, not a list");
        var ids = new int[list.Count];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = list[i] is long l && l >= 0 && l <= int.MaxValue ? (int)l : throw Bad($"'params' of parameter group {group} holds {PickleRepr.Of(list[i])}, not an id");
        return ids;
    }

    private static object? Option(object? v) =>
        v is PyTuple { Count: 2 } t && t[0] is double a && t[1] is double b ? (a, b) : v;

    private static object? CheckValue(object? v, string what) => v switch
    {
        null or bool or long or double or string or Tensor or RawTensor or PyTuple or List<object?> or PyDict => v,
        _ => throw Bad($"{what} is a {PickleRepr.TypeName(v)}"),
    };
}
