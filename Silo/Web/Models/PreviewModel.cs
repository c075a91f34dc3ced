namespace OrleansFs.Silo.Web.Models;

/// <summary>The first bytes of a file: as sent (base64 in JSON) and as text with control characters shown as '.'.</summary>
public sealed record PreviewModel(byte[] Bytes, string Text, bool Truncated);
