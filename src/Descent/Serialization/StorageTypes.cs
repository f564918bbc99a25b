using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>
/// PyTorch's legacy typed storage classes (<c>torch.FloatStorage</c>, …), which torch.save names in every
/// storage's persistent id: their element sizes, dtype names, and the Descent <see cref="DType"/> when there is one.
/// </summary>
internal static class StorageTypes
{
    /// <summary>One storage class.</summary>
    /// <param name="Name">Class name in module <c>torch</c>, e.g. <c>FloatStorage</c>.</param>
    /// <param name="ElementSize">Bytes per element.</param>
    /// <param name="TorchDType">The dtype's name, e.g. <c>torch.float32</c>.</param>
    /// <param name="DType">Descent's dtype, or null when Descent has none (the tensor loads as a <see cref="RawTensor"/>).</param>
    public sealed record Info(string Name, int ElementSize, string TorchDType, DType? DType);

    private static readonly Dictionary<string, Info> ByName = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = new("FloatStorage", 4, "torch.float32", Tensors.DType.Float32),
        ["DoubleStorage"] = new("DoubleStorage", 8, "torch.float64", Tensors.DType.Float64),
        ["LongStorage"] = new("LongStorage", 8, "torch.int64", Tensors.DType.Int64),
        ["BoolStorage"] = new("BoolStorage", 1, "torch.bool", Tensors.DType.Bool),
        ["HalfStorage"] = new("HalfStorage", 2, "torch.float16", null),
        ["BFloat16Storage"] = new("BFloat16Storage", 2, "torch.bfloat16", null),
        ["IntStorage"] = new("IntStorage", 4, "torch.int32", Tensors.DType.Int32),
        ["ShortStorage"] = new("ShortStorage", 2, "torch.int16", null),
        ["CharStorage"] = new("CharStorage", 1, "torch.int8", null),
        ["ByteStorage"] = new("ByteStorage", 1, "torch.uint8", null),
        ["ComplexFloatStorage"] = new("ComplexFloatStorage", 8, "torch.complex64", null),
        ["ComplexDoubleStorage"] = new("ComplexDoubleStorage", 16, "torch.complex128", null),
    };

    /// <summary>The storage class named <paramref name="name"/> (without the <c>torch.</c> prefix), or null.</summary>
    public static Info? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The storage class that holds Descent tensors of <paramref name="dtype"/>.</summary>
    public static Info For(DType dtype) => dtype switch
    {
        Tensors.DType.Float32 => ByName["FloatStorage"],
        Tensors.DType.Float64 => ByName["DoubleStorage"],
        Tensors.DType.Int64 => ByName["LongStorage"],
        Tensors.DType.Int32 => ByName["IntStorage"],
        _ => ByName["BoolStorage"],
    };
}
