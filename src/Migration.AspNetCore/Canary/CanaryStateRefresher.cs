using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Canary;

/// <summary>
/// Keeps <see cref="CanaryStateCache"/> in step with <c>canary_state</c>: loads it at start-up before the app
/// serves (bounded; until loaded the weight is 0), re-reads it on every NOTIFY (instant, every instance) and on a
/// slow poll (<see cref="CanaryOptions.PollInterval"/>: the safety net for a lost notification). Without a canary
/// store it does nothing and the weight stays 0. Fail-safe: when no read has succeeded for
/// <see cref="CanaryOptions.FailSafeAfter"/> while the weight is above 0, the instance routes at weight 0 (the
/// controller can neither see the traffic nor store a rollback while the database is unreachable), logs and alerts
/// once; the next successful read restores the stored weight.
/// </summary>
internal sealed partial class CanaryStateRefresher : BackgroundService
{
    internal static readonly TimeSpan StartupLoadTimeout = TimeSpan.FromSeconds(5);

    private readonly CanaryStateCache _cache;
    private readonly ICanaryStateStore? _store;
    private readonly ICanaryChangeNotifications? _notifications;
    private readonly TimeProvider _time;
    private readonly ILogger<CanaryStateRefresher> _logger;
    private readonly string _migration;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _failSafeAfter;
    private readonly CanaryAlertSender? _alerts;
    private long _lastReadTicks;
    private readonly SemaphoreSlim _reload = new(1, 1);

    public CanaryStateRefresher(
        CanaryStateCache cache,
        IOptions<MigrationHarnessOptions> options,
        TimeProvider time,
        ILogger<CanaryStateRefresher> logger,
        ICanaryStateStore? store = null,
        ICanaryChangeNotifications? notifications = null,
        CanaryAlertSender? alerts = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _cache = cache;
        _store = store;
        _notifications = notifications;
        _time = time;
        _logger = logger;
        _migration = options.Value.Canary.Migration;
        _pollInterval = options.Value.Canary.PollInterval;
        _failSafeAfter = options.Value.Canary.EffectiveFailSafeAfter;
        _alerts = alerts;
        _lastReadTicks = time.GetUtcNow().UtcTicks;
    }

    /// <summary>Times this instance entered the fail-safe (routing at weight 0 for an unreadable state).</summary>
    public long FailSafeEntries => Interlocked.Read(ref _failSafeEntries);

    private long _failSafeEntries;

    /// <summary>Number of successful reads of the state (for tests and status).</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    private long _reloads;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            Log.NoStore(_logger);
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartupLoadTimeout);
            if (!await ReloadAsync("start", timeout.Token).ConfigureAwait(false))
            {
                Log.StartupLoadFailed(_logger, _migration);
            }
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the state now and installs it; false when the read failed.</summary>
    public async Task<bool> ReloadAsync(string why, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return false;
        }

        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await _store.GetAsync(_migration, cancellationToken).ConfigureAwait(false);
            var previous = _cache.Current;
            var now = _time.GetUtcNow();
            Volatile.Write(ref _lastReadTicks, now.UtcTicks);
            if (_cache.Update(state, now))
            {
                if (previous.FailSafeReason is not null)
                {
                    Log.FailSafeEnded(_logger, _migration, state.State.Weight, why);
                }
                else if (previous.Weight != state.State.Weight)
                {
                    Log.WeightChanged(_logger, _migration, previous.Weight, state.State.Weight, state.State.Version, why);
                }
            }

            Interlocked.Increment(ref _reloads);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ReloadFailed(_logger, _migration, why, ex);
            CheckFailSafe();
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>After a failed read: fail safe when the last successful one is older than FailSafeAfter.</summary>
    internal void CheckFailSafe()
    {
        var lastRead = new DateTimeOffset(Volatile.Read(ref _lastReadTicks), TimeSpan.Zero);
        var stale = _time.GetUtcNow() - lastRead;
        if (stale < _failSafeAfter)
        {
            return;
        }

        var weight = _cache.Current.Weight;
        var reason = string.Create(CultureInfo.InvariantCulture, $"canary state unreadable for {stale.TotalSeconds:0} s (Canary:FailSafeAfter {_failSafeAfter.TotalSeconds:0.###} s): routing to the primary instead of {weight:0.##}% until a read succeeds");
        if (_cache.EnterFailSafe(reason))
        {
            Interlocked.Increment(ref _failSafeEntries);
            Log.FailSafeEntered(_logger, _migration, reason);
            _alerts?.TryPost(string.Concat(":warning: Canary '", _migration, "': ", reason, "."));
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_store is null)
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(PollAsync(stoppingToken), ListenAsync(stoppingToken), WatchAsync(stoppingToken));
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_pollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await ReloadAsync("poll", stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Checks the fail-safe on its own timer, so a read that hangs (not just one that fails) trips it too.</summary>
    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_pollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                CheckFailSafe();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        if (_notifications is null)
        {
            return;
        }

        try
        {
            await foreach (var change in _notifications.ListenAsync(stoppingToken).ConfigureAwait(false))
            {
                if (change.Kind == CanaryChangeKind.Connected || string.Equals(change.Migration, _migration, StringComparison.Ordinal))
                {
                    await ReloadAsync(change.Kind == CanaryChangeKind.Connected ? "listen-connected" : "notify", stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The listener never faults for database errors; anything else leaves the poll as the safety net.
            Log.ListenFailed(_logger, ex);
        }
    }

    public override void Dispose()
    {
        _reload.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1601, EventName = "CanaryWeightChanged", Level = LogLevel.Information,
            Message = "Canary '{Migration}' weight {From}% -> {To}% (version {Version}, via {Why}).")]
        public static partial void WeightChanged(ILogger logger, string migration, double from, double to, long version, string why);

        [LoggerMessage(EventId = 1602, EventName = "CanaryReloadFailed", Level = LogLevel.Warning,
            Message = "Reading canary '{Migration}' state failed ({Why}); the last known weight stays in force.")]
        public static partial void ReloadFailed(ILogger logger, string migration, string why, Exception exception);

        [LoggerMessage(EventId = 1603, EventName = "CanaryStartupLoadFailed", Level = LogLevel.Warning,
            Message = "Canary '{Migration}' state could not be read at start-up: serving at weight 0 until it can.")]
        public static partial void StartupLoadFailed(ILogger logger, string migration);

        [LoggerMessage(EventId = 1605, EventName = "CanaryNoStore", Level = LogLevel.Information,
            Message = "No canary state store is registered (AddMigrationPostgres): the canary stays at weight 0 and no controller runs.")]
        public static partial void NoStore(ILogger logger);

        [LoggerMessage(EventId = 1606, EventName = "CanaryFailSafeEntered", Level = LogLevel.Error,
            Message = "Canary '{Migration}' fails safe: {Reason}.")]
        public static partial void FailSafeEntered(ILogger logger, string migration, string reason);

        [LoggerMessage(EventId = 1607, EventName = "CanaryFailSafeEnded", Level = LogLevel.Warning,
            Message = "Canary '{Migration}' state readable again (via {Why}): routing at the stored {Weight}% again.")]
        public static partial void FailSafeEnded(ILogger logger, string migration, double weight, string why);

        [LoggerMessage(EventId = 1604, EventName = "CanaryListenFailed", Level = LogLevel.Error,
            Message = "The canary change listener stopped; the slow poll keeps the state fresh.")]
        public static partial void ListenFailed(ILogger logger, Exception exception);
    }
}
