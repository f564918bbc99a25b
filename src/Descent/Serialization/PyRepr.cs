using System.Globalization;
using System.Text;
using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>
/// Short Python-like descriptions of unpickled values, for error messages. Bounded: nested tuples are shown
/// <see cref="MaxDepth"/> levels deep and the whole text is cut at <see cref="MaxLength"/> characters, so a
/// hostile value can neither overflow the stack nor make a huge message.
/// </summary>
internal static class PyRepr
{
    internal const int MaxDepth = 4;
    internal const int MaxLength = 200;

    public static string Of(object? v)
    {
        var sb = new StringBuilder();
        Append(sb, v, 0);
        return sb.Length > MaxLength ? sb.ToString(0, MaxLength) + "…" : sb.ToString();
    }

    private static void Append(StringBuilder sb, object? v, int depth)
    {
        if (sb.Length > MaxLength) return;
        if (v is not PyTuple t)
        {
            sb.Append(Scalar(v));
            return;
        }
        if (t.Count > 8)
        {
            sb.Append("tuple of ").Append(t.Count);
            return;
        }
        if (depth >= MaxDepth)
        {
            sb.Append("(...)");
            return;
        }
        sb.Append('(');
        for (int i = 0; i < t.Count && sb.Length <= MaxLength; i++)
        {
            if (i > 0) sb.Append(", ");
            Append(sb, t[i], depth + 1);
        }
        sb.Append(t.Count == 1 ? ",)" : ")");
    }

    private static string Scalar(object? v) => v switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        string s => "'" + (s.Length > 60 ? s[..60] + "…" : s) + "'",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        PyDict d => (d.IsOrderedDict ? "OrderedDict" : "dict") + $" of {d.Count}",
        List<object?> l => $"list of {l.Count}",
        Tensor t => $"tensor {ShapeHelper.Format(t.shape)} {t.DType.TorchName()}",
        RawTensor r => r.ToString(),
        byte[] b => $"bytes of {b.Length}",
        System.Numerics.BigInteger big => big.GetByteCount() > 32 ? $"int of {big.GetByteCount()} bytes" : big.ToString(CultureInfo.InvariantCulture),
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
