namespace Migration.AspNetCore;

/// <summary>
/// An explicit sticky key for the outgoing handler (<c>AddMigrationHandler()</c>): the canary assignment and shadow
/// sampling of the provider calls made in its scope use it instead of the ambient request's key
/// (<c>Canary:StickyKey</c>, <c>Shadow:StickyKey</c>).
/// </summary>
/// <example>
/// <code>
/// using (MigrationStickyKey.Use(tenant.Id))
/// {
///     await chat.CompleteChatAsync(messages);   // the OpenAI SDK on an HttpClient with AddMigrationHandler()
/// }
/// </code>
/// </example>
public static class MigrationStickyKey
{
    internal static readonly HttpRequestOptionsKey<string> OptionKey = new("Migration.StickyKey");

    private static readonly AsyncLocal<string?> Ambient = new();

    /// <summary>
    /// Uses <paramref name="key"/> for every provider call in this async flow until the returned scope is disposed
    /// (then the previous key, if any, applies again).
    /// </summary>
    public static IDisposable Use(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var previous = Ambient.Value;
        Ambient.Value = key;
        return new Scope(previous);
    }

    /// <summary>Uses <paramref name="key"/> for this request (and its retries) only; wins over <see cref="Use"/>.</summary>
    public static void SetMigrationStickyKey(this HttpRequestMessage request, string key)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(key);
        request.Options.Set(OptionKey, key);
    }

    /// <summary>The explicit key of <paramref name="request"/>: its own, else the scope's; null when the app set none.</summary>
    internal static string? Of(HttpRequestMessage request) =>
        request.Options.TryGetValue(OptionKey, out var key) && !string.IsNullOrEmpty(key) ? key : Ambient.Value;

    private sealed class Scope(string? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Ambient.Value = previous;
            }
        }
    }
}
