using Descent.NN;
using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>
/// Converts a module state dict (<c>name → tensor</c>) to and from the unpickled form of PyTorch's
/// <c>model.state_dict()</c>: an OrderedDict of tensors carrying a <c>_metadata</c> attribute with each
/// submodule's version.
/// </summary>
public static class ModuleStateDicts
{
    /// <summary>
    /// The PyTorch structure of <paramref name="state"/>. With <paramref name="module"/>, <c>_metadata</c> lists
    /// each submodule with version 1, as PyTorch writes it for the built-in layers.
    /// </summary>
    public static PyDict ToPy(IReadOnlyDictionary<string, Tensor> state, Module? module = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var d = new PyDict(ordered: true);
        foreach (var (k, v) in state) d[k] = v;
        if (module is not null)
        {
            var metadata = new PyDict(ordered: true);
            foreach (var (name, _) in module.NamedModules())
            {
                var version = new PyDict();
                version["version"] = 1L;
                metadata[name] = version;
            }
            d.Attributes = new PyDict();
            d.Attributes["_metadata"] = metadata;
        }
        return d;
    }

    /// <summary>
    /// Reads an unpickled module state dict; <see cref="InvalidDataException"/> names the entry that does not fit.
    /// Entries of dtypes Descent has no tensors for are widened exactly, as <c>load_state_dict</c>'s copy into a
    /// float32 or int64 tensor would: float16 and bfloat16 to float32, int32/int16/int8/uint8 to int64.
    /// </summary>
    public static Dictionary<string, Tensor> FromPy(object? obj)
    {
        if (obj is not PyDict d) throw new InvalidDataException($"a module state dict is a dict of tensors, but the file holds a {PickleRepr.TypeName(obj)}");
        var result = new Dictionary<string, Tensor>(d.Count);
        foreach (var (k, v) in d)
        {
            if (k is not string name) throw new InvalidDataException($"state dict key {PickleRepr.Of(k)} is not a string");
            result[name] = v switch
            {
                Tensor t => t,
                RawTensor r when RawElements.IsHalfPrecision(r.StorageType) => r.ToTensor(DType.Float32),
                RawTensor r when RawElements.IsSmallInteger(r.StorageType) => r.ToTensor(DType.Int64),
                RawTensor r => throw new InvalidDataException($"state dict entry '{name}' has dtype {r.TorchDType}, which Descent does not support"),
                _ => throw new InvalidDataException($"state dict entry '{name}' is a {PickleRepr.TypeName(v)}, not a tensor"),
            };
        }
        return result;
    }
}
