using System.Globalization;
using System.Numerics;
using System.Text;

namespace Descent.Serialization;

// Protocol 0's text opcodes: newline-terminated decimal numbers, quoted strings and names.
internal sealed partial class Unpickler
{
    private const int MaxLine = 1 << 16;

    private ReadOnlySpan<byte> ReadLine()
    {
        int start = pos;
        int nl = data.AsSpan(pos, end - pos).IndexOf((byte)'\n');
        if (nl < 0) throw new InvalidDataException("pickle data ends inside a text line");
        if (nl > MaxLine) throw new InvalidDataException($"text line longer than {MaxLine} bytes");
        pos += nl + 1;
        return data.AsSpan(start, nl);
    }

    private static string Ascii(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
            if (b < 0x20 || b > 0x7e) throw Bad("non-printable byte in a global or persistent id name");
        return Encoding.ASCII.GetString(line);
    }

    private static object ParseIntLine(ReadOnlySpan<byte> line)
    {
        var s = Ascii(line).Trim();
        if (s == "01") return true; // protocol 0 writes booleans as I01 / I00
        if (s == "00") return false;
        return ParseInteger(s);
    }

    private static object ParseLongLine(ReadOnlySpan<byte> line)
    {
        var s = Ascii(line).Trim();
        if (s.EndsWith('L')) s = s[..^1];
        return ParseInteger(s);
    }

    private static object ParseInteger(string s)
    {
        if (s.Length > 600) throw Bad("integer literal too long");
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)) return v;
        if (BigInteger.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)) return big;
        throw Bad($"bad integer literal '{(s.Length > 40 ? s[..40] : s)}'");
    }

    private static double ParseFloatLine(ReadOnlySpan<byte> line)
    {
        var s = Ascii(line).Trim();
        switch (s)
        {
            case "inf": return double.PositiveInfinity;
            case "-inf": return double.NegativeInfinity;
            case "nan": return double.NaN;
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            ? d : throw Bad($"bad float literal '{(s.Length > 40 ? s[..40] : s)}'");
    }

    /// <summary>A protocol-0 STRING: a Python repr in single or double quotes with backslash escapes.</summary>
    private static string ParseQuotedString(ReadOnlySpan<byte> line)
    {
        if (line.Length < 2 || line[0] != line[^1] || (line[0] != '\'' && line[0] != '"'))
            throw Bad("STRING argument is not a quoted string");
        var body = line[1..^1];
        var sb = new StringBuilder(body.Length);
        for (int i = 0; i < body.Length; i++)
        {
            char c = (char)body[i];
            if (c != '\\') { sb.Append(c); continue; }
            if (++i >= body.Length) throw Bad("STRING ends in a backslash");
            char e = (char)body[i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '0': sb.Append('\0'); break;
                case '\\': case '\'': case '"': sb.Append(e); break;
                case 'x':
                    if (i + 2 >= body.Length) throw Bad("short \\x escape");
                    sb.Append((char)HexValue(body.Slice(i + 1, 2)));
                    i += 2;
                    break;
                default: sb.Append('\\').Append(e); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>A protocol-0 UNICODE argument in raw-unicode-escape: Latin-1 text with \uXXXX and \UXXXXXXXX escapes.</summary>
    private static string ParseRawUnicodeEscape(ReadOnlySpan<byte> line)
    {
        var sb = new StringBuilder(line.Length);
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && (line[i + 1] == 'u' || line[i + 1] == 'U'))
            {
                int digits = line[i + 1] == 'u' ? 4 : 8;
                if (i + 2 + digits > line.Length) throw Bad("short \\u escape in UNICODE");
                int cp = HexValue(line.Slice(i + 2, digits));
                if ((uint)cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) throw Bad("bad code point in UNICODE"); // eight hex digits can read as a negative int
                sb.Append(char.ConvertFromUtf32(cp));
                i += 1 + digits;
            }
            else sb.Append((char)line[i]);
        }
        return sb.ToString();
    }

    private static int HexValue(ReadOnlySpan<byte> hex)
    {
        if (hex.Length > 8) throw Bad("hex escape too long");
        int v = 0;
        foreach (byte b in hex)
        {
            int d = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
            if (d < 0) throw Bad("bad hex digit in an escape");
            v = (v << 4) | d;
        }
        return v;
    }
}
