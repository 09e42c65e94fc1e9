namespace Migration.Core.Health;

/// <summary>A cheap check that the harness database answers (e.g. <c>SELECT 1</c>), for readiness checks.</summary>
public interface IDatabaseHealthProbe
{
    /// <summary>Completes when the database answered; throws (or is cancelled) when it did not.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
