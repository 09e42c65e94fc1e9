namespace Migration.AspNetCore.Configuration;

/// <summary>Protection of the admin and report endpoints (section <c>Migration:Admin</c>).</summary>
public sealed class AdminOptions
{
    /// <summary>
    /// Key expected in the <c>X-Migration-Key</c> header or as <c>Authorization: Bearer</c>. Required unless
    /// <see cref="AuthorizationPolicy"/> is set. Never logged.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Name of an authorization policy of the host that guards the endpoints instead of the key.</summary>
    public string? AuthorizationPolicy { get; set; }
}
