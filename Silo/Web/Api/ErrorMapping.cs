using Microsoft.AspNetCore.Http;
using OrleansFs.Errors;
using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Silo.Web.Api;

/// <summary>Turns a failed read into an HTTP status and a body that names the code, the path and the reason.</summary>
public static class ErrorMapping
{
    public static (int Status, ApiError Error) From(FsException e) => (StatusOf(e.Code), new ApiError(e.Code.ToString(), e.Path, e.Message));

    private static int StatusOf(FsErrorCode code) => code switch
    {
        FsErrorCode.NotFound => StatusCodes.Status404NotFound,
        FsErrorCode.InvalidPath or FsErrorCode.InvalidArgument or FsErrorCode.IsADirectory or FsErrorCode.NotADirectory => StatusCodes.Status400BadRequest,
        FsErrorCode.Unavailable or FsErrorCode.Fenced => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
