using System.Collections.Concurrent;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Tests.Infrastructure;

/// <summary>A record sink that keeps what it gets (storage itself is tested with PostgreSQL in Migration.Postgres.Tests).</summary>
internal sealed class RecordingSink : IRecordSink
{
    private readonly SemaphoreSlim _results = new(0);

    public ConcurrentQueue<ShadowResult> Results { get; } = new();

    public ConcurrentQueue<TrafficBucket> Buckets { get; } = new();

    public ConcurrentQueue<CandidateAttempt> Attempts { get; } = new();

    public bool Refuse { get; set; }

    public RecordSinkStats Stats => new(Results.Count + Buckets.Count, Results.Count + Buckets.Count, 0, 0, 0);

    public bool TryWrite(ShadowResult result)
    {
        if (Refuse)
        {
            return false;
        }

        Results.Enqueue(result);
        _results.Release();
        return true;
    }

    public bool TryWrite(TrafficBucket bucket)
    {
        if (Refuse)
        {
            return false;
        }

        Buckets.Enqueue(bucket);
        return true;
    }

    public bool TryWrite(CandidateAttempt attempt)
    {
        if (Refuse)
        {
            return false;
        }

        Attempts.Enqueue(attempt);
        return true;
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> shadow results arrived in total.</summary>
    public async Task<ShadowResult[]> WaitForResultsAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (Results.Count < count)
        {
            await _results.WaitAsync(cts.Token);
        }

        return [.. Results];
    }
}
