namespace OrleansFs.Silo.Web.Models;

/// <summary>The JSON body of a failed API call: the error code, the path it concerns, and the reason.</summary>
public sealed record ApiError(string Code, string? Path, string Message);
