namespace Migration.Core.Storage;

/// <summary>
/// Which instance runs database maintenance (retention): the harness registers one backed by the canary
/// controller's leader lease, so exactly one instance of a fleet deletes old rows. Without it every instance may run
/// maintenance, one at a time (the storage takes a lock per run).
/// </summary>
public interface IMaintenanceLeadership
{
    /// <summary>Whether this instance should run maintenance now.</summary>
    bool ShouldRunMaintenance { get; }
}
