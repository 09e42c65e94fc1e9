using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Migration.AspNetCore.Endpoints;

/// <summary>
/// Lets a request through when it carries the admin key in <c>X-Migration-Key</c> or as
/// <c>Authorization: Bearer</c>; answers 401 problem details otherwise. Compares digests in fixed time.
/// </summary>
internal sealed class AdminKeyFilter : IEndpointFilter
{
    public const string HeaderName = "X-Migration-Key";

    private readonly byte[] _expected;

    public AdminKeyFilter(string apiKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        _expected = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));
    }

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (IsAuthorized(context.HttpContext.Request))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        var isDashboard = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<DashboardMarker>() is not null;
        return ValueTask.FromResult<object?>(isDashboard
            ? Results.Content(DashboardPage.KeyPrompt(), "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status401Unauthorized)
            : Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: $"Send the admin key in the {HeaderName} header or as 'Authorization: Bearer <key>'."));
    }

    internal bool IsAuthorized(HttpRequest request)
    {
        var key = request.Headers[HeaderName];
        if (!StringValues.IsNullOrEmpty(key))
        {
            return Matches(key.ToString());
        }

        var authorization = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            && Matches(authorization[Bearer.Length..].Trim());
    }

    private bool Matches(string candidate)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(candidate), digest);
        return CryptographicOperations.FixedTimeEquals(digest, _expected);
    }
}
