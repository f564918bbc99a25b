using System.Text;

namespace Descent.Plotting;

/// <summary>Escaping for XML text and attribute values (SVG and XHTML-compatible HTML).</summary>
internal static class XmlText
{
    /// <summary>Appends <paramref name="text"/> escaped for use in element content or a double-quoted attribute.</summary>
    /// <remarks>Characters that XML 1.0 forbids (most control characters, lone surrogates) are dropped so the output always parses.</remarks>
    public static void Append(StringBuilder sb, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\t' or '\n' or '\r': sb.Append(c); break;
                case < ' ' or '\uFFFE' or '\uFFFF': break;
                default:
                    if (char.IsHighSurrogate(c))
                    {
                        if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                        {
                            sb.Append(c).Append(text[i + 1]);
                            i++;
                        }
                    }
                    else if (!char.IsLowSurrogate(c))
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }
    }

    /// <summary><paramref name="text"/> escaped (see <see cref="Append"/>).</summary>
    public static string Escape(string? text)
    {
        var sb = new StringBuilder(text?.Length ?? 0);
        Append(sb, text);
        return sb.ToString();
    }
}
