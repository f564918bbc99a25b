namespace Descent.Tensors;

/// <summary>Element type of a tensor, named after PyTorch's <c>torch.dtype</c>.</summary>
public enum DType
{
    /// <summary><c>torch.float32</c>, the default.</summary>
    Float32,
    /// <summary><c>torch.float64</c>.</summary>
    Float64,
    /// <summary><c>torch.int64</c>: indices, class targets, <c>argmax</c> results.</summary>
    Int64,
    /// <summary><c>torch.bool</c>: comparison results and masks.</summary>
    Bool,
    /// <summary><c>torch.int32</c>.</summary>
    Int32,
}

/// <summary>Helpers over <see cref="DType"/>.</summary>
public static class DTypeExtensions
{
    /// <summary>PyTorch's name, e.g. <c>torch.float32</c>.</summary>
    public static string TorchName(this DType d) => d switch
    {
        DType.Float32 => "torch.float32",
        DType.Float64 => "torch.float64",
        DType.Int64 => "torch.int64",
        DType.Int32 => "torch.int32",
        _ => "torch.bool",
    };

    /// <summary>PyTorch's C++ scalar type name used in many messages: Float, Double, Long, Bool.</summary>
    public static string ScalarTypeName(this DType d) => d switch
    {
        DType.Float32 => "Float",
        DType.Float64 => "Double",
        DType.Int64 => "Long",
        DType.Int32 => "Int",
        _ => "Bool",
    };

    /// <summary>PyTorch's legacy tensor type name used in some messages, e.g. <c>torch.FloatTensor</c>.</summary>
    public static string LegacyTypeName(this DType d) => d switch
    {
        DType.Float32 => "torch.FloatTensor",
        DType.Float64 => "torch.DoubleTensor",
        DType.Int64 => "torch.LongTensor",
        DType.Int32 => "torch.IntTensor",
        _ => "torch.BoolTensor",
    };

    /// <summary>Whether the type is a floating-point type (can require gradients).</summary>
    public static bool IsFloatingPoint(this DType d) => d is DType.Float32 or DType.Float64;

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType d) => d switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        DType.Int64 => 8,
        DType.Int32 => 4,
        _ => 1,
    };

    /// <summary>Whether the type is an integral type (bool excluded), like <c>is_integral(include_bool=False)</c>.</summary>
    public static bool IsIntegral(this DType d) => d is DType.Int64 or DType.Int32;

    /// <summary>
    /// The type two tensors of these types promote to, like <c>torch.promote_types</c>: bool &lt; int32 &lt; int64 &lt;
    /// float32 &lt; float64. It ignores dimensions; <c>Torch.ResultType</c> applies the rules for zero-dim tensors and numbers.
    /// </summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b) return a;
        if (a == DType.Float64 || b == DType.Float64) return DType.Float64;
        if (a == DType.Float32 || b == DType.Float32) return DType.Float32;
        if (a == DType.Int64 || b == DType.Int64) return DType.Int64;
        return DType.Int32;
    }
}
