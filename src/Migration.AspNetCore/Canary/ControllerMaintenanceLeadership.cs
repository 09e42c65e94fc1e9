using Migration.Core.Storage;

namespace Migration.AspNetCore.Canary;

/// <summary>
/// Maintenance (retention) runs where the canary controller leads; an instance without a running controller
/// (disabled, no store) may run it too, one run at a time under the storage's lock.
/// </summary>
internal sealed class ControllerMaintenanceLeadership(CanaryController controller) : IMaintenanceLeadership
{
    public bool ShouldRunMaintenance => controller.IsLeader || !controller.Status.Running;
}
