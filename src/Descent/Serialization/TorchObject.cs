using Descent.NN;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>
/// What <see cref="Torch.Load"/> returns: the object a torch.save file holds, converting implicitly to the Descent
/// type it is used as, so PyTorch's idioms read the same in C#:
/// <code>
/// net.LoadStateDict(Torch.Load("net.pt"));            // model.load_state_dict(torch.load(path))
/// opt.LoadStateDict(Torch.Load("opt.pt"));            // optimizer.load_state_dict(torch.load(path))
/// Module model = Torch.Load("model.pt");              // model = torch.load(path)  (a whole torch.nn module)
/// var ckpt = Torch.Load("ckpt.pt");
/// net.LoadStateDict(ckpt["model_state_dict"]);         // checkpoint['model_state_dict']
/// </code>
/// A conversion that does not fit what the file holds throws <see cref="InvalidDataException"/> naming both.
/// <see cref="Value"/> is the unpickled object itself (see <see cref="TorchFile"/> for its types).
/// </summary>
public sealed class TorchObject
{
    /// <summary>Wraps an unpickled value.</summary>
    public TorchObject(object? value) => Value = value;

    /// <summary>
    /// The unpickled object: <see cref="PyDict"/>, list, <see cref="PyTuple"/>, <see cref="Tensor"/>,
    /// <see cref="RawTensor"/>, <see cref="Module"/>, string, long, double, bool or null.
    /// </summary>
    public object? Value { get; }

    /// <summary>The entry <paramref name="key"/> of a dict, like <c>checkpoint['model_state_dict']</c>.</summary>
    /// <exception cref="KeyNotFoundException">Python's KeyError: the key, quoted.</exception>
    /// <exception cref="InvalidDataException">The file holds no dict.</exception>
    public TorchObject this[string key]
    {
        get
        {
            if (Value is not PyDict d) throw new InvalidDataException($"the file holds a {PickleRepr.TypeName(Value)}, not a dict with key '{key}'");
            return d.TryGetValue(key, out var v) ? new TorchObject(v) : throw new KeyNotFoundException($"'{key}'");
        }
    }

    /// <summary>
    /// A module state dict (name → tensor), as <see cref="ModuleStateDicts.FromPy"/> reads it (float16 and bfloat16
    /// entries widened to float32): what <c>model.load_state_dict(torch.load(path))</c> passes.
    /// </summary>
    public static implicit operator Dictionary<string, Tensor>(TorchObject loaded) => ModuleStateDicts.FromPy(Require(loaded).Value);

    /// <summary>An optimizer state dict, as <see cref="OptimizerStateDicts.FromPy"/> reads it: what <c>optimizer.load_state_dict(torch.load(path))</c> passes.</summary>
    public static implicit operator OptimizerStateDict(TorchObject loaded) => OptimizerStateDicts.FromPy(Require(loaded).Value);

    /// <summary>The module of a whole-module file (<c>model = torch.load(path)</c>), rebuilt from <see cref="ModuleClasses"/>.</summary>
    public static implicit operator Module(TorchObject loaded) => Require(loaded).Value as Module ?? throw loaded.Mismatch("a torch.nn module");

    /// <summary>The tensor the file holds; float16, bfloat16 and small integer ones widened as <see cref="RawTensor.ToTensor"/> does.</summary>
    public static implicit operator Tensor(TorchObject loaded) => Require(loaded).Value switch
    {
        Tensor t => t,
        RawTensor r when RawElements.IsHalfPrecision(r.StorageType) => r.ToTensor(DType.Float32),
        RawTensor r when RawElements.IsSmallInteger(r.StorageType) => r.ToTensor(DType.Int64),
        _ => throw loaded.Mismatch("a tensor"),
    };

    private static TorchObject Require(TorchObject loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        return loaded;
    }

    private InvalidDataException Mismatch(string wanted) => new($"the file holds a {PickleRepr.TypeName(Value)}, not {wanted}");

    /// <inheritdoc/>
    public override string ToString() => PickleRepr.Of(Value);
}
