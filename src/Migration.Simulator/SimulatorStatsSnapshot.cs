namespace Migration.Simulator;

/// <summary>A copy of <see cref="SimulatorStats"/>, as <c>GET /_sim/stats</c> returns it (camelCase JSON).</summary>
public sealed record SimulatorStatsSnapshot
{
    /// <summary>Requests received on <c>/v1</c> routes.</summary>
    public long TotalRequests { get; init; }

    /// <summary>Chat requests that asked for a stream.</summary>
    public long StreamedRequests { get; init; }

    /// <summary>Chat answers given degraded.</summary>
    public long DegradedAnswers { get; init; }

    /// <summary>Requests in flight when the snapshot was taken.</summary>
    public int InFlight { get; init; }

    /// <summary>Most requests ever in flight at once.</summary>
    public int MaxInFlight { get; init; }

    /// <summary>Requests per route: models, chat, embeddings, other.</summary>
    public IReadOnlyDictionary<string, long> Routes { get; init; } = new Dictionary<string, long>();

    /// <summary>Injected faults per kind: error500, error502, error503, error429, hang, reset, truncate, malformed, outage.</summary>
    public IReadOnlyDictionary<string, long> Faults { get; init; } = new Dictionary<string, long>();

    /// <summary>Responses per HTTP status ("200", "429"...).</summary>
    public IReadOnlyDictionary<string, long> StatusCodes { get; init; } = new Dictionary<string, long>();

    /// <summary>Valid chat/embedding requests per model.</summary>
    public IReadOnlyDictionary<string, long> Models { get; init; } = new Dictionary<string, long>();
}
