using System.Globalization;

namespace Migration.Postgres;

/// <summary>How the harness stores its records in PostgreSQL (configuration section <c>Migration:Storage</c>).</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>Connection string (set by <c>AddMigrationPostgres</c>). Never logged.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Records per COPY batch; a full batch is written at once.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>A partial batch is written after this long.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Records held in memory (waiting plus being retried); beyond it new records are dropped and counted. Traffic
    /// buckets have a reserve of a tenth of it (at least 100) above it, so shadow rows never crowd them out.
    /// </summary>
    public int BufferCapacity { get; set; } = 50_000;

    /// <summary>First retry delay after a failed write; doubles per failure up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryMinDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Largest retry delay while PostgreSQL is down.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a graceful stop may spend writing what is left; the rest is dropped and counted.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Shadow results and traffic buckets older than this many days are deleted; 0 = keep everything.</summary>
    public int RetentionDays { get; set; } = 14;

    /// <summary>How often the retention job runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Every problem of these options, each with its configuration path; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string path = "Migration:Storage")
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add($"{path}:ConnectionString is required (or set MIGRATION_DB).");
        }

        if (BatchSize is < 1 or > 100_000)
        {
            problems.Add(Format($"{path}:BatchSize must be between 1 and 100000 (was {BatchSize})."));
        }

        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromMinutes(5))
        {
            problems.Add(Format($"{path}:FlushInterval must be greater than 0 and at most 00:05:00 (was {FlushInterval})."));
        }

        if (BufferCapacity < BatchSize)
        {
            problems.Add(Format($"{path}:BufferCapacity must be at least BatchSize ({BatchSize}) (was {BufferCapacity})."));
        }

        if (RetryMinDelay <= TimeSpan.Zero)
        {
            problems.Add(Format($"{path}:RetryMinDelay must be greater than 0 (was {RetryMinDelay})."));
        }

        if (RetryMaxDelay < RetryMinDelay)
        {
            problems.Add(Format($"{path}:RetryMaxDelay must be at least RetryMinDelay ({RetryMinDelay}) (was {RetryMaxDelay})."));
        }

        if (StopTimeout < TimeSpan.Zero)
        {
            problems.Add(Format($"{path}:StopTimeout must not be negative (was {StopTimeout})."));
        }

        if (RetentionDays < 0)
        {
            problems.Add(Format($"{path}:RetentionDays must be 0 (keep everything) or more (was {RetentionDays})."));
        }

        if (RetentionInterval <= TimeSpan.Zero)
        {
            problems.Add(Format($"{path}:RetentionInterval must be greater than 0 (was {RetentionInterval})."));
        }

        return problems;
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
