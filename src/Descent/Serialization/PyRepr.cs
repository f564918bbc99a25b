using System.Globalization;
using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>Short Python-like descriptions of unpickled values, for error messages.</summary>
internal static class PyRepr
{
    public static string Of(object? v) => v switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        string s => "'" + (s.Length > 60 ? s[..60] + "…" : s) + "'",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        PyTuple t => t.Count <= 8 ? t.ToString() : $"tuple of {t.Count}",
        PyDict d => (d.IsOrderedDict ? "OrderedDict" : "dict") + $" of {d.Count}",
        List<object?> l => $"list of {l.Count}",
        Tensor t => $"tensor {ShapeHelper.Format(t.shape)} {t.DType.TorchName()}",
        RawTensor r => r.ToString(),
        byte[] b => $"bytes of {b.Length}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.GetType().Name,
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
