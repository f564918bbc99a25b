using Descent.Tensors;
using Descent.Text;

namespace Descent.Serialization;

/// <summary>
/// Short Python-like descriptions of unpickled values, for error messages: <see cref="PyRepr.Of"/> (bounded to
/// <see cref="PyRepr.MaxDepth"/> levels and <see cref="PyRepr.MaxLength"/> characters, so a hostile value can
/// neither overflow the stack nor make a huge message), with dicts and tensors summarised.
/// </summary>
internal static class PickleRepr
{
    public static string Of(object? v) => PyRepr.Of(v, Describe);

    private static string? Describe(object v) => v switch
    {
        PyDict d => (d.IsOrderedDict ? "OrderedDict" : "dict") + $" of {d.Count}",
        Tensor t => $"tensor {ShapeHelper.Format(t.shape)} {t.DType.TorchName()}",
        RawTensor r => r.ToString(),
        _ => null,
    };

    /// <summary>Python's type name of a value, for messages.</summary>
    public static string TypeName(object? v) => v switch
    {
        null => "NoneType",
        bool => "bool",
        long or int or System.Numerics.BigInteger => "int",
        double => "float",
        string => "str",
        byte[] => "bytes",
        PyTuple => "tuple",
        List<object?> => "list",
        PyDict d => d.IsOrderedDict ? "OrderedDict" : "dict",
        Tensor or RawTensor => "Tensor",
        _ => v.GetType().Name,
    };
}
