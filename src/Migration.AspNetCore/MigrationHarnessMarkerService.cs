namespace Migration.AspNetCore;

/// <summary>Registered by <c>AddMigrationHarness</c> so the pipeline extensions can tell it was called.</summary>
internal sealed class MigrationHarnessMarkerService;
