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

    /// <summary>A name from the file, cut to 200 characters for a message.</summary>
    public static string Cap(string s) => s.Length > 200 ? s[..200] + "…" : s;

    private static string? Describe(object v) => v switch
    {
        PyDict d => (d.IsOrderedDict ? "OrderedDict" : "dict") + $" of {d.Count}",
        Tensor t => $"tensor {ShapeHelper.Format(t.shape)} {t.DType.TorchName()}",
        RawTensor r => r.ToString(),
        NN.Module m => m.GetType().Name + " module",
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
        PySet => "set",
        ModuleObject o => o.Registration.PythonName,
        _ => v.GetType().Name,
    };
}
