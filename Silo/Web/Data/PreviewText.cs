using System.Text;

namespace OrleansFs.Silo.Web.Data;

/// <summary>Turns a file's first bytes into text a page can show: UTF-8, with control characters as '.'.</summary>
public static class PreviewText
{
    public static string From(ReadOnlySpan<byte> bytes)
    {
        string text = Encoding.UTF8.GetString(bytes);
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = char.IsControl(c) && c is not ('\n' or '\t') ? '.' : c;
            }
        });
    }
}
