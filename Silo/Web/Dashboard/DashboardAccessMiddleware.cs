using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Web.Dashboard;

/// <summary>
/// Guards the dashboard, which shows grain state, when an access token is configured: the token may come
/// as `Authorization: Bearer`, as a cookie, or once as `?token=` (which sets the cookie, so the dashboard's
/// own requests carry it). Without a token the dashboard binds to loopback only (checked at start).
/// </summary>
public sealed partial class DashboardAccessMiddleware(RequestDelegate next, IOptions<DashboardEndpointOptions> options, ILogger<DashboardAccessMiddleware> logger)
{
    public const string CookieName = "ofs_dashboard_token";

    public async Task InvokeAsync(HttpContext context)
    {
        string? token = options.Value.AccessToken;
        bool isDashboard = context.GetEndpoint()?.Metadata.GetMetadata<DashboardEndpointMetadata>() is not null;
        if (!isDashboard || string.IsNullOrEmpty(token))
        {
            await next(context);
            return;
        }
        if (Matches(BearerToken(context), token) || Matches(context.Request.Cookies[CookieName], token))
        {
            await next(context);
            return;
        }
        if (Matches(context.Request.Query["token"], token))
        {
            context.Response.Cookies.Append(CookieName, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            context.Response.Redirect(context.Request.PathBase + context.Request.Path);
            return;
        }
        LogRefused(logger, context.Connection.RemoteIpAddress, context.Request.Path.Value);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await context.Response.WriteAsync("The dashboard needs its access token: send it as a bearer token, or open /?token=...");
    }

    private static string? BearerToken(HttpContext context)
    {
        string? header = context.Request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private static bool Matches(string? presented, string expected) =>
        presented is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    [LoggerMessage(EventId = 1820, Level = LogLevel.Warning, Message = "Refused dashboard request from {Remote} for {Path}: missing or wrong access token")]
    private static partial void LogRefused(ILogger logger, System.Net.IPAddress? remote, string? path);
}
