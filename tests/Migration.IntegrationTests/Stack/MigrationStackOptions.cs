using Migration.Postgres;
using Migration.SampleApi;
using Migration.Simulator;

namespace Migration.IntegrationTests.Stack;

/// <summary>What <see cref="MigrationStack.StartAsync"/> starts: two simulated providers, PostgreSQL and the sample API.</summary>
internal sealed class MigrationStackOptions
{
    /// <summary>Which sample app runs: the gateway with the middleware (default) or the support app with the handler.</summary>
    public SampleMode Mode { get; init; }

    /// <summary>Whether the sample API runs with the harness (and storage). Default true.</summary>
    public bool Harness { get; init; } = true;

    /// <summary>The primary provider. Default: <see cref="DefaultPrimary"/>.</summary>
    public SimulatorOptions Primary { get; init; } = DefaultPrimary();

    /// <summary>The candidate provider (only started with the harness). Default: <see cref="DefaultCandidate"/>.</summary>
    public SimulatorOptions Candidate { get; init; } = DefaultCandidate();

    /// <summary>
    /// The simulators' clock. A frozen clock (a never advanced <c>FakeClock</c>) makes answers byte-for-byte
    /// reproducible (<c>created</c> comes from it); only valid with zero latency settings, which then never wait on it.
    /// </summary>
    public TimeProvider? SimulatorClock { get; init; }

    /// <summary>Whether the harness is told the primary's base URL (<c>Migration:Primary:BaseUrl</c>). Default true.</summary>
    public bool HarnessKnowsPrimaryUrl { get; init; } = true;

    /// <summary>
    /// A migrated database to use (e.g. on a dedicated <c>LocalPostgres</c> the test stops and starts). Null = a fresh
    /// <c>TestDatabase</c> on the shared server, dropped with the stack.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>Configuration added last (overrides the defaults), e.g. <c>["Migration:Shadow:Workers"] = "1"</c>.</summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Tunes the batch writer (e.g. a short retry delay).</summary>
    public Action<PostgresStorageOptions>? Storage { get; init; }

    /// <summary>An instant, deterministic primary ("openai", agreement 1, seed 7, key <see cref="StackKeys.Primary"/>).</summary>
    public static SimulatorOptions DefaultPrimary() => new()
    {
        Name = "openai",
        ApiKey = StackKeys.Primary,
        Seed = 7,
        AgreementRate = 1.0,
    };

    /// <summary>
    /// An instant candidate that agrees on every prompt ("holysheep", key <see cref="StackKeys.Candidate"/>), keeping
    /// the chat requests it got (what the app sent, not what its client sent).
    /// </summary>
    public static SimulatorOptions DefaultCandidate() => new()
    {
        Name = "holysheep",
        KeepChatRequests = 1000,
        ApiKey = StackKeys.Candidate,
        Seed = 11,
        AgreementRate = 1.0,
    };
}
