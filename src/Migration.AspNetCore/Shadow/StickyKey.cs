using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace Migration.AspNetCore.Shadow;

/// <summary>Where the sticky sampling key of a request comes from: <c>header:NAME</c> or <c>claim:TYPE</c>.</summary>
internal sealed record StickyKey(bool FromHeader, string Name)
{
    public static bool TryParse(string? value, [NotNullWhen(true)] out StickyKey? key)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == value.Length - 1)
        {
            return false;
        }

        var kind = value[..colon].Trim();
        var name = value[(colon + 1)..].Trim();
        if (name.Length == 0)
        {
            return false;
        }

        if (kind.Equals("header", StringComparison.OrdinalIgnoreCase))
        {
            key = new StickyKey(true, name);
        }
        else if (kind.Equals("claim", StringComparison.OrdinalIgnoreCase))
        {
            key = new StickyKey(false, name);
        }

        return key is not null;
    }

    /// <summary>The key's value in this request, or null when it has none.</summary>
    public string? ValueOf(HttpContext context)
    {
        if (FromHeader)
        {
            var values = context.Request.Headers[Name];
            return values.Count == 0 || string.IsNullOrEmpty(values[0]) ? null : values[0];
        }

        var claim = context.User?.FindFirst(Name);
        return string.IsNullOrEmpty(claim?.Value) ? null : claim.Value;
    }
}
