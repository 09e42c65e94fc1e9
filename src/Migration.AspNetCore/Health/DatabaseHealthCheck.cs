using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.Core.Health;

namespace Migration.AspNetCore.Health;

/// <summary>Readiness: the harness database answers a <c>SELECT 1</c> within <see cref="HealthOptions.DatabaseTimeout"/>.</summary>
internal sealed partial class DatabaseHealthCheck : IHealthCheck
{
    private readonly ILogger<DatabaseHealthCheck> _logger;
    private readonly IDatabaseHealthProbe? _probe;
    private readonly HealthOptions _options;
    private readonly TimeProvider _time;

    public DatabaseHealthCheck(IOptions<HealthOptions> options, TimeProvider time, ILogger<DatabaseHealthCheck> logger, IDatabaseHealthProbe? probe = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        _time = time;
        _probe = probe;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_probe is null)
        {
            return HealthCheckResult.Healthy("not checked: no database probe is registered (AddMigrationPostgres registers one)");
        }

        using var timeout = new CancellationTokenSource(_options.DatabaseTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _probe.PingAsync(linked.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy("database answered");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"database did not answer within {_options.DatabaseTimeout.TotalMilliseconds:0} ms");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // /health/ready is often public: the answer names the kind of failure only (exception type, SQLSTATE);
            // the message (host, port, user) goes to the server log.
            Log.Unreachable(_logger, ex);
            var state = ex is DbException { SqlState: { Length: > 0 } sqlState } ? ", SQLSTATE " + sqlState : string.Empty;
            return HealthCheckResult.Unhealthy($"database unreachable ({ex.GetType().Name}{state}); details in the server log");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1531, EventName = "DatabaseUnreachable", Level = LogLevel.Warning, Message = "Readiness: the harness database is unreachable.")]
        public static partial void Unreachable(ILogger logger, Exception exception);
    }
}
