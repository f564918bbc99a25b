using System.Text;

namespace Descent.Cli.Lab;

/// <summary>A small CSV builder: a header row, then rows of numbers or text (RFC 4180 quoting where needed).</summary>
internal sealed class CsvTable
{
    private readonly StringBuilder text = new();
    private readonly int columns;

    /// <summary>Starts a table with the given column names.</summary>
    public CsvTable(params string[] headers)
    {
        columns = headers.Length;
        AppendRow(headers);
    }

    /// <summary>Number of data rows added.</summary>
    public int Rows { get; private set; }

    /// <summary>Adds a row; doubles are written in round-trip form, NaN as an empty cell.</summary>
    public void Add(params object?[] cells)
    {
        if (cells.Length != columns) throw new ArgumentException($"CSV row has {cells.Length} cells, expected {columns}");
        var s = new string[cells.Length];
        for (int i = 0; i < cells.Length; i++)
            s[i] = cells[i] switch
            {
                null => "",
                double d => LabOutput.Number(d),
                float f => LabOutput.Number(f),
                IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                var o => o.ToString() ?? "",
            };
        AppendRow(s);
        Rows++;
    }

    private void AppendRow(string[] cells)
    {
        for (int i = 0; i < cells.Length; i++)
        {
            if (i > 0) text.Append(',');
            string c = cells[i];
            if (c.AsSpan().IndexOfAny(",\"\n\r") >= 0) text.Append('"').Append(c.Replace("\"", "\"\"")).Append('"');
            else text.Append(c);
        }
        text.Append('\n');
    }

    /// <inheritdoc/>
    public override string ToString() => text.ToString();
}
