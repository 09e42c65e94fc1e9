using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Migration.Core.Health;

namespace Migration.AspNetCore.Health;

/// <summary>Readiness: the harness database answers a <c>SELECT 1</c> within <see cref="HealthOptions.DatabaseTimeout"/>.</summary>
internal sealed class DatabaseHealthCheck : IHealthCheck
{
    private readonly IDatabaseHealthProbe? _probe;
    private readonly HealthOptions _options;
    private readonly TimeProvider _time;

    public DatabaseHealthCheck(IOptions<HealthOptions> options, TimeProvider time, IDatabaseHealthProbe? probe = null)
    {
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
            // The message names the failure (refused, authentication...), never the connection string.
            return HealthCheckResult.Unhealthy("database unreachable: " + ex.GetType().Name + ": " + ex.Message);
        }
    }
}
