using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// The typed per-parameter state of an optimizer (e.g. <see cref="AdamState"/>), created lazily at the first
/// step as in PyTorch. Converts to and from the PyTorch state-dict form (a name → tensor/number map).
/// </summary>
public abstract class ParamState
{
    /// <summary>The entries PyTorch's state dict holds for this parameter, with PyTorch's names and order.</summary>
    public abstract IEnumerable<KeyValuePair<string, object>> ToStateDict();

    /// <summary>A step count stored as PyTorch stores it: a float32 scalar tensor.</summary>
    protected static Tensor StepTensor(long step) => Tensor.Scalar(step);

    /// <summary>Reads a state tensor, checking it matches <paramref name="param"/>'s shape, and returns a private copy.</summary>
    internal static Tensor ReadBuffer(IReadOnlyDictionary<string, object> entries, string key, Tensor param, string paramName) =>
        Checked(entries, key, param, paramName).Detach().To(param.DType).Clone();

    /// <summary>Reads a state tensor into <paramref name="target"/>, checking it has <paramref name="target"/>'s shape.</summary>
    internal static void ReadInto(IReadOnlyDictionary<string, object> entries, string key, Tensor target, string paramName) =>
        target.CopyFromUnchecked(Checked(entries, key, target, paramName).Detach());

    // The tensor under `key`, refused when absent or not shaped like `like`.
    private static Tensor Checked(IReadOnlyDictionary<string, object> entries, string key, Tensor like, string paramName)
    {
        if (!entries.TryGetValue(key, out var v) || v is not Tensor t)
            throw new ArgumentException($"state of parameter {paramName} is missing '{key}'");
        if (!ShapeHelper.SameShape(t.shape, like.shape))
            throw new ArgumentException(
                $"state '{key}' of parameter {paramName} has shape {ShapeHelper.Format(t.shape)}, but the parameter has shape {ShapeHelper.Format(like.shape)}");
        return t;
    }

    /// <summary>Reads an optional state tensor (absent or None gives null).</summary>
    internal static Tensor? ReadOptionalBuffer(IReadOnlyDictionary<string, object> entries, string key, Tensor param, string paramName) =>
        entries.TryGetValue(key, out var v) && v is Tensor ? ReadBuffer(entries, key, param, paramName) : null;

    /// <summary>Reads a scalar stored as a one-element tensor or a number.</summary>
    internal static double ReadScalar(IReadOnlyDictionary<string, object> entries, string key, string paramName)
    {
        if (!entries.TryGetValue(key, out var v)) throw new ArgumentException($"state of parameter {paramName} is missing '{key}'");
        return ParamGroup.ToDouble(v, key);
    }

    /// <summary>Reads a step count stored as a tensor or a number.</summary>
    internal static long ReadStep(IReadOnlyDictionary<string, object> entries, string paramName, string key = "step")
    {
        if (!entries.TryGetValue(key, out var v)) throw new ArgumentException($"state of parameter {paramName} is missing '{key}'");
        double d = ParamGroup.ToDouble(v, key);
        if (d < 0 || d != Math.Floor(d)) throw new ArgumentException($"state '{key}' of parameter {paramName} is not a step count: {d}");
        return (long)d;
    }
}
