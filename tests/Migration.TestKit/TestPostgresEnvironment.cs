namespace Migration.TestKit;

/// <summary>
/// The one switch between the tests' PostgreSQL sources: <c>MIGRATION_TEST_POSTGRES</c> = <c>local</c> (default,
/// also when unset) or <c>testcontainers</c>. <c>MIGRATION_DB</c> (an existing server) still wins over both.
/// </summary>
public static class TestPostgresEnvironment
{
    /// <summary>The environment variable.</summary>
    public const string VariableName = "MIGRATION_TEST_POSTGRES";

    /// <summary>The kind <see cref="VariableName"/> asks for.</summary>
    /// <exception cref="InvalidOperationException">The value is neither <c>local</c> nor <c>testcontainers</c>.</exception>
    public static TestPostgresKind FromEnvironment() => Parse(Environment.GetEnvironmentVariable(VariableName));

    /// <summary>Parses a value of <see cref="VariableName"/> (case-insensitive; unset or blank is <c>local</c>).</summary>
    /// <exception cref="InvalidOperationException">The value is neither <c>local</c> nor <c>testcontainers</c>.</exception>
    public static TestPostgresKind Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "local" => TestPostgresKind.Local,
        "testcontainers" => TestPostgresKind.Testcontainers,
        _ => throw new InvalidOperationException(
            $"{VariableName}='{value}' is not a PostgreSQL source for the tests: use 'local' (the default: the installed PostgreSQL binaries) or 'testcontainers' (a Docker engine)."),
    };
}
