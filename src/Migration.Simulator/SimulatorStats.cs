using System.Collections.Concurrent;

namespace Migration.Simulator;

/// <summary>
/// What the simulator saw on its <c>/v1</c> routes (control routes are not counted): live counters, safe to read
/// while requests run. <c>GET /_sim/stats</c> returns <see cref="Snapshot"/>; <c>DELETE /_sim/stats</c> resets.
/// </summary>
public sealed class SimulatorStats
{
    /// <summary>Route key of <c>GET /v1/models</c> (and <c>/v1/models/{id}</c>).</summary>
    public const string ModelsRoute = "models";

    /// <summary>Route key of <c>POST /v1/chat/completions</c>.</summary>
    public const string ChatRoute = "chat";

    /// <summary>Route key of <c>POST /v1/embeddings</c>.</summary>
    public const string EmbeddingsRoute = "embeddings";

    /// <summary>Route key of any other <c>/v1</c> path or method (answered 404/405).</summary>
    public const string OtherRoute = "other";

    private static readonly string[] RouteNames = [ModelsRoute, ChatRoute, EmbeddingsRoute, OtherRoute];
    private static readonly SimulatedFault[] AllFaults = Enum.GetValues<SimulatedFault>();

    private readonly long[] _routes = new long[RouteNames.Length];
    private readonly long[] _faults = new long[AllFaults.Length];
    private readonly long[] _statuses = new long[600];
    private readonly ConcurrentDictionary<string, long> _models = new(StringComparer.Ordinal);
    private long _total;
    private long _streamed;
    private long _degraded;
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>Requests received on <c>/v1</c> routes.</summary>
    public long TotalRequests => Interlocked.Read(ref _total);

    /// <summary>Chat requests that asked for a stream.</summary>
    public long StreamedRequests => Interlocked.Read(ref _streamed);

    /// <summary>Chat answers given degraded (<see cref="AnswerSettings.DegradedRate"/>).</summary>
    public long DegradedAnswers => Interlocked.Read(ref _degraded);

    /// <summary><c>/v1</c> requests being served right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Most <c>/v1</c> requests ever in flight at once (since start or the last reset).</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Requests seen on one route (<see cref="ChatRoute"/>...).</summary>
    public long GetRouteCount(string route)
    {
        var index = Array.IndexOf(RouteNames, route);
        return index < 0 ? 0 : Interlocked.Read(ref _routes[index]);
    }

    /// <summary>How often a fault was injected.</summary>
    public long GetFaultCount(SimulatedFault fault) => Interlocked.Read(ref _faults[(int)fault]);

    /// <summary>Responses sent with a status (aborted connections have none and are not counted here).</summary>
    public long GetStatusCount(int status) => status is >= 0 and < 600 ? Interlocked.Read(ref _statuses[status]) : 0;

    /// <summary>Chat and embedding requests for a model (valid requests only).</summary>
    public long GetModelCount(string model) => _models.TryGetValue(model, out var count) ? count : 0;

    /// <summary>A consistent-enough copy of every counter (each counter is read atomically).</summary>
    public SimulatorStatsSnapshot Snapshot()
    {
        var routes = new Dictionary<string, long>(RouteNames.Length, StringComparer.Ordinal);
        for (var i = 0; i < RouteNames.Length; i++)
        {
            routes[RouteNames[i]] = Interlocked.Read(ref _routes[i]);
        }

        var faults = new Dictionary<string, long>(AllFaults.Length, StringComparer.Ordinal);
        foreach (var fault in AllFaults)
        {
            faults[FaultKey(fault)] = Interlocked.Read(ref _faults[(int)fault]);
        }

        var statuses = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < _statuses.Length; i++)
        {
            var count = Interlocked.Read(ref _statuses[i]);
            if (count > 0)
            {
                statuses[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = count;
            }
        }

        return new SimulatorStatsSnapshot
        {
            TotalRequests = TotalRequests,
            StreamedRequests = StreamedRequests,
            DegradedAnswers = DegradedAnswers,
            InFlight = InFlight,
            MaxInFlight = MaxInFlight,
            Routes = routes,
            Faults = faults,
            StatusCodes = statuses,
            Models = new Dictionary<string, long>(_models, StringComparer.Ordinal),
        };
    }

    /// <summary>Sets every counter back to 0 (the in-flight gauge keeps its live value and becomes the new maximum).</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _streamed, 0);
        Interlocked.Exchange(ref _degraded, 0);
        Array.Clear(_routes);
        Array.Clear(_faults);
        Array.Clear(_statuses);
        _models.Clear();
        Volatile.Write(ref _maxInFlight, Volatile.Read(ref _inFlight));
    }

    internal static string FaultKey(SimulatedFault fault) => fault switch
    {
        SimulatedFault.Error500 => "error500",
        SimulatedFault.Error502 => "error502",
        SimulatedFault.Error503 => "error503",
        SimulatedFault.Error429 => "error429",
        SimulatedFault.Hang => "hang",
        SimulatedFault.Reset => "reset",
        SimulatedFault.Truncate => "truncate",
        SimulatedFault.Malformed => "malformed",
        SimulatedFault.Outage => "outage",
        _ => fault.ToString(),
    };

    internal void RequestStarted(int route)
    {
        Interlocked.Increment(ref _total);
        Interlocked.Increment(ref _routes[route]);
        var now = Interlocked.Increment(ref _inFlight);
        var max = Volatile.Read(ref _maxInFlight);
        while (now > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxInFlight, now, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    internal void RequestEnded(int status)
    {
        Interlocked.Decrement(ref _inFlight);
        if (status is > 0 and < 600)
        {
            Interlocked.Increment(ref _statuses[status]);
        }
    }

    internal void FaultInjected(SimulatedFault fault) => Interlocked.Increment(ref _faults[(int)fault]);

    internal void Streamed() => Interlocked.Increment(ref _streamed);

    internal void AnswerDegraded() => Interlocked.Increment(ref _degraded);

    internal void ModelUsed(string model) => _models.AddOrUpdate(model, 1, static (_, count) => count + 1);

    internal static class RouteIndex
    {
        public const int Models = 0;
        public const int Chat = 1;
        public const int Embeddings = 2;
        public const int Other = 3;
    }
}
