namespace Migration.AspNetCore.Configuration;

/// <summary>The provider being migrated to (section <c>Migration:Candidate</c>).</summary>
public sealed class CandidateProviderOptions
{
    /// <summary>Display name. Default <c>holysheep</c>.</summary>
    public string Name { get; set; } = "holysheep";

    /// <summary>Base URL ending with <c>/v1</c>. Default <c>https://api.holysheep.ai/v1</c>.</summary>
    public string BaseUrl { get; set; } = "https://api.holysheep.ai/v1";

    /// <summary>API key sent as <c>Authorization: Bearer</c> to the candidate (from the environment). Required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Optional separate key for mirrored (shadow) requests, sent as <c>Authorization: Bearer</c>; null or empty = the
    /// same <see cref="ApiKey"/>. With its own key a provider's per-key rate limit on shadow load never reaches live
    /// canary traffic. Shadow calls always use their own connection pool (at most <c>Shadow:Workers</c> connections).
    /// </summary>
    public string? ShadowApiKey { get; set; }

    /// <summary>Primary model name -> candidate model name. Models not listed are sent unchanged.</summary>
    public IDictionary<string, string> ModelMap { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Optional fallback models on the candidate, per model the client asks for (before <see cref="ModelMap"/>), tried
    /// in order when a live request (canary or failover) fails on the candidate before its first byte with a
    /// provider-side error (5xx, 404 model not found, 429 whose <c>Retry-After</c> does not fit the budget, timeout, broken answer), e.g.
    /// <c>"gpt-4.1": ["gemini-2.5-flash", "deepseek-v3.2"]</c>. The names are sent to the candidate as written. All
    /// attempts share <see cref="Timeout"/>; each is recorded (<c>candidate_attempts</c>) with its outcome and cost.
    /// When every model failed, the primary serves the request. Empty by default.
    /// </summary>
    public IDictionary<string, IList<string>> FallbackModels { get; set; } = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The one deadline of a live request served by the candidate (canary or failover): every attempt (a retry after
    /// a 429 included, each first-byte wait cut to what is left) and the streaming of the answer share it, so retries
    /// never stack timeouts. A 429's <c>Retry-After</c> is honoured only when it fits what is left. Default 100 s.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Deadline for opening a connection to the candidate. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most connections open to the candidate at once; at least <c>Shadow:Workers</c>. Default 256.</summary>
    public int MaxConnections { get; set; } = 256;

    /// <summary>How long a pooled connection is reused before it is replaced (DNS changes). Default 2 min.</summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(2);
}
