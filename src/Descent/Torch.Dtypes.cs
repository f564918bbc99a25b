using Descent.Tensors;

namespace Descent;

public static partial class Torch
{
    /// <summary>
    /// Sets the dtype that factories given no dtype make and that integers promote to with a C# double or in true
    /// division, like <c>torch.set_default_dtype</c>. Process-wide, as in PyTorch; only floating types are allowed.
    /// </summary>
    public static void SetDefaultDtype(DType dtype)
    {
        // PyTorch raises TypeError here.
        if (!dtype.IsFloatingPoint()) throw new ArgumentException("only floating-point types are supported as the default type");
        Tensors.Tensor.DefaultDType = dtype;
    }

    /// <summary>The default floating dtype, like <c>torch.get_default_dtype</c> (float32 unless changed).</summary>
    public static DType GetDefaultDtype() => Tensors.Tensor.DefaultDType;

    /// <summary>The dtype <c>a op b</c> computes in by PyTorch's promotion rules, like <c>torch.result_type</c>.</summary>
    public static DType ResultType(Tensor tensor, Tensor other) => Tensors.Tensor.ResultType(tensor, other);

    /// <summary>The dtype of <c>tensor op other</c> with a C# double (a Python float), like <c>torch.result_type(t, 1.0)</c>.</summary>
    public static DType ResultType(Tensor tensor, double other) => Tensors.Tensor.ResultType(tensor, Tensors.Tensor.Wrap(other));

    /// <summary>The dtype of <c>tensor op other</c> with a C# integer (a Python int), like <c>torch.result_type(t, 1)</c>.</summary>
    public static DType ResultType(Tensor tensor, long other) => Tensors.Tensor.ResultType(tensor, Tensors.Tensor.Wrap(other));

    /// <summary>The dtype of <c>tensor op other</c> with a C# bool (a Python bool).</summary>
    public static DType ResultType(Tensor tensor, bool other) => Tensors.Tensor.ResultType(tensor, Tensors.Tensor.Wrap(other));
}

// torch.tensor(data): the dtype follows the data as PyTorch infers it from a Python list.
public static partial class Torch
{
    /// <summary>
    /// A tensor over a copy of <paramref name="data"/>, like <c>torch.tensor(data, dtype=...)</c>. Without a dtype it is
    /// inferred as PyTorch infers it from Python values: <c>double</c> (a Python float) gives the default dtype
    /// (float32 unless <see cref="SetDefaultDtype"/> changed it), <c>float</c> float32, <c>long</c> and <c>int</c> (Python
    /// ints) int64, <c>bool</c> bool. Any rank of array works: <c>new double[,] {{1, 2}, {3, 4}}</c>.
    /// </summary>
    public static Tensor Tensor(Array data, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var element = data.GetType().GetElementType();
        var t = element == typeof(double) ? Tensors.Tensor.From<double>(data).To(Tensors.Tensor.DefaultDType)
            : element == typeof(float) ? Tensors.Tensor.From<float>(data)
            : element == typeof(long) ? Tensors.Tensor.From<long>(data)
            : element == typeof(int) ? Tensors.Tensor.From<int>(data).To(DType.Int64)
            : element == typeof(bool) ? Tensors.Tensor.From<bool>(data)
            : throw new ArgumentException($"Could not infer dtype of {element?.Name}");
        return dtype is { } d ? t.To(d) : t;
    }

    /// <summary>A 0-dim tensor of a C# double (a Python float): the default dtype unless given, like <c>torch.tensor(2.5)</c>.</summary>
    public static Tensor Tensor(double value, DType? dtype = null) => Tensors.Tensor.Full([], value, dtype ?? Tensors.Tensor.DefaultDType);

    /// <summary>A 0-dim tensor of a C# integer (a Python int): int64 unless given, like <c>torch.tensor(3)</c>.</summary>
    public static Tensor Tensor(long value, DType? dtype = null)
    {
        var t = Tensors.Tensor.Full([], 0, DType.Int64);
        t.Data<long>()[0] = value;
        return dtype is { } d ? t.To(d) : t;
    }

    /// <summary>A 0-dim bool tensor, like <c>torch.tensor(True)</c>.</summary>
    public static Tensor Tensor(bool value) => Tensors.Tensor.Full([], value ? 1 : 0, DType.Bool);
}
