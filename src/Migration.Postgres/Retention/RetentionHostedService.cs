using Migration.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Migration.Postgres.Retention;

/// <summary>
/// Runs retention every <see cref="PostgresStorageOptions.RetentionInterval"/> when RetentionDays &gt; 0, on the
/// maintenance leader only (<see cref="IMaintenanceLeadership"/>: the canary controller's leader when the harness is
/// in the host); each run deletes in batches under a lock, so a concurrent run elsewhere skips.
/// </summary>
internal sealed partial class RetentionHostedService(
    PostgresRetention retention,
    IOptions<PostgresStorageOptions> options,
    TimeProvider time,
    ILogger<RetentionHostedService> logger,
    IMaintenanceLeadership? leadership = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.RetentionDays <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.RetentionInterval, time);
        do
        {
            await RunOnceAsync(settings.RetentionDays, stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    internal async Task<RetentionResult?> RunOnceAsync(int retentionDays, CancellationToken cancellationToken)
    {
        if (leadership is { ShouldRunMaintenance: false })
        {
            Log.NotLeader(logger);
            return null;
        }

        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(retentionDays);
        try
        {
            var result = await retention.DeleteOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
            if (result is null)
            {
                Log.Busy(logger);
                return null;
            }

            Log.Deleted(logger, result.ShadowResultsDeleted, result.TrafficBucketsDeleted, result.CandidateAttemptsDeleted, cutoff, result.Batches);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A database outage must not stop the host; the next run tries again.
            Log.Failed(logger, ex.Message, ex);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Information, "Retention deleted {ShadowResults} shadow results, {TrafficBuckets} traffic buckets and {CandidateAttempts} candidate attempts older than {Cutoff:o} in {Batches} batches.", EventName = "RetentionDeleted")]
        public static partial void Deleted(ILogger logger, long shadowResults, long trafficBuckets, long candidateAttempts, DateTimeOffset cutoff, int batches);

        [LoggerMessage(22, LogLevel.Debug, "Retention skipped: this instance does not lead maintenance.", EventName = "RetentionNotLeader")]
        public static partial void NotLeader(ILogger logger);

        [LoggerMessage(23, LogLevel.Information, "Retention skipped: another runner holds the retention lock.", EventName = "RetentionBusy")]
        public static partial void Busy(ILogger logger);

        [LoggerMessage(21, LogLevel.Warning, "Retention failed: {ErrorMessage}", EventName = "RetentionFailed")]
        public static partial void Failed(ILogger logger, string errorMessage, Exception exception);
    }
}
