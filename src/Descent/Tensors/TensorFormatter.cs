using System.Globalization;
using System.Text;
using Descent.Text;

namespace Descent.Tensors;

/// <summary>
/// Prints tensors exactly as PyTorch's <c>repr</c> does: a port of torch/_tensor_str.py (1.13) for strided CPU
/// tensors of float32, float64, int64 and bool, under the options in <see cref="PrintOptions"/>.
/// </summary>
internal static class TensorFormatter
{
    private const string Prefix = "tensor(";

    /// <summary><c>_str_intern</c>: the contents, then the dtype, size and autograd suffixes.</summary>
    public static string Format(Tensor t)
    {
        int indent = Prefix.Length;
        var suffixes = new List<string>();
        string body;
        var data = t.Detach().Contiguous();
        if (data.Numel == 0)
        {
            // An empty tensor shows its shape unless it is 1-D, and its dtype unless the default (nothing to infer it from).
            if (data.Dim != 1) suffixes.Add("size=" + PythonTuple(data.shape));
            if (data.DType != Tensor.DefaultDType) suffixes.Add("dtype=" + data.DType.TorchName());
            body = "[]";
        }
        else
        {
            // The default dtype is implied; int64 and bool are recognisable from their printed values.
            if (data.DType != Tensor.DefaultDType && data.DType is not (DType.Int64 or DType.Bool))
                suffixes.Add("dtype=" + data.DType.TorchName());
            body = TensorStr(data, indent);
        }
        if (t.GradFn is { } fn) suffixes.Add($"grad_fn=<{fn.Name}>");
        else if (t.RequiresGrad) suffixes.Add("requires_grad=True");
        return AddSuffixes(Prefix + body, suffixes, indent);
    }

    private static string PythonTuple(int[] shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";

    /// <summary><c>_add_suffixes</c>: each suffix on the same line while it fits in the line width.</summary>
    private static string AddSuffixes(string tensorStr, List<string> suffixes, int indent)
    {
        var sb = new StringBuilder(tensorStr);
        // Python's len(s) - s.rfind("\n") + 1, which is len(s) + 2 without a newline.
        int lastLineLen = tensorStr.Length - tensorStr.LastIndexOf('\n') + 1;
        foreach (var suffix in suffixes)
        {
            if (lastLineLen + suffix.Length + 2 > PrintOptions.LineWidth)
            {
                sb.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLen = indent + suffix.Length;
            }
            else
            {
                sb.Append(", ").Append(suffix);
                lastLineLen += suffix.Length + 2;
            }
        }
        return sb.Append(')').ToString();
    }

    /// <summary><c>_tensor_str</c> for a non-empty contiguous tensor.</summary>
    private static string TensorStr(Tensor t, int indent)
    {
        bool summarize = t.Numel > PrintOptions.Threshold;
        var values = new Values(t);
        var formatter = new Formatter(values, Shown(t.shape, summarize));
        var sb = new StringBuilder();
        Write(sb, values, t.shape, 0, 0, indent, summarize, formatter);
        return sb.ToString();
    }

    /// <summary>The flat indices of the elements printed (all, or the edges of each long dim): <c>get_summarized_data</c>.</summary>
    private static List<int> Shown(int[] shape, bool summarize)
    {
        var result = new List<int>();
        void Walk(int dim, int flatBase, int stride)
        {
            if (dim == shape.Length) { result.Add(flatBase); return; }
            int n = shape[dim], inner = stride / n;
            foreach (var i in Indices(n, summarize))
                if (i >= 0) Walk(dim + 1, flatBase + i * inner, inner);
        }
        Walk(0, 0, ShapeHelper.Numel(shape));
        return result;
    }

    /// <summary>The indices of one dim that are printed; -1 marks the "..." between the edges.</summary>
    private static IEnumerable<int> Indices(int n, bool summarize)
    {
        int edge = PrintOptions.EdgeItems;
        if (summarize && n > 2 * edge)
        {
            for (int i = 0; i < edge; i++) yield return i;
            yield return -1;
            for (int i = n - edge; i < n; i++) yield return i;
        }
        else
        {
            for (int i = 0; i < n; i++) yield return i;
        }
    }

    /// <summary><c>_tensor_str_with_formatter</c>, writing the sub-tensor at <paramref name="flatBase"/> from dim <paramref name="dim"/>.</summary>
    private static void Write(StringBuilder sb, Values values, int[] shape, int dim, int flatBase, int indent, bool summarize, Formatter f)
    {
        int rank = shape.Length - dim;
        if (rank == 0)
        {
            sb.Append(f.Format(values, flatBase));
            return;
        }
        int n = shape[dim];
        int inner = ShapeHelper.Numel(shape.AsSpan(dim + 1));
        if (rank == 1)
        {
            WriteVector(sb, values, flatBase, n, indent, summarize, f);
            return;
        }
        sb.Append('[');
        bool first = true;
        foreach (var i in Indices(n, summarize))
        {
            if (!first) sb.Append(',').Append('\n', rank - 1).Append(' ', indent + 1);
            first = false;
            if (i < 0) sb.Append("...");
            else Write(sb, values, shape, dim + 1, flatBase + i * inner, indent + 1, summarize, f);
        }
        sb.Append(']');
    }

    /// <summary><c>_vector_str</c>: as many elements per line as fit in the line width.</summary>
    private static void WriteVector(StringBuilder sb, Values values, int flatBase, int n, int indent, bool summarize, Formatter f)
    {
        int elementLength = f.Width + 2;
        int perLine = Math.Max(1, (int)Math.Floor((PrintOptions.LineWidth - indent) / (double)elementLength));
        var items = new List<string>();
        foreach (var i in Indices(n, summarize)) items.Add(i < 0 ? " ..." : f.Format(values, flatBase + i));
        sb.Append('[');
        for (int k = 0; k < items.Count; k++)
        {
            if (k > 0) sb.Append(k % perLine == 0 ? ",\n" + new string(' ', indent + 1) : ", ");
            sb.Append(items[k]);
        }
        sb.Append(']');
    }

    /// <summary>The elements of a contiguous tensor, read as Python's <c>tolist()</c> would give them.</summary>
    private sealed class Values(Tensor t)
    {
        private readonly Tensor t = t;
        public readonly DType DType = t.DType;
        public readonly int Count = t.Numel;

        public double Double(int i) => t.GetAsDouble(t.offset + i);

        /// <summary>Python's <c>str()</c> of an integer or bool element.</summary>
        public string Text(int i) => DType == DType.Bool
            ? (t.Data<bool>()[t.offset + i] ? "True" : "False")
            : t.GetAsLong(t.offset + i).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary><c>_Formatter</c>: picks integer, fixed or scientific notation and a common width from the shown values.</summary>
    private sealed class Formatter
    {
        private readonly bool floating;
        private readonly bool intMode = true;
        private readonly bool sciMode;
        private readonly int precision = PrintOptions.Precision;

        public int Width { get; } = 1;

        public Formatter(Values values, List<int> shown)
        {
            floating = values.DType.IsFloatingPoint();
            if (!floating)
            {
                foreach (var i in shown) Width = Math.Max(Width, values.Text(i).Length);
                return;
            }
            var finite = new List<double>();
            foreach (var i in shown)
            {
                double v = values.Double(i);
                if (double.IsFinite(v) && v != 0) finite.Add(v);
            }
            // No nonzero finite value: integer mode at width 1, and PRINT_OPTS.sci_mode is not consulted (as in PyTorch).
            if (finite.Count == 0) return;

            double min = double.PositiveInfinity, max = 0;
            foreach (var v in finite)
            {
                min = Math.Min(min, Math.Abs(v));
                max = Math.Max(max, Math.Abs(v));
            }
            foreach (var v in finite)
            {
                if (v != Math.Ceiling(v))
                {
                    intMode = false;
                    break;
                }
            }
            if (intMode)
            {
                if (max / min > 1000.0 || max > 1.0e8)
                {
                    sciMode = true;
                    foreach (var v in finite) Width = Math.Max(Width, PyRepr.Scientific(v, precision).Length);
                }
                else
                {
                    // Room for the "." that marks the values as floats.
                    foreach (var v in finite) Width = Math.Max(Width, PyRepr.Fixed(v, 0).Length + 1);
                }
            }
            else if (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4)
            {
                sciMode = true;
                foreach (var v in finite) Width = Math.Max(Width, PyRepr.Scientific(v, precision).Length);
            }
            else
            {
                foreach (var v in finite) Width = Math.Max(Width, PyRepr.Fixed(v, precision).Length);
            }
            if (PrintOptions.SciMode is { } forced) sciMode = forced;
        }

        /// <summary>One element, right-aligned to <see cref="Width"/>.</summary>
        public string Format(Values values, int i)
        {
            string s;
            if (!floating) s = values.Text(i);
            else
            {
                double v = values.Double(i);
                if (sciMode) s = PyRepr.Scientific(v, precision);
                else if (intMode)
                {
                    s = PyRepr.Fixed(v, 0);
                    if (double.IsFinite(v)) s += ".";
                }
                else s = PyRepr.Fixed(v, precision);
            }
            return s.Length >= Width ? s : new string(' ', Width - s.Length) + s;
        }
    }
}
