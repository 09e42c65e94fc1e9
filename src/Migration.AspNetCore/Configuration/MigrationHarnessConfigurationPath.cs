namespace Migration.AspNetCore.Configuration;

/// <summary>The configuration path of the harness section, used to prefix validation messages.</summary>
internal sealed record MigrationHarnessConfigurationPath(string Value);
